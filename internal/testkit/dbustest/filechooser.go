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
	chosen []string // none cancels
	calls  []FileChooserCall
}

// FileChooserCall is one OpenFile call.
type FileChooserCall struct {
	Parent, Title string
	Directory     bool
	Modal         bool
	Multiple      bool
	// Filters are the filters' names, and MIME types the first one's.
	Filters   []string
	MIMETypes []string
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

// Choose makes the next calls answer with folder ("" cancels them).
func (f *FileChooser) Choose(folder string) {
	if folder == "" {
		f.ChooseFiles()
		return
	}
	f.ChooseFiles(folder)
}

// ChooseFiles makes the next calls answer with the paths (none cancels
// them).
func (f *FileChooser) ChooseFiles(paths ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chosen = paths
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
	call.Multiple, _ = opts["multiple"].Value().(bool)
	if v, ok := opts["filters"]; ok {
		var filters []struct {
			Name  string
			Rules []struct {
				Kind    uint32
				Pattern string
			}
		}
		if err := dbus.Store([]any{v.Value()}, &filters); err == nil {
			for i, fl := range filters {
				call.Filters = append(call.Filters, fl.Name)
				for _, r := range fl.Rules {
					if i == 0 && r.Kind == 1 {
						call.MIMETypes = append(call.MIMETypes, r.Pattern)
					}
				}
			}
		}
	}
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
		if len(chosen) == 0 {
			f.conn.Emit(handle, "org.freedesktop.portal.Request.Response", uint32(1), map[string]dbus.Variant{})
			return
		}
		var uris []string
		for _, c := range chosen {
			uris = append(uris, (&url.URL{Scheme: "file", Path: c}).String())
		}
		f.conn.Emit(handle, "org.freedesktop.portal.Request.Response", uint32(0), map[string]dbus.Variant{"uris": dbus.MakeVariant(uris)})
	}()
	return handle, nil
}
