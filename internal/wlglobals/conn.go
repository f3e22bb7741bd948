package wlglobals

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// Conn is a connection to a Wayland compositor with its registry.
type Conn struct {
	c        net.Conn
	next     uint32
	registry uint32
}

const display = 1 // wl_display

// Dial connects to the compositor at socket and asks for its registry
// (the globals come with the next Roundtrip).
func Dial(ctx context.Context, socket string) (*Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, fmt.Errorf("connect to the Wayland compositor: %w", err)
	}
	c := &Conn{c: nc, next: 2}
	c.registry = c.NewID()
	if err := c.Send(display, 1, c.registry); err != nil { // get_registry
		nc.Close()
		return nil, err
	}
	return c, nil
}

// Close ends the connection (the compositor removes what it made).
func (c *Conn) Close() error { return c.c.Close() }

// NewID is the id of a new object.
func (c *Conn) NewID() uint32 {
	c.next++
	return c.next - 1
}

// Send sends request op of object obj; args are uint32, int32 and string.
func (c *Conn) Send(obj, op uint32, args ...any) error {
	var body []byte
	for _, a := range args {
		switch a := a.(type) {
		case uint32:
			body = binary.LittleEndian.AppendUint32(body, a)
		case int32:
			body = binary.LittleEndian.AppendUint32(body, uint32(a))
		case string:
			body = binary.LittleEndian.AppendUint32(body, uint32(len(a)+1))
			body = append(body, a...)
			body = append(body, make([]byte, 4-len(a)%4)...) // the NUL, padded to 4
		default:
			panic(fmt.Sprintf("wlglobals: an argument of type %T", a))
		}
	}
	msg := binary.LittleEndian.AppendUint32(nil, obj)
	msg = binary.LittleEndian.AppendUint32(msg, uint32(8+len(body))<<16|op)
	if _, err := c.c.Write(append(msg, body...)); err != nil {
		return fmt.Errorf("ask the Wayland compositor: %w", err)
	}
	return nil
}

// Bind binds the global name as iface at version and returns its id.
func (c *Conn) Bind(name uint32, iface string, version uint32) (uint32, error) {
	id := c.NewID()
	return id, c.Send(c.registry, 0, name, iface, version, id)
}

// Roundtrip sends a sync and hands every event before its answer to on
// (none may keep body); the compositor's protocol error is returned.
// It waits 2 s at most, less when ctx says so.
func (c *Conn) Roundtrip(ctx context.Context, on func(obj, op uint32, body []byte)) error {
	deadline := time.Now().Add(2 * time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	c.c.SetDeadline(deadline)
	done := c.NewID()
	if err := c.Send(display, 0, done); err != nil { // sync
		return err
	}
	head := make([]byte, 8)
	for {
		if _, err := io.ReadFull(c.c, head); err != nil {
			return fmt.Errorf("read the Wayland compositor's answer: %w", err)
		}
		obj := binary.LittleEndian.Uint32(head)
		size := int(binary.LittleEndian.Uint32(head[4:]) >> 16)
		op := binary.LittleEndian.Uint32(head[4:]) & 0xffff
		if size < 8 {
			return errors.New("the Wayland compositor sent a broken message")
		}
		body := make([]byte, size-8)
		if _, err := io.ReadFull(c.c, body); err != nil {
			return fmt.Errorf("read the Wayland compositor's answer: %w", err)
		}
		switch {
		case obj == done && op == 0:
			return nil
		case obj == display && op == 0: // error
			return errors.New("the Wayland compositor refused the question")
		case on != nil:
			on(obj, op, body)
		}
	}
}

// aGlobal is a global the registry announced.
type aGlobal struct {
	name    uint32
	iface   string
	version uint32
}

// global reads a registry's global event (name, interface, version).
func (c *Conn) global(obj, op uint32, body []byte) (aGlobal, bool) {
	if obj != c.registry || op != 0 || len(body) < 8 {
		return aGlobal{}, false
	}
	iface, rest, ok := Str(body[4:])
	if !ok || len(rest) < 4 {
		return aGlobal{}, false
	}
	return aGlobal{name: Uint(body, 0), iface: iface, version: Uint(rest, 0)}, true
}

// Globals returns the globals the compositor offers, by interface (an
// interface such as wl_output may be offered several times).
func (c *Conn) Globals(ctx context.Context) (map[string][]Global, error) {
	all := map[string][]Global{}
	err := c.Roundtrip(ctx, func(obj, op uint32, body []byte) {
		if g, ok := c.global(obj, op, body); ok {
			all[g.iface] = append(all[g.iface], Global{Name: g.name, Version: g.version})
		}
	})
	return all, err
}

// Global is an announced global: its name (to bind it) and version.
type Global struct{ Name, Version uint32 }

// Uint is the 32-bit argument at byte at of body.
func Uint(body []byte, at int) uint32 { return binary.LittleEndian.Uint32(body[at:]) }

// Str reads a string argument (its length with the NUL, then the bytes
// padded to 4) and returns it and what follows.
func Str(b []byte) (string, []byte, bool) {
	if len(b) < 4 {
		return "", nil, false
	}
	n := int(Uint(b, 0))
	padded := (n + 3) &^ 3
	if n < 1 || 4+padded > len(b) {
		return "", nil, false
	}
	return string(b[4 : 4+n-1]), b[4+padded:], true
}
