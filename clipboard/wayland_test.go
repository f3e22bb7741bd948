//go:build linux || freebsd || openbsd || netbsd

package clipboard

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeWlClipboard puts a wl-copy that records its type and data, and a
// wl-paste that serves what dir holds (types, one file per type), first on
// PATH.
func fakeWlClipboard(t *testing.T) string {
	dir := t.TempDir()
	scripts := map[string]string{
		"wl-copy": `echo "$@" > "$D/copy-args"; cat > "$D/copied"`,
		"wl-paste": `if [ "$1" = --list-types ]; then
  [ -f "$D/types" ] || { echo "No selection" >&2; exit 1; }
  cat "$D/types"; exit 0
fi
cat "$D/data-$(echo "$3" | tr '/;=' '___')"`,
	}
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\nD="+dir+"\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir+":/usr/bin:/bin") // the fakes first; cat and tr for them
	return dir
}

func offer(t *testing.T, dir string, data map[string]string) {
	var types []string
	for typ, content := range data {
		types = append(types, typ)
		os.WriteFile(filepath.Join(dir, "data-"+strings.NewReplacer("/", "_", ";", "_", "=", "_").Replace(typ)), []byte(content), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "types"), []byte(strings.Join(types, "\n")+"\n"), 0o644)
}

func TestWaylandClipboard(t *testing.T) {
	dir := fakeWlClipboard(t)
	env := map[string]string{"WAYLAND_DISPLAY": "wayland-1"}
	c, err := OpenSession(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetText("https://image.cx/i/abc"); err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "copy-args"))
	copied, _ := os.ReadFile(filepath.Join(dir, "copied"))
	if strings.TrimSpace(string(args)) != "--type text/plain;charset=utf-8" || string(copied) != "https://image.cx/i/abc" {
		t.Fatalf("wl-copy %q got %q", args, copied)
	}
	if err := c.SetImage("image/png", []byte("\x89PNG...")); err != nil {
		t.Fatal(err)
	}
	if args, _ := os.ReadFile(filepath.Join(dir, "copy-args")); strings.TrimSpace(string(args)) != "--type image/png" {
		t.Fatalf("wl-copy %q", args)
	}

	ctx := context.Background()
	if got, err := c.Read(ctx); err != nil || got.Kind != Empty {
		t.Fatalf("empty: %+v %v", got, err)
	}
	offer(t, dir, map[string]string{"text/plain": "plain", "UTF8_STRING": "utf8", "image/jpeg": "JPEG", "image/png": "PNG"})
	if got, err := c.Read(ctx); err != nil || got.Kind != Image || got.MIME != "image/png" || string(got.Image) != "PNG" {
		t.Fatalf("image: %+v %v", got, err)
	}
	offer(t, dir, map[string]string{"text/uri-list": "file:///home/u/a.png\r\nfile:///home/u/b%20c.jpg\r\n", "text/plain": "/home/u/a.png"})
	if got, err := c.Read(ctx); err != nil || got.Kind != Files || len(got.Files) != 2 || got.Files[1] != "/home/u/b c.jpg" {
		t.Fatalf("files: %+v %v", got, err)
	}
	offer(t, dir, map[string]string{"text/plain": "plain", "text/plain;charset=utf-8": "héllo"})
	if got, err := c.Read(ctx); err != nil || got.Kind != Text || got.Text != "héllo" {
		t.Fatalf("text: %+v %v", got, err)
	}
	offer(t, dir, map[string]string{"application/x-secret": "?"})
	if got, err := c.Read(ctx); err != nil || got.Kind != Empty {
		t.Fatalf("nothing usable: %+v %v", got, err)
	}
	os.WriteFile(filepath.Join(dir, "wl-paste"), []byte("#!/bin/sh\necho 'Failed to connect to a Wayland server' >&2\nexit 1\n"), 0o755)
	if _, err := c.Read(ctx); err == nil || !strings.Contains(err.Error(), "Failed to connect") {
		t.Fatalf("broken wl-paste: %v", err)
	}
}

func TestOpenSessionChoosesX11OrWayland(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no wl-clipboard
	env := map[string]string{"WAYLAND_DISPLAY": "wayland-1"}
	if _, err := OpenSession(func(k string) string { return env[k] }); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "wl-clipboard") {
		t.Fatalf("no wl-clipboard: %v", err)
	}
	// With a DISPLAY (Xwayland) the X11 clipboard is used: here the named
	// display does not exist, so it fails connecting to it.
	env["DISPLAY"] = ":9999"
	t.Setenv("DISPLAY", ":9999")
	if _, err := OpenSession(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "X display") {
		t.Fatalf("Xwayland: %v", err)
	}
}

// A failed wl-copy keeps its own words (the seat has no keyboard, the
// compositor refused), not only its exit status.
func TestWlCopyFailureSaysWhy(t *testing.T) {
	dir := t.TempDir()
	script := "#!/bin/sh\necho 'Failed to connect to a Wayland server' >&2\nexit 1\n"
	os.WriteFile(filepath.Join(dir, "wl-copy"), []byte(script), 0o755)
	os.WriteFile(filepath.Join(dir, "wl-paste"), []byte("#!/bin/sh\nexit 0\n"), 0o755)
	t.Setenv("PATH", dir+":/usr/bin:/bin")
	c, err := OpenSession(func(k string) string { return map[string]string{"WAYLAND_DISPLAY": "wayland-1"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	err = c.SetText("https://image.cx/i/abc")
	if err == nil || !strings.Contains(err.Error(), "exit status 1: Failed to connect to a Wayland server") {
		t.Fatalf("error %v", err)
	}
}
