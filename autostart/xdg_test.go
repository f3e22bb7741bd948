//go:build linux || freebsd || openbsd || netbsd

package autostart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEntryStartsTheProgram(t *testing.T) {
	cfg := t.TempDir()
	e, err := New(func(k string) string { return map[string]string{"XDG_CONFIG_HOME": cfg}[k] }, "/opt/image cx/imagecx")
	if err != nil {
		t.Fatal(err)
	}
	if e.Enabled() {
		t.Fatal("enabled before Set")
	}
	if err := e.Set(true); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(cfg, "autostart", "imagecx.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nExec=\"/opt/image cx/imagecx\"\n") || !e.Enabled() {
		t.Fatalf("entry:\n%s", data)
	}
	if err := e.Set(false); err != nil || e.Enabled() {
		t.Fatalf("after Set(false): %v %v", err, e.Enabled())
	}
	if err := e.Set(false); err != nil {
		t.Fatalf("removing twice: %v", err)
	}
}

func TestExecArg(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/imagecx":     "/usr/bin/imagecx",
		"/home/a b/imagecx":    `"/home/a b/imagecx"`,
		`/home/a"b/imagecx`:    `"/home/a\\"b/imagecx"`,
		"/home/100%/imagecx":   "/home/100%%/imagecx",
		"/home/$x/imagecx":     `"/home/\\$x/imagecx"`,
		`/home/back\slash/bin`: `"/home/back\\\\slash/bin"`,
	} {
		if got := execArg(in); got != want {
			t.Errorf("execArg(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestNewWantsAnAbsolutePathAndAHome(t *testing.T) {
	if _, err := New(func(string) string { return "/h" }, "imagecx"); err == nil {
		t.Error("a relative program was accepted")
	}
	if _, err := New(func(string) string { return "" }, "/usr/bin/imagecx"); err == nil {
		t.Error("no XDG_CONFIG_HOME and no HOME was accepted")
	}
}
