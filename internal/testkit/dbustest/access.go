package dbustest

import (
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// AccessBackendName is the bus name of the Access backend AccessBackend
// serves, for a .portal file that points xdg-desktop-portal at it.
const AccessBackendName = "org.freedesktop.impl.portal.desktop.imagecxtest"

// Access is a backend of org.freedesktop.impl.portal.Access that grants
// every request, as a user clicking Allow would. xdg-desktop-portal only
// offers the Screenshot portal when some Access backend exists (on a real
// desktop, xdg-desktop-portal-gtk or the desktop's own).
type Access struct {
	mu     sync.Mutex
	titles []string
}

// AccessBackend serves an Access backend under AccessBackendName.
func (b *Bus) AccessBackend(t testing.TB) *Access {
	t.Helper()
	conn := b.Conn(t)
	a := &Access{}
	if err := conn.Export(accessServer{a}, portalPath, "org.freedesktop.impl.portal.Access"); err != nil {
		t.Fatal(err)
	}
	if r, err := conn.RequestName(AccessBackendName, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v %v", AccessBackendName, r, err)
	}
	return a
}

// Asked is the titles of the dialogs that would have been shown.
func (a *Access) Asked() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.titles...)
}

type accessServer struct{ a *Access }

func (s accessServer) AccessDialog(handle dbus.ObjectPath, app, parent, title, subtitle, body string, opts map[string]dbus.Variant) (uint32, map[string]dbus.Variant, *dbus.Error) {
	s.a.mu.Lock()
	s.a.titles = append(s.a.titles, title)
	s.a.mu.Unlock()
	return 0, map[string]dbus.Variant{}, nil
}
