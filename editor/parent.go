package editor

import (
	"context"
	"os"
	"runtime"
	"time"
)

// WithParent is ctx, ended when the process that started the editor is
// gone (the tray app killed mid-edit): an editor left behind would hold
// a capture the person may have been hiding parts of, and its Enter
// would go nowhere. Unix only: there a parent's death makes the process
// another's child.
func WithParent(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	if runtime.GOOS == "windows" {
		return ctx, cancel
	}
	parent := os.Getppid()
	go func() {
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if os.Getppid() != parent {
					cancel()
					return
				}
			}
		}
	}()
	return ctx, cancel
}
