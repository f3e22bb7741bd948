//go:build linux || freebsd || openbsd || netbsd

package notify

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/sessionbus"
)

const (
	busName = "org.freedesktop.Notifications"
	objPath = "/org/freedesktop/Notifications"
)

// Open connects to the session bus. It does not check that a notification
// server runs: one may start later, and Notify says when none answers.
func Open(appName string) (Notifier, error) {
	bus, err := sessionbus.NewKeeper(os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("%w: no D-Bus session (%v)", ErrUnsupported, err)
	}
	return &dbusNotifier{bus: bus, app: appName}, nil
}

// dbusNotifier talks to the notification server over a connection that is
// made again when the session bus comes back after a restart.
type dbusNotifier struct {
	bus *sessionbus.Keeper
	app string

	mu      sync.Mutex
	askedOn *dbus.Conn // the connection the server's capabilities were read on
	markup  bool
}

func (d *dbusNotifier) Notify(ctx context.Context, n Note) error {
	conn, err := d.bus.Conn()
	if err != nil {
		return fmt.Errorf("show a notification: %w", err)
	}
	obj := conn.Object(busName, objPath)
	d.mu.Lock()
	if d.askedOn != conn { // a new bus may have a new server
		var caps []string
		if err := obj.CallWithContext(ctx, busName+".GetCapabilities", 0).Store(&caps); err == nil {
			d.markup, d.askedOn = slices.Contains(caps, "body-markup"), conn
		}
	}
	markup := d.markup
	d.mu.Unlock()
	body := n.Body
	if markup {
		body = escapeMarkup(body)
	}
	timeout := int32(-1)
	if n.Timeout > 0 {
		timeout = int32(n.Timeout.Milliseconds())
	}
	hints := map[string]dbus.Variant{
		"urgency":       dbus.MakeVariant(byte(n.Urgency)),
		"desktop-entry": dbus.MakeVariant(d.app),
	}
	if n.Sound != "" {
		hints["sound-name"] = dbus.MakeVariant(n.Sound)
	} else {
		hints["suppress-sound"] = dbus.MakeVariant(true)
	}
	var id uint32
	err = obj.CallWithContext(ctx, busName+".Notify", 0, d.app, uint32(0), n.Icon, n.Title, body, []string{}, hints, timeout).Store(&id)
	if err != nil {
		return fmt.Errorf("show a notification: %w", err)
	}
	return nil
}

func (d *dbusNotifier) Close() error { return d.bus.Close() }
