package dbustest

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Portal answers org.freedesktop.portal.Screenshot like xdg-desktop-portal:
// it returns the request handle, then emits Response on it.
type Portal struct {
	conn  *dbus.Conn
	dir   string
	image image.Image

	mu sync.Mutex
	// answer is "ok" (write the image to a file and return its URI),
	// "cancel", "fail" or "none" (never answer).
	answer string
	// rejectEmpty answers "failed" to parent_window "", as
	// xdg-desktop-portal-gnome ≥ 46 does.
	rejectEmpty bool
	calls       []PortalCall
	files       []string
}

// PortalCall is one Screenshot call.
type PortalCall struct {
	Parent      string
	Interactive bool
}

// ScreenshotPortal owns org.freedesktop.portal.Desktop on b.
func (b *Bus) ScreenshotPortal(t testing.TB, answer string, img image.Image) *Portal {
	t.Helper()
	p := &Portal{conn: b.Conn(t), dir: t.TempDir(), answer: answer, image: img}
	if err := p.conn.Export(portalServer{p}, "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Screenshot"); err != nil {
		t.Fatal(err)
	}
	if r, err := p.conn.RequestName("org.freedesktop.portal.Desktop", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the portal name: %v %v", r, err)
	}
	return p
}

// SetAnswer changes how the next calls are answered.
func (p *Portal) SetAnswer(a string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answer = a
}

// RejectEmptyParent makes the portal fail calls whose parent_window is "",
// as xdg-desktop-portal-gnome ≥ 46 does.
func (p *Portal) RejectEmptyParent() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rejectEmpty = true
}

// Calls returns the Screenshot calls so far.
func (p *Portal) Calls() []PortalCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]PortalCall(nil), p.calls...)
}

// Files returns the files the portal wrote.
func (p *Portal) Files() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.files...)
}

type portalServer struct{ p *Portal }

func (s portalServer) Screenshot(sender dbus.Sender, parent string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	p := s.p
	token, _ := opts["handle_token"].Value().(string)
	interactive, _ := opts["interactive"].Value().(bool)
	name := strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_")
	handle := dbus.ObjectPath("/org/freedesktop/portal/desktop/request/" + name + "/" + token)
	p.mu.Lock()
	p.calls = append(p.calls, PortalCall{Parent: parent, Interactive: interactive})
	answer, rejectEmpty := p.answer, p.rejectEmpty
	p.mu.Unlock()
	go func() {
		time.Sleep(20 * time.Millisecond) // after the method returns, as a real portal
		emit := func(code uint32, res map[string]dbus.Variant) {
			p.conn.Emit(handle, "org.freedesktop.portal.Request.Response", code, res)
		}
		switch {
		case rejectEmpty && parent == "":
			emit(2, map[string]dbus.Variant{})
		case answer == "ok":
			var buf bytes.Buffer
			png.Encode(&buf, p.image)
			file := filepath.Join(p.dir, "Screenshot from now.png")
			os.WriteFile(file, buf.Bytes(), 0o644)
			p.mu.Lock()
			p.files = append(p.files, file)
			p.mu.Unlock()
			emit(0, map[string]dbus.Variant{"uri": dbus.MakeVariant("file://" + strings.ReplaceAll(file, " ", "%20"))})
		case answer == "cancel":
			emit(1, map[string]dbus.Variant{})
		case answer == "fail":
			emit(2, map[string]dbus.Variant{})
		}
	}()
	return handle, nil
}
