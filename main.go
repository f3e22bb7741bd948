// Command imagecx takes screenshots and uploads images to image.cx.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"imagecx/cli"
	"imagecx/daemon"
)

// version is set at build time: -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{
		Stdin:          os.Stdin,
		Stdout:         os.Stdout,
		Stderr:         os.Stderr,
		Getenv:         os.Getenv,
		StdinTerminal:  term.IsTerminal(int(os.Stdin.Fd())),
		StderrTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		ReadSecret:     func() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) },
		Version:        version,
		Daemon: func(ctx context.Context, env cli.Env) int {
			return daemon.Run(ctx, daemon.Options{Getenv: env.Getenv, Stderr: env.Stderr, Version: env.Version})
		},
	})
	stop()
	os.Exit(code)
}
