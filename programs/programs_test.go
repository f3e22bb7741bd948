package programs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
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
