//go:build unix

package dbustest

import (
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// ScreenCast answers org.freedesktop.portal.ScreenCast like
// xdg-desktop-portal: a session, the sources chosen, a stream started
// (Node, of Size), and a PipeWire remote: here a file whose contents the
// test knows (the reader of the stream is not the test's business).
type ScreenCast struct {
	conn *dbus.Conn
	node uint32
	w, h int32

	mu       sync.Mutex
	refuse   bool // the person says no at Start
	token    string
	selected []map[string]dbus.Variant // SelectSources' options
	closed   []string                  // sessions closed
	remote   string                    // what the remote's file holds
}

// ScreenCastPortal serves org.freedesktop.portal.ScreenCast on b: its
// stream is node, a w×h monitor at (1920, 0); token is the restore token
// Start gives.
func (b *Bus) ScreenCastPortal(t testing.TB, node uint32, w, h int32, token string) *ScreenCast {
	t.Helper()
	s := &ScreenCast{conn: b.portalConn(t), node: node, w: w, h: h, token: token, remote: "pipewire remote"}
	if err := s.conn.Export(screenCastServer{s}, portalPath, "org.freedesktop.portal.ScreenCast"); err != nil {
		t.Fatal(err)
	}
	return s
}

// Refuse makes Start answer as when the person says no.
func (s *ScreenCast) Refuse() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = true
}

// Selected are SelectSources' options, call by call.
func (s *ScreenCast) Selected() []map[string]dbus.Variant {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]dbus.Variant(nil), s.selected...)
}

// Closed are the sessions closed so far.
func (s *ScreenCast) Closed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.closed...)
}

type screenCastServer struct{ s *ScreenCast }

// respond answers the request token of sender after the method returned.
func (v screenCastServer) respond(sender dbus.Sender, opts map[string]dbus.Variant, code uint32, results map[string]dbus.Variant) dbus.ObjectPath {
	token, _ := opts["handle_token"].Value().(string)
	handle := requestHandle(sender, token)
	go func() {
		time.Sleep(10 * time.Millisecond)
		v.s.conn.Emit(handle, "org.freedesktop.portal.Request.Response", code, results)
	}()
	return handle
}

func (v screenCastServer) CreateSession(sender dbus.Sender, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	token, _ := opts["session_handle_token"].Value().(string)
	session := portalPath + "/session/" + strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_") + "/" + token
	if err := v.s.conn.Export(sessionServer{v.s, session}, dbus.ObjectPath(session), "org.freedesktop.portal.Session"); err != nil {
		return "", dbus.MakeFailedError(err)
	}
	return v.respond(sender, opts, 0, map[string]dbus.Variant{"session_handle": dbus.MakeVariant(session)}), nil
}

func (v screenCastServer) SelectSources(sender dbus.Sender, _ dbus.ObjectPath, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	v.s.mu.Lock()
	v.s.selected = append(v.s.selected, opts)
	v.s.mu.Unlock()
	return v.respond(sender, opts, 0, map[string]dbus.Variant{}), nil
}

func (v screenCastServer) Start(sender dbus.Sender, _ dbus.ObjectPath, _ string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	v.s.mu.Lock()
	refuse, token := v.s.refuse, v.s.token
	v.s.mu.Unlock()
	if refuse {
		return v.respond(sender, opts, 1, map[string]dbus.Variant{}), nil
	}
	type stream struct {
		Node  uint32
		Props map[string]dbus.Variant
	}
	size := struct{ W, H int32 }{v.s.w, v.s.h}
	position := struct{ X, Y int32 }{1920, 0} // right of a 1920-wide monitor
	results := map[string]dbus.Variant{"streams": dbus.MakeVariant([]stream{{v.s.node, map[string]dbus.Variant{
		"size": dbus.MakeVariant(size), "position": dbus.MakeVariant(position)}}})}
	if token != "" {
		results["restore_token"] = dbus.MakeVariant(token)
	}
	return v.respond(sender, opts, 0, results), nil
}

func (v screenCastServer) OpenPipeWireRemote(_ dbus.ObjectPath, _ map[string]dbus.Variant) (dbus.UnixFD, *dbus.Error) {
	r, w, err := os.Pipe()
	if err != nil {
		return 0, dbus.MakeFailedError(err)
	}
	w.WriteString(v.s.remote)
	w.Close()
	defer r.Close()
	fd, err := syscall.Dup(int(r.Fd())) // godbus sends it; r's own is closed here
	if err != nil {
		return 0, dbus.MakeFailedError(err)
	}
	return dbus.UnixFD(fd), nil
}

type sessionServer struct {
	s    *ScreenCast
	path string
}

func (v sessionServer) Close() *dbus.Error {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	v.s.closed = append(v.s.closed, v.path)
	return nil
}
