// Package wlglobals asks a Wayland compositor which globals (protocols)
// it offers, speaking just enough of the wire protocol: get the registry,
// sync, and read the announced globals until the sync is done.
package wlglobals

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"time"
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
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, fmt.Errorf("connect to the Wayland compositor: %w", err)
	}
	defer conn.Close()
	deadline := time.Now().Add(2 * time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	conn.SetDeadline(deadline)
	const (
		display  = 1 // wl_display
		registry = 2 // wl_registry, made by get_registry
		callback = 3 // wl_callback, made by sync
	)
	req := func(obj, opcode, arg uint32) []byte {
		b := make([]byte, 12)
		binary.LittleEndian.PutUint32(b, obj)
		binary.LittleEndian.PutUint32(b[4:], 12<<16|opcode)
		binary.LittleEndian.PutUint32(b[8:], arg)
		return b
	}
	msg := append(req(display, 1, registry), req(display, 0, callback)...) // get_registry, sync
	if _, err := conn.Write(msg); err != nil {
		return nil, fmt.Errorf("ask the Wayland compositor: %w", err)
	}
	var names []string
	head := make([]byte, 8)
	for {
		if _, err := io.ReadFull(conn, head); err != nil {
			return nil, fmt.Errorf("read the Wayland compositor's answer: %w", err)
		}
		obj := binary.LittleEndian.Uint32(head)
		size := int(binary.LittleEndian.Uint32(head[4:]) >> 16)
		opcode := binary.LittleEndian.Uint32(head[4:]) & 0xffff
		if size < 8 {
			return nil, errors.New("the Wayland compositor sent a broken message")
		}
		body := make([]byte, size-8)
		if _, err := io.ReadFull(conn, body); err != nil {
			return nil, fmt.Errorf("read the Wayland compositor's answer: %w", err)
		}
		switch {
		case obj == callback && opcode == 0: // done: every global was announced
			return names, nil
		case obj == display && opcode == 0: // error
			return nil, errors.New("the Wayland compositor refused the question")
		case obj == registry && opcode == 0 && len(body) >= 8: // global(name, interface, version)
			n := int(binary.LittleEndian.Uint32(body[4:]))
			if n > 0 && 8+n <= len(body) {
				names = append(names, string(body[8:8+n-1])) // without its NUL
			}
		}
	}
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
