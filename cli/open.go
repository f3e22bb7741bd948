package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"imagecx/explain"
	"imagecx/fromlink"
	"imagecx/instance"
	"imagecx/outbox"
)

// runOpen is `imagecx open [FILE|LINK…]`, the desktop entry's command
// (Open With in a file manager, a drop on the launcher): with nothing,
// the tray app starts; with files, they upload as one batch through the
// running tray app, which shows the progress and copies the links; with
// none running, here, the links copied and one notification at the end.
func runOpen(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		return Run(ctx, nil, env)
	}
	var files []string
	for _, a := range args {
		if !fromlink.Is(a) {
			if abs, err := filepath.Abs(a); err == nil {
				a = abs
			}
		}
		files = append(files, a)
	}
	hctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	text, err := instance.Send(hctx, instance.Path(env.Getenv), instance.UploadFiles(files))
	cancel()
	switch {
	case err == nil:
		fmt.Fprintf(env.Stderr, "imagecx: %s\n", text)
		return exitOK
	case !errors.Is(err, instance.ErrNotRunning):
		return fail(env, "", err)
	}
	var all outbox.Outcome
	code := uploading(ctx, files, env, &all)
	if len(all.Links) > 0 {
		if err := keepOnClipboard(ctx, env, "", []byte(strings.Join(all.Links, "\n"))); err != nil {
			errorf(env, "the link was not copied: {{.why}}", "why", explain.Lower(explain.Error(err)))
			all.CopyErr = err
		}
	}
	if len(all.Jobs) > 0 && ctx.Err() == nil {
		tell(ctx, env, all.Note())
	}
	return code
}
