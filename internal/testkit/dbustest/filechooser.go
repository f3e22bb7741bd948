package dbustest

import (
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// FileChooser answers org.freedesktop.portal.FileChooser's OpenFile like
// xdg-desktop-portal: the request handle, then Response on it with the
// answer set by Choose or Cancel.
type FileChooser struct {
	conn *dbus.Conn

	mu     sync.Mutex
	chosen string // "" cancels
	calls  []FileChooserCall
}

// FileChooserCall is one OpenFile call.
type FileChooserCall struct {
	Parent, Title string
	Directory     bool
	Modal         bool
	// CurrentFolder is the current_folder option without its ending zero;
	// Terminated says whether it had one.
	CurrentFolder string
	Terminated    bool
}

// FileChooserPortal serves org.freedesktop.portal.FileChooser on b.
func (b *Bus) FileChooserPortal(t testing.TB) *FileChooser {
	t.Helper()
	f := &FileChooser{conn: b.portalConn(t)}
	if err := f.conn.Export(fileChooserServer{f}, portalPath, "org.freedesktop.portal.FileChooser"); err != nil {
		t.Fatal(err)
	}
	return f
}

// Choose makes the next calls answer with folder.
func (f *FileChooser) Choose(folder string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chosen = folder
}

// Calls returns the OpenFile calls so far.
func (f *FileChooser) Calls() []FileChooserCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FileChooserCall(nil), f.calls...)
}

type fileChooserServer struct{ f *FileChooser }

func (s fileChooserServer) OpenFile(sender dbus.Sender, parent, title string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	f := s.f
	token, _ := opts["handle_token"].Value().(string)
	call := FileChooserCall{Parent: parent, Title: title}
	call.Directory, _ = opts["directory"].Value().(bool)
	call.Modal, _ = opts["modal"].Value().(bool)
	if b, ok := opts["current_folder"].Value().([]byte); ok && len(b) > 0 {
		call.Terminated = b[len(b)-1] == 0
		call.CurrentFolder = string(b[:len(b)-1])
		if !call.Terminated {
			call.CurrentFolder = string(b)
		}
	}
	handle := requestHandle(sender, token)
	f.mu.Lock()
	f.calls = append(f.calls, call)
	chosen := f.chosen
	f.mu.Unlock()
	go func() {
		time.Sleep(20 * time.Millisecond) // after the method returns, as a real portal
		if chosen == "" {
			f.conn.Emit(handle, "org.freedesktop.portal.Request.Response", uint32(1), map[string]dbus.Variant{})
			return
		}
		u := url.URL{Scheme: "file", Path: chosen}
		f.conn.Emit(handle, "org.freedesktop.portal.Request.Response", uint32(0), map[string]dbus.Variant{"uris": dbus.MakeVariant([]string{u.String()})})
	}()
	return handle, nil
}
