//go:build unix

package regular_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"imagecx/internal/regular"
)

func TestReadRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := regular.Read(fifo, 1<<20); done <- err }()
	select {
	case err := <-done:
		var nr *regular.NotRegularError
		if !errors.As(err, &nr) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO blocked")
	}
	if _, err := regular.Read("/dev/zero", 1<<20); err == nil || !strings.Contains(err.Error(), "device") {
		t.Errorf("/dev/zero: %v", err)
	}
	if _, err := regular.Read(dir, 1<<20); !errors.Is(err, syscall.EISDIR) {
		t.Errorf("folder: %v", err)
	}
	if _, err := regular.Read(filepath.Join(dir, "none"), 1<<20); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestReadBounds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, make([]byte, 1000), 0o600)
	if data, err := regular.Read(path, 1000); err != nil || len(data) != 1000 {
		t.Errorf("at the limit: %d bytes, %v", len(data), err)
	}
	if _, err := regular.Read(path, 999); !errors.Is(err, regular.ErrTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	// A symbolic link to a file is the file.
	link := path + ".lnk"
	os.Symlink(path, link)
	if data, err := regular.Read(link, 1000); err != nil || len(data) != 1000 {
		t.Errorf("link: %d bytes, %v", len(data), err)
	}
}
