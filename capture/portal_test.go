package capture

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/explain"
	"imagecx/internal/portal"
	"imagecx/internal/testkit/dbustest"
)

func startPortal(t *testing.T, answer string) (*dbustest.Portal, *Portal) {
	bus := dbustest.Start(t)
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	img.SetRGBA(3, 4, color.RGBA{200, 100, 50, 255})
	f := bus.ScreenshotPortal(t, answer, img)
	f.RejectEmptyParent()
	return f, &Portal{Bus: OnConn(bus.Conn(t)), Timeout: time.Second, Desktop: "GNOME"}
}

func TestPortalScreenshot(t *testing.T) {
	f, p := startPortal(t, "ok")
	img, err := p.Screenshot(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if img.Rect.Dx() != 64 || img.RGBAAt(3, 4) != (color.RGBA{200, 100, 50, 255}) {
		t.Fatalf("image %v", img.Rect)
	}
	calls := f.Calls()
	if len(calls) != 1 || calls[0].Parent == "" || !calls[0].Interactive {
		t.Errorf("calls %+v", calls)
	}
	if _, err := os.Stat(f.Files()[0]); !os.IsNotExist(err) {
		t.Error("the portal's file was not deleted")
	}
}

func TestPortalRetriesTheOtherParentForm(t *testing.T) {
	f, p := startPortal(t, "ok")
	p.Desktop = "KDE" // tries "" first, which this portal rejects as GNOME does
	if _, err := p.Screenshot(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	calls := f.Calls()
	if len(calls) != 2 || calls[0].Parent != "" || calls[1].Parent != "wayland:" || calls[0].Interactive {
		t.Errorf("calls %+v", calls)
	}
}

func TestPortalCancelTimeoutAndAbsence(t *testing.T) {
	_, p := startPortal(t, "cancel")
	if _, err := p.Screenshot(context.Background(), true); !errors.Is(err, ErrCancelled) {
		t.Fatalf("cancel: %v", err)
	}
	_, p = startPortal(t, "none")
	p.Timeout = 200 * time.Millisecond
	start := time.Now()
	if _, err := p.Screenshot(context.Background(), true); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("no answer: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("the timeout was not honoured")
	}
	_, p = startPortal(t, "fail")
	_, err := p.Screenshot(context.Background(), true)
	if !errors.Is(err, portal.ErrFailed) || strings.Contains(err.Error(), "grim") {
		t.Fatalf("failure: %v", err)
	}
	bus := dbustest.Start(t)
	none := &Portal{Bus: OnConn(bus.Conn(t)), Timeout: time.Second}
	if _, err := none.Screenshot(context.Background(), false); !errors.Is(err, ErrPortalUnavailable) {
		t.Fatalf("no portal: %v", err)
	}
}

// Only the file the portal wrote for this request is deleted: a file it
// names that is older than the request, or a link, is the person's.
func TestPortalDeletesOnlyItsOwnFile(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 4, 4)))
	write := func(name string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	asked := time.Now()
	fresh := write("Screenshot.png")
	mine := write("Screenshot from last week.png")
	os.Chtimes(mine, asked.Add(-time.Hour), asked.Add(-time.Hour))
	link := filepath.Join(dir, "link.png")
	os.Symlink(mine, link)
	for _, c := range []struct {
		path string
		gone bool
	}{{fresh, true}, {mine, false}, {link, false}} {
		if _, err := readPortalFile("file://"+c.path, asked); err != nil {
			t.Fatal(err)
		}
		_, err := os.Lstat(c.path)
		if gone := os.IsNotExist(err); gone != c.gone {
			t.Errorf("%s: deleted %v, want %v", filepath.Base(c.path), gone, c.gone)
		}
	}
}

// GNOME asks once and keeps the answer (xdg-permission-store): before it
// asks, Asking says so; after a Deny every capture fails at once, with
// ErrDenied saying why and how to undo it; AllowScreenshots undoes it.
func TestGNOMEPermission(t *testing.T) {
	if _, err := os.Stat("/usr/libexec/xdg-permission-store"); err != nil && os.Getenv("CI") == "" {
		t.Skip("no xdg-permission-store (xdg-desktop-portal)")
	}
	bus := dbustest.Start(t)
	bus.StartPermissionStore(t, filepath.Join(t.TempDir(), "share"))
	f := bus.ScreenshotPortal(t, "ok", image.NewRGBA(image.Rect(0, 0, 8, 8)))
	f.AskLikeGNOME("deny")
	asking := 0
	p := &Portal{Bus: OnConn(bus.Conn(t)), Timeout: 5 * time.Second, Desktop: "ubuntu:GNOME", Asking: func() { asking++ }}
	for i := range 2 {
		_, err := p.Screenshot(context.Background(), false)
		if !errors.Is(err, ErrDenied) {
			t.Fatalf("capture %d: %v", i, err)
		}
	}
	if asking != 1 || f.Asked() != 1 {
		t.Errorf("told %d times, asked %d times; want once each", asking, f.Asked())
	}
	if msg := explain.Error(ErrDenied); !strings.Contains(msg, "Deny") || !strings.Contains(msg, "imagecx allow-screenshots") {
		t.Errorf("explained as %q", msg)
	}
	if err := p.AllowScreenshots(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Screenshot(context.Background(), false); err != nil {
		t.Fatalf("after allowing again: %v", err)
	}
}

type screenSaver struct{}

func (screenSaver) GetActive() (bool, *dbus.Error) { return true, nil }

// A locked screen is said at once (the portals would wait until it is
// unlocked); KDE's portal gets a Pictures folder to write into.
func TestLockedScreenAndMissingPictures(t *testing.T) {
	f, p := startPortal(t, "ok")
	p.Desktop = "KDE"
	p.PicturesDir = filepath.Join(t.TempDir(), "Pictures")
	if _, err := p.Screenshot(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(p.PicturesDir); err != nil || !st.IsDir() {
		t.Errorf("no Pictures folder for KDE's portal: %v", err)
	}
	conn, _ := p.Bus()
	if err := conn.Export(screenSaver{}, "/ScreenSaver", "org.freedesktop.ScreenSaver"); err != nil {
		t.Fatal(err)
	}
	conn.RequestName("org.freedesktop.ScreenSaver", dbus.NameFlagDoNotQueue)
	start := time.Now()
	if _, err := p.Screenshot(context.Background(), false); !errors.Is(err, ErrScreenLocked) || time.Since(start) > 2*time.Second {
		t.Fatalf("locked: %v after %v", err, time.Since(start))
	}
	if n := len(f.Calls()); n != 2 { // KDE's "" first, rejected, then "wayland:"
		t.Errorf("%d portal calls: the locked screen was asked", n)
	}
}
