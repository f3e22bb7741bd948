// Command imagecx-history is imagecx's history window. It is a program of
// its own, started by `imagecx history` and the tray menu, so the toolkit
// costs nothing to the tray app while the window is closed. With --link
// it is the small window of the tray menu's "Upload image from link…".
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
	run := window.Run
	if len(os.Args) == 2 && os.Args[1] == "--link" { // the tray menu's Upload image from link…
		run = window.RunLink
	}
	code := run(ctx, os.Getenv, os.Stderr)
	stop()
	os.Exit(code)
}
