package global

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"imagecx/hotkeys"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/portal"
)

// The GlobalShortcuts portal: how an app gets hotkeys on Wayland, where the
// desktop offers it (KDE Plasma, GNOME 48+, Hyprland). The desktop asks the
// user to confirm or change the keys; imagecx only suggests them.
const shortcutsIf = "org.freedesktop.portal.GlobalShortcuts"

// Shortcut is one action to bind through the portal.
type Shortcut struct {
	Name        string         // the action, reported back in hotkeys.Event.Name
	Description string         // shown by the desktop
	Hotkey      hotkeys.Hotkey // the suggested trigger
}

// Portal is a GlobalShortcuts session.
type Portal struct {
	conn    *dbus.Conn
	session dbus.ObjectPath
	events  chan hotkeys.Event
	signals chan *dbus.Signal
	done    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
}

// BindPortal creates a session and binds shortcuts. hotkeys.ErrUnsupported means
// the desktop has no GlobalShortcuts portal.
func BindPortal(ctx context.Context, conn *dbus.Conn, shortcuts []Shortcut) (*Portal, error) {
	p := &Portal{conn: conn, events: make(chan hotkeys.Event, 8), signals: make(chan *dbus.Signal, 16), done: make(chan struct{})}
	// Activations arrive as signals on the portal object; listen first.
	if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchInterface(shortcutsIf), dbus.WithMatchMember("Activated")); err != nil {
		return nil, fmt.Errorf("listen for shortcuts: %w", err)
	}
	conn.Signal(p.signals)

	var list []struct {
		ID   string
		Opts map[string]dbus.Variant
	}
	for _, s := range shortcuts {
		list = append(list, struct {
			ID   string
			Opts map[string]dbus.Variant
		}{s.Name, map[string]dbus.Variant{
			"description":       dbus.MakeVariant(s.Description),
			"preferred_trigger": dbus.MakeVariant(Trigger(s.Hotkey)),
		}})
	}
	// The shortcuts go to CreateSession too: xdg-desktop-portal-kde
	// before 6.0.5 registers only those, and ignores BindShortcuts'. The
	// session token stays the same from one start to the next: KDE names
	// the shortcuts' component after it, and a new one each time would
	// lose the keys a person set.
	res, err := p.request(ctx, "CreateSession", func(token string) []any {
		return []any{map[string]dbus.Variant{"handle_token": dbus.MakeVariant(token), "session_handle_token": dbus.MakeVariant(SessionToken),
			"shortcuts": dbus.MakeVariant(list)}}
	})
	if err != nil {
		p.Close()
		return nil, err
	}
	session, _ := res["session_handle"].Value().(string)
	if session == "" {
		if op, ok := res["session_handle"].Value().(dbus.ObjectPath); ok {
			session = string(op)
		}
	}
	if session == "" {
		p.Close()
		return nil, errors.New("the shortcuts portal gave no session")
	}
	p.session = dbus.ObjectPath(session)

	res, err = p.request(ctx, "BindShortcuts", func(token string) []any {
		return []any{p.session, list, "", map[string]dbus.Variant{"handle_token": dbus.MakeVariant(token)}}
	})
	if err != nil {
		p.Close()
		return nil, err
	}
	bound := boundIDs(res)
	if len(bound) < len(shortcuts) {
		// Some portals bind and answer with fewer (KDE 5.27 answers with
		// none, having registered CreateSession's): ask what holds.
		if res, err := p.request(ctx, "ListShortcuts", func(token string) []any {
			return []any{p.session, map[string]dbus.Variant{"handle_token": dbus.MakeVariant(token)}}
		}); err == nil {
			bound = boundIDs(res)
		}
	}
	var missing []string
	for _, s := range shortcuts {
		if !bound[s.Name] {
			missing = append(missing, s.Hotkey.String())
		}
	}
	if len(missing) > 0 {
		p.Close()
		return nil, &NotBoundError{Missing: missing, Of: len(shortcuts)}
	}
	p.wg.Add(1)
	go p.loop()
	return p, nil
}

// SessionToken names imagecx's shortcut session, the same at every start.
const SessionToken = "imagecx"

// NotBoundError says the desktop's portal did not bind every hotkey.
type NotBoundError struct {
	Missing []string // the hotkeys not bound ("Ctrl+Shift+1")
	Of      int      // how many were asked for
}

func (e *NotBoundError) Error() string {
	return fmt.Sprintf("the desktop's shortcuts portal bound %d of %d hotkeys (not %s)", e.Of-len(e.Missing), e.Of, strings.Join(e.Missing, ", "))
}

// Explain says it for people.
func (e *NotBoundError) Explain() string {
	return fmt.Sprintf("The desktop took %d of imagecx's %d hotkeys through its shortcuts portal; %s do nothing.", e.Of-len(e.Missing), e.Of, strings.Join(e.Missing, ", "))
}

// boundIDs reads the shortcuts a portal answer lists (a(sa{sv})).
func boundIDs(res map[string]dbus.Variant) map[string]bool {
	ids := map[string]bool{}
	v, ok := res["shortcuts"]
	if !ok {
		return ids
	}
	switch list := v.Value().(type) {
	case [][]any:
		for _, item := range list {
			if len(item) > 0 {
				if id, ok := item[0].(string); ok {
					ids[id] = true
				}
			}
		}
	case []struct {
		ID   string
		Opts map[string]dbus.Variant
	}:
		for _, item := range list {
			ids[item.ID] = true
		}
	}
	return ids
}

// Trigger writes h the way the shortcuts portal suggests keys
// ("CTRL+SHIFT+1", "LOGO+F9").
func Trigger(h hotkeys.Hotkey) string {
	var parts []string
	for _, m := range []struct {
		m    hotkeys.Mod
		name string
	}{{hotkeys.Ctrl, "CTRL"}, {hotkeys.Shift, "SHIFT"}, {hotkeys.Alt, "ALT"}, {hotkeys.Super, "LOGO"}} {
		if h.Mods&m.m != 0 {
			parts = append(parts, m.name)
		}
	}
	key := h.Key
	if len(key) == 1 {
		key = strings.ToLower(key)
	}
	return strings.Join(append(parts, key), "+")
}

// request makes one GlobalShortcuts portal request.
func (p *Portal) request(ctx context.Context, method string, args func(token string) []any) (map[string]dbus.Variant, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute) // the desktop may ask the user
	defer cancel()
	res, err := portal.Request(ctx, p.conn, shortcutsIf, method, args)
	switch {
	case errors.Is(err, portal.ErrUnavailable):
		return nil, fmt.Errorf("%w: the desktop has no GlobalShortcuts portal", hotkeys.ErrUnsupported)
	case errors.Is(err, portal.ErrCancelled):
		return nil, errors.New("the shortcuts were declined")
	case err != nil:
		return nil, fmt.Errorf("shortcuts portal %s: %w", method, err)
	}
	return res, nil
}

func (p *Portal) loop() {
	defer p.wg.Done()
	defer close(p.events)
	missed := 0
	for {
		select {
		case <-p.done:
			return
		case sig, ok := <-p.signals:
			if !ok {
				return // the bus went away, and the session with it: Events ends
			}
			if sig == nil || sig.Name != shortcutsIf+".Activated" || len(sig.Body) < 2 {
				continue
			}
			session, _ := sig.Body[0].(dbus.ObjectPath)
			id, _ := sig.Body[1].(string)
			if session != p.session || id == "" {
				continue
			}
			select {
			case p.events <- hotkeys.Event{Name: id, Missed: missed}:
				missed = 0
			default: // the program is far behind: counted, and said with the next press
				missed++
			}
		}
	}
}

// Events delivers activations; it is closed when the session ends (Close,
// or the bus going away).
func (p *Portal) Events() <-chan hotkeys.Event { return p.events }

// Close ends the session (the desktop releases the keys).
func (p *Portal) Close() error {
	p.once.Do(func() {
		close(p.done)
		p.conn.RemoveSignal(p.signals)
		if p.session != "" {
			p.conn.Object(portal.Name, p.session).Call("org.freedesktop.portal.Session.Close", dbus.FlagNoReplyExpected)
		}
	})
	p.wg.Wait()
	return nil
}
