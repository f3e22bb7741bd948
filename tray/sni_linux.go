package tray

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"

	"imagecx/action"
	"imagecx/assets"
	"imagecx/internal/sessionbus"
)

// The StatusNotifierItem (the icon, its tooltip) and its com.canonical.
// dbusmenu menu, exported on a session bus connection of the tray's own.
// When the bus goes away (a restart, a crash of the session's bus), the
// icon keeps its state and is exported again on the next bus; every call
// to a closed connection is an error here, never a panic.

const (
	itemPath   = dbus.ObjectPath("/StatusNotifierItem")
	menuPath   = dbus.ObjectPath("/StatusNotifierItem/menu")
	itemIface  = "org.kde.StatusNotifierItem"
	menuIface  = "com.canonical.dbusmenu"
	watcherBus = "org.kde.StatusNotifierWatcher"
)

// Icon is the running tray icon and its menu.
type Icon struct {
	clicks chan Click
	done   chan struct{}
	ended  chan struct{}
	stop   sync.Once

	mu       sync.Mutex
	state    State
	nodes    []*node // by id; 0 is the root
	recent   []*node // the Recent uploads submenu's children
	retry    *node   // Retry failed uploads
	cancel   *node   // Cancel the rest
	stopRec  *node   // Stop recording
	actions  map[action.ID]*node
	revision uint32
	conn     *dbus.Conn // nil while there is no bus
}

// node is a menu item with its dbusmenu id.
type node struct {
	id       int32
	e        entry
	children []int32
}

// Run shows the tray and blocks until Stop is called. ready runs once the
// menu exists; exit runs when the tray is gone.
func Run(ready func(*Icon), exit func()) {
	t := &Icon{clicks: make(chan Click, 16), done: make(chan struct{}), ended: make(chan struct{}), state: State{Icon: assets.Idle}}
	t.build()
	go t.keep() // owned: Stop waits for it
	ready(t)
	<-t.ended
	if exit != nil {
		exit()
	}
}

// build numbers the menu's items.
func (t *Icon) build() {
	t.nodes = []*node{{id: 0}}
	t.actions = map[action.ID]*node{}
	var add func(parent *node, entries []entry)
	add = func(parent *node, entries []entry) {
		for _, e := range entries {
			n := &node{id: int32(len(t.nodes)), e: e}
			t.nodes = append(t.nodes, n)
			parent.children = append(parent.children, n.id)
			add(n, e.Children)
			if e.recent {
				for _, c := range n.children {
					t.recent = append(t.recent, t.nodes[c])
				}
			}
			if e.retry {
				t.retry = n
			}
			if e.cancel {
				t.cancel = n
			}
			if e.stop {
				t.stopRec = n
			}
			if e.Click.Action != "" {
				t.actions[e.Click.Action] = n
			}
		}
	}
	add(t.nodes[0], menu())
}

// keep keeps the icon on the session bus: it connects, exports the icon
// and the menu, registers with the tray host (again whenever a host
// starts), and when the bus goes away waits for it to come back.
func (t *Icon) keep() {
	defer close(t.ended)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-t.done; cancel() }()
	wait := 500 * time.Millisecond
	failing := false
	for ctx.Err() == nil {
		conn, err := sessionbus.Connect(context.Background(), os.Getenv)
		if err == nil {
			err = t.export(conn)
			if err != nil {
				conn.Close()
			}
		}
		if err != nil {
			if !failing { // said once, not at every try
				log.Printf("tray: no icon for now (%v); trying again until the session bus is there", err)
				failing = true
			}
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			wait = min(wait*2, 10*time.Second)
			continue
		}
		if failing {
			log.Printf("tray: the icon is back on the session bus")
			failing = false
		}
		wait = 500 * time.Millisecond
		t.serve(ctx, conn)
		t.mu.Lock()
		t.conn = nil
		t.mu.Unlock()
		conn.Close()
		if ctx.Err() == nil {
			log.Printf("tray: the session bus went away; the icon comes back with it")
		}
	}
}

// export puts the icon and the menu on conn. Their properties are
// answered here from the state (not with godbus's prop package, whose
// SetMust panics when the bus has gone).
func (t *Icon) export(conn *dbus.Conn) error {
	for _, o := range []struct {
		v     any
		path  dbus.ObjectPath
		iface string
	}{
		{itemServer{}, itemPath, itemIface},
		{menuServer{t}, menuPath, menuIface},
		{propServer{t, itemPath}, itemPath, "org.freedesktop.DBus.Properties"},
		{propServer{t, menuPath}, menuPath, "org.freedesktop.DBus.Properties"},
		{introspect.Introspectable(itemIntrospection), itemPath, "org.freedesktop.DBus.Introspectable"},
		{introspect.Introspectable(menuIntrospection), menuPath, "org.freedesktop.DBus.Introspectable"},
	} {
		if err := conn.Export(o.v, o.path, o.iface); err != nil {
			return fmt.Errorf("export the tray icon: %w", err)
		}
	}
	name := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", os.Getpid())
	if r, err := conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		return fmt.Errorf("own the tray icon's name %s: %v", name, err)
	}
	t.mu.Lock()
	t.conn = conn
	t.mu.Unlock()
	return nil
}

// serve registers with the tray host, again whenever one starts, until
// the connection or ctx ends.
func (t *Icon) serve(ctx context.Context, conn *dbus.Conn) {
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	defer conn.RemoveSignal(signals)
	conn.AddMatchSignal(dbus.WithMatchSender("org.freedesktop.DBus"), dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, watcherBus))
	register := func() {
		name := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", os.Getpid())
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := conn.Object(watcherBus, "/StatusNotifierWatcher").CallWithContext(rctx, watcherBus+".RegisterStatusNotifierItem", 0, name).Err; err != nil {
			log.Printf("tray: no tray host took the icon yet (%v)", err)
		}
	}
	register()
	for {
		select {
		case <-ctx.Done():
			return
		case <-conn.Context().Done():
			return
		case sig := <-signals:
			if sig != nil && sig.Name == "org.freedesktop.DBus.NameOwnerChanged" && len(sig.Body) == 3 {
				if owner, _ := sig.Body[2].(string); owner != "" {
					register() // a tray host (re)started
				}
			}
		}
	}
}

// pixmap is one size of an icon: ARGB32, big-endian.
type pixmap struct {
	W, H int32
	Pix  []byte
}

// toolTip is the StatusNotifierItem's (sa(iiay)ss).
type toolTip struct {
	IconName string
	Icons    []pixmap
	Title    string
	Text     string
}

// properties are an object's properties for the current state (t.mu
// held).
func (t *Icon) properties(path dbus.ObjectPath) (string, map[string]dbus.Variant) {
	if path == menuPath {
		return menuIface, map[string]dbus.Variant{
			"Version":       dbus.MakeVariant(uint32(3)),
			"TextDirection": dbus.MakeVariant("ltr"),
			"Status":        dbus.MakeVariant("normal"),
			"IconThemePath": dbus.MakeVariant([]string{}),
		}
	}
	status := Tooltip(t.state.Status)
	return itemIface, map[string]dbus.Variant{
		"Category":            dbus.MakeVariant("ApplicationStatus"),
		"Id":                  dbus.MakeVariant("imagecx"),
		"Title":               dbus.MakeVariant(status),
		"Status":              dbus.MakeVariant("Active"),
		"WindowId":            dbus.MakeVariant(int32(0)),
		"IconName":            dbus.MakeVariant(""),
		"IconPixmap":          dbus.MakeVariant(pixmaps(t.state.Icon)),
		"OverlayIconName":     dbus.MakeVariant(""),
		"OverlayIconPixmap":   dbus.MakeVariant([]pixmap{}),
		"AttentionIconName":   dbus.MakeVariant(""),
		"AttentionIconPixmap": dbus.MakeVariant([]pixmap{}),
		"AttentionMovieName":  dbus.MakeVariant(""),
		"IconThemePath":       dbus.MakeVariant(""),
		"ToolTip":             dbus.MakeVariant(toolTip{Title: status}),
		"ItemIsMenu":          dbus.MakeVariant(true),
		"Menu":                dbus.MakeVariant(menuPath),
	}
}

// propServer answers org.freedesktop.DBus.Properties for one object.
type propServer struct {
	t    *Icon
	path dbus.ObjectPath
}

func (p propServer) GetAll(iface string) (map[string]dbus.Variant, *dbus.Error) {
	p.t.mu.Lock()
	defer p.t.mu.Unlock()
	name, props := p.t.properties(p.path)
	if iface != name && iface != "" {
		return nil, dbus.MakeFailedError(fmt.Errorf("no interface %s here", iface))
	}
	return props, nil
}

func (p propServer) Get(iface, property string) (dbus.Variant, *dbus.Error) {
	all, err := p.GetAll(iface)
	if err != nil {
		return dbus.Variant{}, err
	}
	v, ok := all[property]
	if !ok {
		return dbus.Variant{}, dbus.MakeFailedError(fmt.Errorf("no property %s", property))
	}
	return v, nil
}

func (p propServer) Set(iface, property string, v dbus.Variant) *dbus.Error {
	return dbus.MakeFailedError(fmt.Errorf("%s is read-only", property))
}

// changed says that the icon's properties named changed (t.mu held);
// an error means the bus is going away, which keep finds out.
func (t *Icon) changed(signal string, names ...string) {
	_, all := t.properties(itemPath)
	props := map[string]dbus.Variant{}
	for _, n := range names {
		props[n] = all[n]
	}
	t.conn.Emit(itemPath, "org.freedesktop.DBus.Properties.PropertiesChanged", itemIface, props, []string{})
	t.conn.Emit(itemPath, itemIface+"."+signal)
}

var (
	pixmapMu    sync.Mutex
	pixmapCache = map[assets.State][]pixmap{}
)

// pixmaps is state's icon at 16, 32 and 64 pixels.
func pixmaps(state assets.State) []pixmap {
	pixmapMu.Lock()
	defer pixmapMu.Unlock()
	if p, ok := pixmapCache[state]; ok {
		return p
	}
	var out []pixmap
	for _, size := range []int{16, 32, 64} {
		img, err := png.Decode(bytes.NewReader(assets.Icon(state, size)))
		if err != nil {
			continue
		}
		out = append(out, argb(img))
	}
	pixmapCache[state] = out
	return out
}

// argb is img as the ARGB32 rows, big-endian, that StatusNotifierItem
// hosts read.
func argb(img image.Image) pixmap {
	b := img.Bounds()
	p := pixmap{W: int32(b.Dx()), H: int32(b.Dy()), Pix: make([]byte, 0, b.Dx()*b.Dy()*4)}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA() // premultiplied, as the hosts draw them
			p.Pix = append(p.Pix, byte(a>>8), byte(r>>8), byte(g>>8), byte(bl>>8))
		}
	}
	return p
}

// Clicks delivers menu clicks.
func (t *Icon) Clicks() <-chan Click { return t.clicks }

// Set shows s. Call it from one goroutine (the daemon's loop).
func (t *Icon) Set(s State) {
	if s.Icon == "" {
		s.Icon = assets.Idle
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.state
	t.state = s
	menuChanged := t.relabel()
	dynamic := append(recentEntries(s.Recent), retryEntry(s.Failed), cancelEntry(s.Batch), stopEntry(s.Recording))
	for i, e := range dynamic {
		var n *node
		switch {
		case i < len(t.recent):
			n = t.recent[i]
		case e.retry:
			n = t.retry
		case e.stop:
			n = t.stopRec
		default:
			n = t.cancel
		}
		if n.e.Label != e.Label || n.e.Hidden != e.Hidden {
			n.e.Label, n.e.Hidden = e.Label, e.Hidden
			menuChanged = true
		}
	}
	for id, n := range t.actions {
		if hk := s.Hotkeys[id]; n.e.Shortcut != hk {
			n.e.Shortcut = hk
			menuChanged = true
		}
	}
	if menuChanged {
		t.revision++
	}
	if t.conn == nil {
		return // shown when the bus comes back
	}
	if old.Icon != s.Icon {
		t.changed("NewIcon", "IconPixmap")
	}
	if old.Status != s.Status {
		t.changed("NewToolTip", "ToolTip")
		t.changed("NewTitle", "Title")
	}
	if menuChanged {
		t.conn.Emit(menuPath, menuIface+".LayoutUpdated", t.revision, int32(0))
	}
}

// relabel gives every item the label and tip it has now (the language
// may have changed); it reports whether any changed (t.mu held).
func (t *Icon) relabel() bool {
	changed := false
	i := 1 // t.nodes[0] is the root
	var walk func(entries []entry)
	walk = func(entries []entry) {
		for _, e := range entries {
			if i >= len(t.nodes) {
				return
			}
			n := t.nodes[i]
			i++
			if e.Label != "" && !e.Hidden && (n.e.Label != e.Label || n.e.Tip != e.Tip) && n.e.Click.Recent == 0 && !n.e.retry && !n.e.cancel && !n.e.stop {
				n.e.Label, n.e.Tip = e.Label, e.Tip
				changed = true
			}
			walk(e.Children)
		}
	}
	walk(menu())
	return changed
}

// Stop removes the icon; Run returns.
func (t *Icon) Stop() {
	t.stop.Do(func() {
		close(t.done)
		<-t.ended
	})
}

// click hands a menu click on; a click while stopping goes nowhere.
func (t *Icon) click(c Click) {
	select {
	case t.clicks <- c:
	case <-t.done:
	}
}

// itemServer answers the StatusNotifierItem's methods: the icon is a menu
// (ItemIsMenu), so clicks on it open the menu, not these.
type itemServer struct{}

func (itemServer) Activate(x, y int32) *dbus.Error          { return nil }
func (itemServer) SecondaryActivate(x, y int32) *dbus.Error { return nil }
func (itemServer) ContextMenu(x, y int32) *dbus.Error       { return nil }
func (itemServer) Scroll(delta int32, dir string) *dbus.Error {
	return nil
}

// menuServer answers com.canonical.dbusmenu.
type menuServer struct{ t *Icon }

// layout is dbusmenu's (ia{sv}av).
type layout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

// props are item n's dbusmenu properties (t.mu held).
func (n *node) props() map[string]dbus.Variant {
	p := map[string]dbus.Variant{}
	switch {
	case n.id == 0:
		p["children-display"] = dbus.MakeVariant("submenu")
		return p
	case n.e.Separator:
		p["type"] = dbus.MakeVariant("separator")
	default:
		p["label"] = dbus.MakeVariant(n.e.Label)
		if keys := shortcutKeys(n.e.Shortcut); keys != nil {
			p["shortcut"] = dbus.MakeVariant([][]string{keys})
		}
	}
	if n.e.Disabled {
		p["enabled"] = dbus.MakeVariant(false)
	}
	if n.e.Hidden {
		p["visible"] = dbus.MakeVariant(false)
	}
	if len(n.children) > 0 {
		p["children-display"] = dbus.MakeVariant("submenu")
	}
	return p
}

// tree is n's layout down to depth levels (-1: all).
func (m menuServer) tree(n *node, depth int32) layout {
	l := layout{ID: n.id, Props: n.props(), Children: []dbus.Variant{}}
	if depth == 0 {
		return l
	}
	for _, c := range n.children {
		l.Children = append(l.Children, dbus.MakeVariant(m.tree(m.t.nodes[c], depth-1)))
	}
	return l
}

func (m menuServer) node(id int32) (*node, *dbus.Error) {
	if id < 0 || int(id) >= len(m.t.nodes) {
		return nil, dbus.MakeFailedError(fmt.Errorf("no menu item %d", id))
	}
	return m.t.nodes[id], nil
}

func (m menuServer) GetLayout(parent, depth int32, names []string) (uint32, layout, *dbus.Error) {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	n, err := m.node(parent)
	if err != nil {
		return 0, layout{}, err
	}
	return m.t.revision, m.tree(n, depth), nil
}

type itemProps struct {
	ID    int32
	Props map[string]dbus.Variant
}

func (m menuServer) GetGroupProperties(ids []int32, names []string) ([]itemProps, *dbus.Error) {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	out := []itemProps{}
	for _, id := range ids {
		if n, err := m.node(id); err == nil {
			out = append(out, itemProps{id, n.props()})
		}
	}
	return out, nil
}

func (m menuServer) GetProperty(id int32, name string) (dbus.Variant, *dbus.Error) {
	m.t.mu.Lock()
	defer m.t.mu.Unlock()
	n, err := m.node(id)
	if err != nil {
		return dbus.Variant{}, err
	}
	v, ok := n.props()[name]
	if !ok {
		return dbus.Variant{}, dbus.MakeFailedError(fmt.Errorf("menu item %d has no %s", id, name))
	}
	return v, nil
}

func (m menuServer) Event(id int32, event string, data dbus.Variant, timestamp uint32) *dbus.Error {
	if event != "clicked" {
		return nil
	}
	m.t.mu.Lock()
	n, err := m.node(id)
	m.t.mu.Unlock()
	if err != nil {
		return err
	}
	if n.e.Click != (Click{}) && !n.e.Disabled && !n.e.Hidden {
		go m.t.click(n.e.Click) // a method call must not wait for the app
	}
	return nil
}

type menuEvent struct {
	ID        int32
	Event     string
	Data      dbus.Variant
	Timestamp uint32
}

func (m menuServer) EventGroup(events []menuEvent) ([]int32, *dbus.Error) {
	bad := []int32{}
	for _, e := range events {
		if m.Event(e.ID, e.Event, e.Data, e.Timestamp) != nil {
			bad = append(bad, e.ID)
		}
	}
	return bad, nil
}

func (m menuServer) AboutToShow(id int32) (bool, *dbus.Error) { return false, nil }

func (m menuServer) AboutToShowGroup(ids []int32) ([]int32, []int32, *dbus.Error) {
	return []int32{}, []int32{}, nil
}

const itemIntrospection = `<node>
 <interface name="org.kde.StatusNotifierItem">
  <property name="Category" type="s" access="read"/>
  <property name="Id" type="s" access="read"/>
  <property name="Title" type="s" access="read"/>
  <property name="Status" type="s" access="read"/>
  <property name="WindowId" type="i" access="read"/>
  <property name="IconName" type="s" access="read"/>
  <property name="IconPixmap" type="a(iiay)" access="read"/>
  <property name="OverlayIconName" type="s" access="read"/>
  <property name="OverlayIconPixmap" type="a(iiay)" access="read"/>
  <property name="AttentionIconName" type="s" access="read"/>
  <property name="AttentionIconPixmap" type="a(iiay)" access="read"/>
  <property name="AttentionMovieName" type="s" access="read"/>
  <property name="IconThemePath" type="s" access="read"/>
  <property name="ToolTip" type="(sa(iiay)ss)" access="read"/>
  <property name="ItemIsMenu" type="b" access="read"/>
  <property name="Menu" type="o" access="read"/>
  <method name="Activate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
  <method name="SecondaryActivate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
  <method name="ContextMenu"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
  <method name="Scroll"><arg name="delta" type="i" direction="in"/><arg name="orientation" type="s" direction="in"/></method>
  <signal name="NewTitle"/><signal name="NewIcon"/><signal name="NewAttentionIcon"/><signal name="NewOverlayIcon"/><signal name="NewToolTip"/>
  <signal name="NewStatus"><arg name="status" type="s"/></signal>
 </interface>
 <interface name="org.freedesktop.DBus.Properties">
  <method name="Get"><arg name="interface" type="s" direction="in"/><arg name="property" type="s" direction="in"/><arg name="value" type="v" direction="out"/></method>
  <method name="GetAll"><arg name="interface" type="s" direction="in"/><arg name="props" type="a{sv}" direction="out"/></method>
  <method name="Set"><arg name="interface" type="s" direction="in"/><arg name="property" type="s" direction="in"/><arg name="value" type="v" direction="in"/></method>
  <signal name="PropertiesChanged"><arg name="interface" type="s"/><arg name="changed" type="a{sv}"/><arg name="invalidated" type="as"/></signal>
 </interface>
</node>`

const menuIntrospection = `<node>
 <interface name="com.canonical.dbusmenu">
  <property name="Version" type="u" access="read"/>
  <property name="TextDirection" type="s" access="read"/>
  <property name="Status" type="s" access="read"/>
  <property name="IconThemePath" type="as" access="read"/>
  <method name="GetLayout"><arg type="i" name="parentId" direction="in"/><arg type="i" name="recursionDepth" direction="in"/><arg type="as" name="propertyNames" direction="in"/><arg type="u" name="revision" direction="out"/><arg type="(ia{sv}av)" name="layout" direction="out"/></method>
  <method name="GetGroupProperties"><arg type="ai" name="ids" direction="in"/><arg type="as" name="propertyNames" direction="in"/><arg type="a(ia{sv})" name="properties" direction="out"/></method>
  <method name="GetProperty"><arg type="i" name="id" direction="in"/><arg type="s" name="name" direction="in"/><arg type="v" name="value" direction="out"/></method>
  <method name="Event"><arg type="i" name="id" direction="in"/><arg type="s" name="eventId" direction="in"/><arg type="v" name="data" direction="in"/><arg type="u" name="timestamp" direction="in"/></method>
  <method name="EventGroup"><arg type="a(isvu)" name="events" direction="in"/><arg type="ai" name="idErrors" direction="out"/></method>
  <method name="AboutToShow"><arg type="i" name="id" direction="in"/><arg type="b" name="needUpdate" direction="out"/></method>
  <method name="AboutToShowGroup"><arg type="ai" name="ids" direction="in"/><arg type="ai" name="updatesNeeded" direction="out"/><arg type="ai" name="idErrors" direction="out"/></method>
  <signal name="ItemsPropertiesUpdated"><arg type="a(ia{sv})" name="updatedProps"/><arg type="a(ias)" name="removedProps"/></signal>
  <signal name="LayoutUpdated"><arg type="u" name="revision"/><arg type="i" name="parent"/></signal>
  <signal name="ItemActivationRequested"><arg type="i" name="id"/><arg type="u" name="timestamp"/></signal>
 </interface>
</node>`
