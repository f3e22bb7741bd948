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
	conn, err := sessionbus.Connect(context.Background(), os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("%w: no D-Bus session (%v)", ErrUnsupported, err)
	}
	return &dbusNotifier{conn: conn, app: appName}, nil
}

type dbusNotifier struct {
	conn *dbus.Conn
	app  string

	once   sync.Once
	markup bool
}

func (d *dbusNotifier) Notify(ctx context.Context, n Note) error {
	obj := d.conn.Object(busName, objPath)
	d.once.Do(func() {
		var caps []string
		if err := obj.CallWithContext(ctx, busName+".GetCapabilities", 0).Store(&caps); err == nil {
			d.markup = slices.Contains(caps, "body-markup")
		}
	})
	body := n.Body
	if d.markup {
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
	err := obj.CallWithContext(ctx, busName+".Notify", 0, d.app, uint32(0), n.Icon, n.Title, body, []string{}, hints, timeout).Store(&id)
	if err != nil {
		return fmt.Errorf("show a notification: %w", err)
	}
	return nil
}

func (d *dbusNotifier) Close() error { return d.conn.Close() }
