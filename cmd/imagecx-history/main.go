// Command imagecx-history is imagecx's history window. It is a program of
// its own, started by `imagecx history` and the tray menu, so the toolkit
// costs nothing to the tray app while the window is closed.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"imagecx/history/window"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := window.Run(ctx, os.Getenv, os.Stderr)
	stop()
	os.Exit(code)
}
