//go:build !linux

package record

import (
	"context"

	"github.com/godbus/dbus/v5"
)

// StartWayland: Wayland is Linux's.
func StartWayland(context.Context, *dbus.Conn, string, CastArea, string, Options) (*Session, string, error) {
	return nil, "", ErrNoH264
}

// StartWaylandGIF: Wayland is Linux's.
func StartWaylandGIF(context.Context, *dbus.Conn, string, CastArea, string, Options) (Recorder, string, error) {
	return nil, "", ErrNoH264
}
