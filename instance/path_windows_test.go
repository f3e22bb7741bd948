package instance

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// The name is a pipe's with the user's SID: not built from os.Getuid (-1
// on Windows) nor from XDG_RUNTIME_DIR (which Wine passes through).
func TestPathOnWindows(t *testing.T) {
	got := Path(func(k string) string { return map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}[k] })
	if !strings.HasPrefix(got, `\\.\pipe\imagecx-S-1-`) || strings.Contains(got, "/run/user") {
		t.Errorf("Path = %q", got)
	}
}

// One instance per user, and commands handed over, through a named pipe.
func TestPipeHandOff(t *testing.T) {
	path := Path(nil) + "-test"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := Send(ctx, path, "capture full"); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("nobody running: %v", err)
	}
	s, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(path); !errors.Is(err, ErrRunning) {
		t.Fatalf("second instance: %v", err)
	}
	go func() {
		for req := range s.Requests() {
			req.Answer("took "+req.Cmd, nil)
		}
	}()
	if got, err := Send(ctx, path, "capture full"); err != nil || got != "took capture full" {
		t.Fatalf("hand-off: %q %v", got, err)
	}
	s.Close()
	if _, err := Send(ctx, path, "capture full"); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("after Close: %v", err)
	}
}
