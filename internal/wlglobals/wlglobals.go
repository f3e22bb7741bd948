// Package wlglobals asks a Wayland compositor which globals (protocols)
// it offers, and where its outputs are, speaking just enough of the wire
// protocol (Conn): get the registry, bind, sync, and read the events
// until the sync is done.
package wlglobals

import (
	"context"
	"path/filepath"
)

// Socket is the compositor's socket for the environment: $WAYLAND_DISPLAY
// under $XDG_RUNTIME_DIR (or an absolute path); "" when there is none.
func Socket(getenv func(string) string) string {
	d := getenv("WAYLAND_DISPLAY")
	if d == "" {
		return ""
	}
	if filepath.IsAbs(d) {
		return d
	}
	run := getenv("XDG_RUNTIME_DIR")
	if run == "" {
		return ""
	}
	return filepath.Join(run, d)
}

// List returns the interface names of the globals the compositor at
// socket offers.
func List(ctx context.Context, socket string) ([]string, error) {
	c, err := Dial(ctx, socket)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var names []string
	err = c.Roundtrip(ctx, func(obj, op uint32, body []byte) {
		if g, ok := c.global(obj, op, body); ok {
			names = append(names, g.iface)
		}
	})
	return names, err
}

// Offers reports whether the compositor at socket offers any of ifaces.
func Offers(ctx context.Context, socket string, ifaces ...string) bool {
	names, err := List(ctx, socket)
	if err != nil {
		return false
	}
	for _, n := range names {
		for _, i := range ifaces {
			if n == i {
				return true
			}
		}
	}
	return false
}
