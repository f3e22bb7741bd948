//go:build !linux

package record

import (
	"context"
	"image"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/wlglobals"
)

// StartWayland: Wayland is Linux's.
func StartWayland(context.Context, *dbus.Conn, string, image.Rectangle, []wlglobals.Output, string, Options) (*Session, string, error) {
	return nil, "", ErrNoH264
}

// StartWaylandGIF: Wayland is Linux's.
func StartWaylandGIF(context.Context, *dbus.Conn, string, image.Rectangle, []wlglobals.Output, string, Options) (Recorder, string, error) {
	return nil, "", ErrNoH264
}
