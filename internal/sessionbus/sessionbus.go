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
	"sync"

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

// Keeper holds a connection to the session bus and makes a new one when
// the last one ended (the bus was restarted), so a long-running program
// outlives its bus.
type Keeper struct {
	getenv func(string) string

	mu     sync.Mutex
	conn   *dbus.Conn
	closed bool
}

// NewKeeper connects now; the error says when there is no bus to start
// with.
func NewKeeper(getenv func(string) string) (*Keeper, error) {
	k := &Keeper{getenv: getenv}
	if _, err := k.Conn(); err != nil {
		return nil, err
	}
	return k, nil
}

// Conn is the connection, a new one when the last one ended.
func (k *Keeper) Conn() (*dbus.Conn, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil, errors.New("the session bus connection is closed")
	}
	if k.conn != nil && k.conn.Connected() {
		return k.conn, nil
	}
	conn, err := Connect(context.Background(), k.getenv)
	if err != nil {
		return nil, err
	}
	k.conn = conn
	return conn, nil
}

// Close closes the connection.
func (k *Keeper) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.closed = true
	if k.conn != nil {
		return k.conn.Close()
	}
	return nil
}
