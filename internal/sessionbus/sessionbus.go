// Package sessionbus finds and connects to the user's D-Bus session bus,
// and never starts one. (godbus's ConnectSessionBus runs `dbus-launch
// --autolaunch` when it finds none, which leaves a dbus-daemon and, once
// the keyring is asked, a gnome-keyring-daemon behind, one more per run.)
package sessionbus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/godbus/dbus/v5"
)

// ErrNone means the session has no bus to connect to.
var ErrNone = errors.New("no D-Bus session bus")

// Address is the session bus's address: DBUS_SESSION_BUS_ADDRESS, else
// the per-user bus at $XDG_RUNTIME_DIR/bus (systemd's); else ErrNone.
func Address(getenv func(string) string) (string, error) {
	if a := strings.TrimSpace(getenv("DBUS_SESSION_BUS_ADDRESS")); a != "" && !strings.HasPrefix(a, "autolaunch:") {
		return a, nil
	}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		p := filepath.Join(d, "bus")
		if st, err := os.Stat(p); err == nil && st.Mode()&fs.ModeSocket != 0 {
			return "unix:path=" + p, nil
		}
	}
	return "", fmt.Errorf("%w (DBUS_SESSION_BUS_ADDRESS is not set, and imagecx does not start one)", ErrNone)
}

// Connect opens a connection of its own to the session bus, authenticated
// and named. ctx bounds the connection's whole life, not only the
// connecting: give a long-lived one to a connection that stays.
func Connect(ctx context.Context, getenv func(string) string, opts ...dbus.ConnOption) (*dbus.Conn, error) {
	addr, err := Address(getenv)
	if err != nil {
		return nil, err
	}
	conn, err := dbus.Connect(addr, append([]dbus.ConnOption{dbus.WithContext(ctx)}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("connect to the D-Bus session bus: %w", err)
	}
	return conn, nil
}
