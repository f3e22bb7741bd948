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
	ask         string // AskLikeGNOME
	asked       int
}

// PortalCall is one Screenshot call.
type PortalCall struct {
	Parent      string
	Interactive bool
}

// ScreenshotPortal serves org.freedesktop.portal.Screenshot on b.
func (b *Bus) ScreenshotPortal(t testing.TB, answer string, img image.Image) *Portal {
	t.Helper()
	p := &Portal{conn: b.portalConn(t), dir: t.TempDir(), answer: answer, image: img}
	if err := p.conn.Export(portalServer{p}, portalPath, "org.freedesktop.portal.Screenshot"); err != nil {
		t.Fatal(err)
	}
	return p
}

const portalPath = "/org/freedesktop/portal/desktop"

// portalConn is the connection that owns org.freedesktop.portal.Desktop;
// every fake portal interface is served on it.
func (b *Bus) portalConn(t testing.TB) *dbus.Conn {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.portal == nil {
		b.portal = b.Conn(t)
		if r, err := b.portal.RequestName("org.freedesktop.portal.Desktop", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
			t.Fatalf("own the portal name: %v %v", r, err)
		}
	}
	return b.portal
}

// requestHandle is the Request object a portal call answers on.
func requestHandle(sender dbus.Sender, token string) dbus.ObjectPath {
	return dbus.ObjectPath(portalPath + "/request/" + strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_") + "/" + token)
}

// Shortcuts serves org.freedesktop.portal.GlobalShortcuts: it accepts the
// session and the shortcuts, and Activate presses one.
type Shortcuts struct {
	conn    *dbus.Conn
	mu      sync.Mutex
	session dbus.ObjectPath
	token   string            // the session_handle_token asked for
	bound   map[string]string // id → preferred trigger
	// like is how the portal behaves: "" as the specification says
	// (BindShortcuts binds and answers with what it bound), "kde-5.27"
	// (xdg-desktop-portal-kde 5.27: only the shortcuts given to
	// CreateSession are registered, BindShortcuts answers with none), or
	// "none" (nothing is ever bound).
	like string
}

// Like makes the portal behave as like (see Shortcuts.like).
func (s *Shortcuts) Like(like string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.like = like
}

// Token is the session_handle_token of the last session.
func (s *Shortcuts) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

type shortcutList = []struct {
	ID   string
	Opts map[string]dbus.Variant
}

// register binds list; the caller holds s.mu.
func (s *Shortcuts) register(list shortcutList) {
	for _, sc := range list {
		trigger, _ := sc.Opts["preferred_trigger"].Value().(string)
		s.bound[sc.ID] = trigger
	}
}

// boundList is what is bound, as the portal answers it; the caller holds
// s.mu.
func (s *Shortcuts) boundList() shortcutList {
	out := shortcutList{}
	for id, trigger := range s.bound {
		out = append(out, struct {
			ID   string
			Opts map[string]dbus.Variant
		}{id, map[string]dbus.Variant{"trigger_description": dbus.MakeVariant(trigger)}})
	}
	return out
}

// ShortcutsPortal serves the GlobalShortcuts portal on b.
func (b *Bus) ShortcutsPortal(t testing.TB) *Shortcuts {
	t.Helper()
	s := &Shortcuts{conn: b.portalConn(t), bound: map[string]string{}}
	if err := s.conn.Export(shortcutsServer{s}, portalPath, "org.freedesktop.portal.GlobalShortcuts"); err != nil {
		t.Fatal(err)
	}
	return s
}

// Bound returns id → preferred trigger of the bound shortcuts.
func (s *Shortcuts) Bound() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for k, v := range s.bound {
		out[k] = v
	}
	return out
}

// Activate presses the shortcut id, as the desktop does when its keys are hit.
func (s *Shortcuts) Activate(t testing.TB, id string) {
	t.Helper()
	s.mu.Lock()
	session := s.session
	s.mu.Unlock()
	if err := s.conn.Emit(portalPath, "org.freedesktop.portal.GlobalShortcuts.Activated", session, id, uint64(time.Now().UnixMilli()), map[string]dbus.Variant{}); err != nil {
		t.Fatal(err)
	}
}

type shortcutsServer struct{ s *Shortcuts }

func (srv shortcutsServer) respond(handle dbus.ObjectPath, res map[string]dbus.Variant) {
	go func() {
		time.Sleep(20 * time.Millisecond)
		srv.s.conn.Emit(handle, "org.freedesktop.portal.Request.Response", uint32(0), res)
	}()
}

func (srv shortcutsServer) CreateSession(sender dbus.Sender, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	token, _ := opts["handle_token"].Value().(string)
	stoken, _ := opts["session_handle_token"].Value().(string)
	session := dbus.ObjectPath(portalPath + "/session/" + strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_") + "/" + stoken)
	srv.s.mu.Lock()
	srv.s.session, srv.s.token = session, stoken
	if list, ok := opts["shortcuts"].Value().([][]any); ok && srv.s.like == "kde-5.27" {
		for _, item := range list {
			if len(item) == 2 {
				id, _ := item[0].(string)
				o, _ := item[1].(map[string]dbus.Variant)
				srv.s.register(shortcutList{{ID: id, Opts: o}})
			}
		}
	}
	srv.s.mu.Unlock()
	handle := requestHandle(sender, token)
	srv.respond(handle, map[string]dbus.Variant{"session_handle": dbus.MakeVariant(string(session))})
	return handle, nil
}

func (srv shortcutsServer) BindShortcuts(sender dbus.Sender, session dbus.ObjectPath, shortcuts []struct {
	ID   string
	Opts map[string]dbus.Variant
}, parent string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	token, _ := opts["handle_token"].Value().(string)
	srv.s.mu.Lock()
	answer := shortcutList{}
	if srv.s.like == "" {
		srv.s.register(shortcuts)
		answer = srv.s.boundList()
	}
	srv.s.mu.Unlock()
	handle := requestHandle(sender, token)
	srv.respond(handle, map[string]dbus.Variant{"shortcuts": dbus.MakeVariant(answer)})
	return handle, nil
}

func (srv shortcutsServer) ListShortcuts(sender dbus.Sender, session dbus.ObjectPath, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	token, _ := opts["handle_token"].Value().(string)
	srv.s.mu.Lock()
	answer := srv.s.boundList()
	srv.s.mu.Unlock()
	handle := requestHandle(sender, token)
	srv.respond(handle, map[string]dbus.Variant{"shortcuts": dbus.MakeVariant(answer)})
	return handle, nil
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
	handle := requestHandle(sender, token)
	p.mu.Lock()
	p.calls = append(p.calls, PortalCall{Parent: parent, Interactive: interactive})
	answer, rejectEmpty, ask := p.answer, p.rejectEmpty, p.ask
	p.mu.Unlock()
	go func() {
		time.Sleep(20 * time.Millisecond) // after the method returns, as a real portal
		emit := func(code uint32, res map[string]dbus.Variant) {
			p.conn.Emit(handle, "org.freedesktop.portal.Request.Response", code, res)
		}
		switch {
		case rejectEmpty && parent == "":
			emit(2, map[string]dbus.Variant{})
		case !p.permission(ask):
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
