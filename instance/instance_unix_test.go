//go:build !windows

package instance

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestOneInstanceAndHandOff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run", "imagecx.sock")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := Send(ctx, path, "capture full"); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("nobody running: %v", err)
	}
	s, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("socket mode: %v %v", st, err)
	}
	if _, err := Listen(path); !errors.Is(err, ErrRunning) {
		t.Fatalf("second instance: %v", err)
	}
	go func() {
		for req := range s.Requests() {
			if req.Cmd == "capture full" {
				req.Answer("queued", nil)
			} else {
				req.Answer("", errors.New("unknown command"))
			}
		}
	}()
	if got, err := Send(ctx, path, "capture full"); err != nil || got != "queued" {
		t.Fatalf("send: %q %v", got, err)
	}
	if _, err := Send(ctx, path, "frobnicate"); err == nil || err.Error() != "unknown command" {
		t.Fatalf("refusal: %v", err)
	}
	s.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("socket left behind")
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "imagecx.sock")
	// A socket file nobody listens on (the owner died).
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatal("no stale socket to test with")
	}
	s, err := Listen(path)
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	s.Close()
}

func TestPath(t *testing.T) {
	if got := Path(func(k string) string { return map[string]string{"XDG_RUNTIME_DIR": "/run/user/7"}[k] }); got != "/run/user/7/imagecx.sock" {
		t.Error(got)
	}
	if got := Path(func(string) string { return "" }); filepath.Dir(got) != os.TempDir() {
		t.Error(got)
	}
}

func TestPathIsPerUser(t *testing.T) {
	if got := Path(func(k string) string { return map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}[k] }); got != "/run/user/1000/imagecx.sock" {
		t.Errorf("with a runtime dir: %q", got)
	}
	if got := Path(func(string) string { return "" }); !strings.Contains(got, "imagecx-"+strconv.Itoa(os.Getuid())+".sock") {
		t.Errorf("without one: %q", got)
	}
}

// Close ends a loop that ranges over Requests.
func TestCloseClosesRequests(t *testing.T) {
	s, err := Listen(filepath.Join(t.TempDir(), "imagecx.sock"))
	if err != nil {
		t.Fatal(err)
	}
	ended := make(chan struct{})
	go func() {
		for range s.Requests() {
		}
		close(ended)
	}()
	s.Close()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("Requests was not closed")
	}
	s.Close() // twice is fine
}
