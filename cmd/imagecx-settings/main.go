// Command imagecx-settings is imagecx's settings window. It is a program of
// its own, started by `imagecx settings` and the tray menu, so the toolkit
// (fyne: about 15 MB of memory and its start-up work) costs nothing to the
// tray app and the command line while the window is closed.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"imagecx/settings/dialog"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dialog.Run(ctx, os.Getenv, os.Stderr)
	stop()
	os.Exit(code)
}
