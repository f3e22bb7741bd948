//go:build linux

package launch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A stand-in xdg-open on PATH gets the link, and the folder of a file.
func TestOpensWithXdgOpen(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "opened")
	os.WriteFile(filepath.Join(dir, "xdg-open"), []byte("#!/bin/sh\necho \"$1\" >> "+log+"\n"), 0o755)
	t.Setenv("PATH", dir)
	if err := URL("https://i.cx/a.png"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "shot.png")
	os.WriteFile(file, nil, 0o600)
	if err := Folder(file); err != nil {
		t.Fatal(err)
	}
	if err := Folder(filepath.Join(dir, "gone.png")); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Errorf("a missing file: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, _ := os.ReadFile(log)
		lines := strings.Fields(string(data)) // in either order: they run at once
		if len(lines) == 2 && (lines[0]+lines[1] == "https://i.cx/a.png"+dir || lines[1]+lines[0] == "https://i.cx/a.png"+dir) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("opened %q", data)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
