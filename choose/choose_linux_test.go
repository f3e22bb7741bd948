package choose

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A chooser program (zenity, kdialog): its lines are the paths; exit 1
// is the person closing it; another failure is said.
func TestFromTool(t *testing.T) {
	dir := t.TempDir()
	tool := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ctx := context.Background()
	got, err := fromTool(ctx, tool("chose", `printf '/home/ada/a b.png\n/home/ada/c.mp4\n'`))
	if err != nil || !slices.Equal(got, []string{"/home/ada/a b.png", "/home/ada/c.mp4"}) {
		t.Errorf("chosen %q, %v", got, err)
	}
	if _, err := fromTool(ctx, tool("closed", "exit 1")); !errors.Is(err, ErrCancelled) {
		t.Errorf("closed: %v", err)
	}
	if _, err := fromTool(ctx, tool("broken", "exit 2")); err == nil || errors.Is(err, ErrCancelled) {
		t.Errorf("broken: %v", err)
	}
}
