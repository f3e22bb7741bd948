//go:build !windows

package programs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// The program beside the running one wins over one on PATH.
func TestPathPrefersTheSibling(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	name := "imagecx-programs-test-sibling"
	sibling := filepath.Join(filepath.Dir(exe), name+exeSuffix)
	if err := os.WriteFile(sibling, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(sibling) })
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, name+exeSuffix), []byte("#!/bin/sh\n"), 0o755)
	t.Setenv("PATH", other)
	got, err := Path(name)
	if err != nil || got != sibling {
		t.Fatalf("Path = %q, %v; want %q", got, err, sibling)
	}
	os.Remove(sibling)
	if got, err := Path(name); err != nil || got != filepath.Join(other, name+exeSuffix) {
		t.Fatalf("without a sibling: %q, %v", got, err)
	}
}

func TestPathSaysWhatIsMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Path("imagecx-no-such-program")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Name != "imagecx-no-such-program" {
		t.Fatalf("error %v", err)
	}
}

func TestStartAndWait(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	write := func(name, script string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("imagecx-test-ok", "exit 0")
	write("imagecx-test-fails", "exit 3")
	write("imagecx-test-stays", "exec sleep 30")
	for name, want := range map[string]string{"imagecx-test-ok": "", "imagecx-test-fails": "exit status 3"} {
		r, err := Start(name)
		if err != nil {
			t.Fatal(err)
		}
		err = r.Wait(context.Background())
		if (want == "" && err != nil) || (want != "" && (err == nil || err.Error() != want)) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
	r, err := Start("imagecx-test-stays")
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(r.Pid(), syscall.SIGKILL)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := r.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("Wait on a program that stays: %v after %v", err, time.Since(start))
	}
}

// Installed from a package, the tray app (PREFIX/bin) finds the windows
// in PREFIX/libexec/imagecx, and they find it.
func TestInstalledLayout(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"bin/imagecx", "libexec/imagecx/imagecx-settings"} {
		os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(root, p), []byte("#!/bin/sh\n"), 0o755)
	}
	if p, ok := installedWith(filepath.Join(root, "bin/imagecx"), Settings); !ok || p != filepath.Join(root, "libexec/imagecx/imagecx-settings") {
		t.Errorf("from bin: %q %v", p, ok)
	}
	if p, ok := installedWith(filepath.Join(root, "libexec/imagecx/imagecx-settings"), CLI); !ok || p != filepath.Join(root, "bin/imagecx") {
		t.Errorf("from libexec: %q %v", p, ok)
	}
	if _, ok := installedWith(filepath.Join(root, "bin/imagecx"), Editor); ok {
		t.Error("found an editor that is not there")
	}
}
