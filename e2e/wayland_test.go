package e2e

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"imagecx/internal/dbustest"
	"imagecx/uploader/cxtest"
)

// On Wayland only the compositor reads the screen: capture goes through
// the Screenshot portal (here a fake one on the test's bus).
func TestCaptureOnWaylandUsesThePortal(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	bus := dbustest.Start(t)
	want := desktopImage(t).SubImage(image.Rect(100, 200, 740, 680))
	portal := bus.ScreenshotPortal(t, "ok", want)
	u.env["DBUS_SESSION_BUS_ADDRESS"] = bus.Addr
	u.env["XDG_SESSION_TYPE"] = "wayland"
	u.env["WAYLAND_DISPLAY"] = "wayland-1"
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key

	out := filepath.Join(u.home, "r.png")
	r := u.run("", "capture", "region", "--no-upload", "-o", out)
	if r.code != 0 {
		t.Fatalf("capture region:\n%s", r)
	}
	data, _ := os.ReadFile(out)
	equalsCrop(t, data, image.Rect(100, 200, 740, 680))
	if calls := portal.Calls(); len(calls) != 1 || !calls[0].Interactive {
		t.Errorf("portal calls %+v", calls)
	}
	if _, err := os.Stat(portal.Files()[0]); !os.IsNotExist(err) {
		t.Error("the portal's file was left behind")
	}

	r = u.run("", "capture", "full")
	if r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.stdout), srv.URL) {
		t.Fatalf("capture full:\n%s", r)
	}
	if calls := portal.Calls(); len(calls) != 2 || calls[1].Interactive {
		t.Errorf("portal calls %+v", calls)
	}

	portal.SetAnswer("cancel")
	r = u.run("", "capture", "region")
	if r.code != 1 || !strings.Contains(r.stderr, "cancelled") {
		t.Fatalf("cancelled:\n%s", r)
	}
}
