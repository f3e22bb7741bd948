// Command imagecx takes screenshots and uploads images to image.cx.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"

	"imagecx/cli"
	"imagecx/daemon"
)

// version is set at build time: -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := stopOnSignals()
	code := cli.Run(ctx, os.Args[1:], cli.Env{
		Stdin:          os.Stdin,
		Stdout:         os.Stdout,
		Stderr:         os.Stderr,
		Getenv:         os.Getenv,
		StdinTerminal:  term.IsTerminal(int(os.Stdin.Fd())),
		StderrTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		StdoutTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		ReadSecret:     func() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) },
		Version:        version,
		Daemon: func(ctx context.Context, env cli.Env) int {
			return daemon.Run(ctx, daemon.Options{Getenv: env.Getenv, Stderr: env.Stderr, Version: env.Version})
		},
	})
	stop()
	os.Exit(code)
}

// stopOnSignals cancels the context at the first SIGINT or SIGTERM, so
// the command stops cleanly (an upload cancelled, a capture kept); at a
// second one, or if the command has not ended 3 s after the first, the
// process exits there and then: a signal always ends imagecx.
func stopOnSignals() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() { // lives as long as the process
		s := <-sigs
		cancel()
		select {
		case <-sigs:
		case <-time.After(3 * time.Second):
		}
		code := 130 // 128 + SIGINT
		if s == syscall.SIGTERM {
			code = 143
		}
		fmt.Fprintf(os.Stderr, "imagecx: stopped (%v)\n", s)
		os.Exit(code)
	}()
	return ctx, func() { signal.Stop(sigs); cancel() }
}
