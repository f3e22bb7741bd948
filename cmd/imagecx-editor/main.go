// Command imagecx-editor is imagecx's annotation editor. It is a program
// of its own, started by the tray app after a region ("Capture region and
// edit") and by `imagecx edit FILE`, so the toolkit costs the tray app
// nothing while no capture is being edited.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"imagecx/editor"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	ctx, orphaned := editor.WithParent(ctx) // closed, nothing uploaded, when its starter is gone
	code := editor.Run(ctx, os.Args[1:], os.Stderr)
	orphaned()
	stop()
	os.Exit(code)
}
