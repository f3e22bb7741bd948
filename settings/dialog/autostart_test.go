//go:build linux || freebsd || openbsd || netbsd

package dialog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Start at login must start the tray app, not the settings window the
// switch lives in (imagecx-settings once wrote its own path).
func TestStartAtLoginStartsTheTrayApp(t *testing.T) {
	exe, err := os.Executable() // this test plays imagecx-settings
	if err != nil {
		t.Fatal(err)
	}
	tray := filepath.Join(filepath.Dir(exe), "imagecx")
	if err := os.WriteFile(tray, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(tray) })
	cfg := t.TempDir()
	a := startAtLogin(func(k string) string { return map[string]string{"XDG_CONFIG_HOME": cfg}[k] })
	if a == nil {
		t.Fatal("no autostart switch")
	}
	if err := a.Set(true); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(cfg, "autostart", "imagecx.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nExec="+tray+"\n") {
		t.Fatalf("the entry does not start %s:\n%s", tray, data)
	}
}
