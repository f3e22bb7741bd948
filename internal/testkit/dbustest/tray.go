package dbustest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"

	"github.com/godbus/dbus/v5"
)

// Watcher is the tray host's side of StatusNotifierItem: it owns
// org.kde.StatusNotifierWatcher and remembers who registered an item.
type Watcher struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	items []string // bus names of registered items
}

// WatchTray owns org.kde.StatusNotifierWatcher on b.
func (b *Bus) WatchTray(t testing.TB) *Watcher {
	t.Helper()
	w := &Watcher{conn: b.Conn(t)}
	if err := w.conn.ExportWithMap(watcherServer{w}, map[string]string{"Register": "RegisterStatusNotifierItem", "RegisterHost": "RegisterStatusNotifierHost"},
		"/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if r, err := w.conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the watcher name: %v %v", r, err)
	}
	return w
}

type watcherServer struct{ w *Watcher }

func (s watcherServer) Register(sender dbus.Sender, service string) *dbus.Error {
	// An item registers either its object path (we know its bus name from
	// the sender) or its bus name.
	name := service
	if strings.HasPrefix(service, "/") {
		name = string(sender)
	}
	s.w.mu.Lock()
	s.w.items = append(s.w.items, name)
	s.w.mu.Unlock()
	return nil
}

func (s watcherServer) RegisterHost(string) *dbus.Error { return nil }

// Registered counts the registrations so far.
func (w *Watcher) Registered() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.items)
}

// Item waits for a registration after the first n and returns the bus name
// of the newest item.
func (w *Watcher) Item(t testing.TB, n int, within time.Duration) string {
	t.Helper()
	return poll.Value(t, within, "a tray item to register", func() (string, bool) {
		w.mu.Lock()
		defer w.mu.Unlock()
		if len(w.items) > n {
			return w.items[len(w.items)-1], true
		}
		return "", false
	})
}

// MenuItem is one entry of a tray menu.
type MenuItem struct {
	ID       int32
	Label    string
	Shortcut [][]string // dbusmenu's "shortcut": [["Control", "Shift", "1"]]
	Enabled  bool
	Visible  bool
	Children []MenuItem
}

type layout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

// Menu reads the item's menu over com.canonical.dbusmenu.
func (w *Watcher) Menu(t testing.TB, item string) []MenuItem {
	t.Helper()
	var rev uint32
	var root layout
	err := w.conn.Object(item, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root)
	if err != nil {
		t.Fatalf("GetLayout: %v", err)
	}
	return children(root.Children)
}

func children(vs []dbus.Variant) []MenuItem {
	var out []MenuItem
	for _, v := range vs {
		var l layout
		if err := dbus.Store([]any{v.Value()}, &l); err != nil {
			continue
		}
		m := MenuItem{ID: l.ID, Enabled: true, Visible: true, Children: children(l.Children)}
		if p, ok := l.Props["label"]; ok {
			m.Label, _ = p.Value().(string)
		}
		if p, ok := l.Props["enabled"]; ok {
			m.Enabled, _ = p.Value().(bool)
		}
		if p, ok := l.Props["visible"]; ok {
			m.Visible, _ = p.Value().(bool)
		}
		if p, ok := l.Props["shortcut"]; ok {
			m.Shortcut, _ = p.Value().([][]string)
		}
		out = append(out, m)
	}
	return out
}

// Find looks for a visible item whose label starts with label, at any depth.
func Find(items []MenuItem, label string) (MenuItem, bool) {
	for _, m := range items {
		if m.Visible && strings.HasPrefix(m.Label, label) {
			return m, true
		}
		if c, ok := Find(m.Children, label); ok {
			return c, true
		}
	}
	return MenuItem{}, false
}

// WaitItem waits until the menu has a visible item starting with label.
func (w *Watcher) WaitItem(t testing.TB, item, label string, within time.Duration) MenuItem {
	t.Helper()
	var m MenuItem
	if !poll.Wait(within, func() (ok bool) { m, ok = Find(w.Menu(t, item), label); return ok }) {
		t.Fatalf("no menu item %q within %v: %s", label, within, Labels(w.Menu(t, item)))
	}
	return m
}

// Click sends a "clicked" event for the item labelled label.
func (w *Watcher) Click(t testing.TB, item, label string) {
	t.Helper()
	m, ok := Find(w.Menu(t, item), label)
	if !ok {
		t.Fatalf("no menu item %q in %s", label, Labels(w.Menu(t, item)))
	}
	err := w.conn.Object(item, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.Event", 0, m.ID, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())).Err
	var de dbus.Error
	if label == "Quit" && errors.As(err, &de) && de.Name == "org.freedesktop.DBus.Error.NoReply" {
		// Quit may end the app before its answer to the click is sent;
		// the caller checks that it ended.
		err = nil
	}
	if err != nil {
		t.Fatalf("click %q: %v", label, err)
	}
}

// Property reads a StatusNotifierItem property (Title, ToolTip, IconPixmap…).
func (w *Watcher) Property(item, name string) (dbus.Variant, error) {
	return w.conn.Object(item, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem." + name)
}

// Labels lists a menu for failure messages.
func Labels(items []MenuItem) string {
	var b strings.Builder
	for _, m := range items {
		fmt.Fprintf(&b, "[%s", m.Label)
		if !m.Visible {
			b.WriteString(" (hidden)")
		}
		if len(m.Children) > 0 {
			b.WriteString(" " + Labels(m.Children))
		}
		b.WriteString("] ")
	}
	return b.String()
}
