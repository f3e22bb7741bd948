package e2e

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/imgdiff"
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

// The tray app on Wayland: captures through the portal, the hint about
// binding keys once, and shortcuts handed over by `imagecx capture`.
func TestTrayAppOnWayland(t *testing.T) {
	d := newDesk(t, deskOpts{}) // the X server stands in for Xwayland (the clipboard)
	portalImg := desktopImage(t).SubImage(image.Rect(0, 0, 800, 600))
	portal := d.bus.ScreenshotPortal(t, "ok", portalImg)
	d.u.env["XDG_SESSION_TYPE"] = "wayland"
	d.u.env["WAYLAND_DISPLAY"] = "wayland-1"
	p := d.start()

	d.notes.Wait(t, 0, 10*time.Second, titled("Hotkeys on Wayland"))
	d.tray.Click(t, p.item, "Capture full screen")
	stored := d.waitStored(1, 30*time.Second)
	equalsCrop(t, stored[0].Data, image.Rect(0, 0, 800, 600))
	note := d.notes.Wait(t, 0, 10*time.Second, titled("Uploaded — link copied"))
	if got := string(d.clipboard("UTF8_STRING")); got != strings.TrimSpace(note.Body) {
		t.Errorf("clipboard %q", got)
	}
	r := d.u.run("", "capture", "region")
	if r.code != 0 {
		t.Fatalf("hand-off:\n%s", r)
	}
	d.waitStored(2, 30*time.Second)
	calls := portal.Calls()
	if len(calls) != 2 || calls[0].Interactive || !calls[1].Interactive {
		t.Errorf("portal calls %+v", calls)
	}

	// The hint is shown once, not at every start.
	d.tray.Click(t, p.item, "Quit")
	p.exit(t, 5*time.Second)
	from := len(d.notes.All())
	d.start()
	time.Sleep(500 * time.Millisecond)
	for _, n := range d.notes.All()[from:] {
		if n.Title == "Hotkeys on Wayland" {
			t.Error("the Wayland hint was shown twice")
		}
	}
}

// Where the desktop has the GlobalShortcuts portal, the hotkeys go through
// it and no hint is needed.
func TestWaylandHotkeysThroughThePortal(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	d.bus.ScreenshotPortal(t, "ok", desktopImage(t).SubImage(image.Rect(0, 0, 320, 200)))
	keys := d.bus.ShortcutsPortal(t)
	d.u.env["XDG_SESSION_TYPE"] = "wayland"
	d.u.env["WAYLAND_DISPLAY"] = "wayland-1"
	d.start()
	d.waitLog("hotkeys bound through the portal", 1, 10*time.Second)
	if b := keys.Bound(); b["full_screen"] != "CTRL+SHIFT+1" || b["region"] != "CTRL+SHIFT+2" {
		t.Errorf("bound %v", b)
	}
	keys.Activate(t, "region")
	equalsCrop(t, d.waitStored(1, 30*time.Second)[0].Data, image.Rect(0, 0, 320, 200))
	for _, n := range d.notes.All() {
		if n.Title == "Hotkeys on Wayland" {
			t.Error("the binding hint was shown although the portal bound the keys")
		}
	}
}

// GNOME's question, from the command line: the command says before that
// GNOME will ask; after a Deny it says why every capture fails and how to
// undo it, and `imagecx allow-screenshots` undoes it (the real
// xdg-permission-store keeps the answer).
func TestGNOMEDenyFromTheCommandLine(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	d.bus.StartPermissionStore(t, d.u.env["XDG_DATA_HOME"])
	portal := d.bus.ScreenshotPortal(t, "ok", desktopImage(t).SubImage(image.Rect(0, 0, 640, 480)))
	portal.AskLikeGNOME("deny")
	d.u.env["XDG_SESSION_TYPE"] = "wayland"
	d.u.env["WAYLAND_DISPLAY"] = "wayland-1"
	d.u.env["XDG_CURRENT_DESKTOP"] = "ubuntu:GNOME"
	r := d.u.run("", "capture", "full")
	if r.code != 1 || !strings.Contains(r.stderr, "GNOME asks once") || !strings.Contains(r.stderr, "Deny") || !strings.Contains(r.stderr, "imagecx allow-screenshots") {
		t.Fatalf("denied:\n%s", r)
	}
	n := d.notes.Wait(t, 0, 10*time.Second, titled("Capture failed")) // no terminal: as from a shortcut
	if !strings.Contains(n.Body, "imagecx allow-screenshots") {
		t.Errorf("note %q", n.Body)
	}
	if r := d.u.run("", "capture", "full"); r.code != 1 || strings.Contains(r.stderr, "GNOME asks once") {
		t.Fatalf("denied again (asked once only):\n%s", r)
	}
	if r := d.u.run("", "allow-screenshots"); r.code != 0 || !strings.Contains(r.stdout, "allowed") {
		t.Fatalf("allow-screenshots:\n%s", r)
	}
	if r := d.u.run("", "capture", "full"); r.code != 0 {
		t.Fatalf("after allowing:\n%s", r)
	}
	equalsCrop(t, d.waitStored(1, 10*time.Second)[0].Data, image.Rect(0, 0, 640, 480))
	if portal.Asked() != 1 {
		t.Errorf("GNOME asked %d times", portal.Asked())
	}
}

// On GNOME and KDE a region is one step, as on X11: the portal takes the
// screen without asking, and imagecx's own overlay, in an Xwayland window
// (the Xvfb stands in for it), chooses the rectangle on that screenshot.
func TestRegionOnGNOMEWithTheOwnOverlay(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	d.x.Paint(t, image.NewRGBA(desktopImage(t).Rect)) // rootless Xwayland shows nothing
	portal := d.bus.ScreenshotPortal(t, "ok", desktopImage(t))
	d.u.env["XDG_SESSION_TYPE"] = "wayland"
	d.u.env["WAYLAND_DISPLAY"] = "wayland-1"
	d.u.env["XDG_CURRENT_DESKTOP"] = "GNOME"
	d.start()
	if r := d.u.run("", "capture", "region"); r.code != 0 { // a desktop shortcut runs this
		t.Fatalf("hand-off:\n%s", r)
	}
	d.dragRegion(0, image.Pt(100, 200), image.Pt(740, 680))
	equalsCrop(t, d.waitStored(1, 30*time.Second)[0].Data, image.Rect(100, 200, 740, 680))
	if calls := portal.Calls(); len(calls) != 1 || calls[0].Interactive {
		t.Errorf("portal calls %+v: want one screenshot without its dialog", calls)
	}

	// "Capture region and edit" from a desktop shortcut: the editor opens
	// on the region (in Xwayland, as the overlay), a rectangle drawn with
	// its key goes up with the region, and nothing else changes.
	if r := d.u.run("", "capture", "region", "--edit"); r.code != 0 {
		t.Fatalf("hand-off:\n%s", r)
	}
	region := image.Rect(100, 200, 740, 680)
	d.dragRegion(1, region.Min, region.Max)
	want := imgdiff.RGBA(desktopImage(t).SubImage(region))
	o := d.editorShows(want, image.Pt(-1, -1)) // Xwayland shows nothing of the desktop
	box := image.Rect(40, 40, 200, 150)
	drawRectangleAndUpload(d.tool, o, box)
	rectangleDrawn(t, d.waitStored(2, 30*time.Second)[1].Data, want, box)
}
