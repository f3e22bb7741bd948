// Command imagecx takes screenshots and uploads images to image.cx.
package main

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"imagecx/cli"
	"imagecx/daemon"
)

// version, revision and built are set at build time: -ldflags
// "-X main.version=… -X main.revision=… -X main.built=…" (the Makefile,
// from scripts/version.sh and git). A plain `go build` says the VERSION
// file's release.
var (
	version  = ""
	revision = ""
	built    = ""
)

//go:embed VERSION
var release string

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
		Version:        cmp.Or(version, strings.TrimSpace(release)),
		Commit:         commit(),
		Built:          built,
		Daemon: func(ctx context.Context, env cli.Env) int {
			return daemon.Run(ctx, daemon.Options{Getenv: env.Getenv, Stderr: env.Stderr, Version: env.Version})
		},
	})
	stop()
	os.Exit(code)
}

// commit is the git commit the program was built from: as the build
// said, else as the go command recorded it ("" when neither knows).
func commit() string {
	info, ok := debug.ReadBuildInfo()
	if revision != "" || !ok {
		return revision
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" && modified == "true" {
		rev += " (with uncommitted changes)"
	}
	return rev
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
