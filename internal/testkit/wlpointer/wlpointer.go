// Package wlpointer drives a pointer on a wlroots compositor, as xdotool
// does on X: a virtual pointer (wlr-virtual-pointer-unstable-v1) that the
// compositor adds to its seat, moved to absolute places and pressed.
// Headless sway has no input device of its own; this one lets tests drag
// with programs such as slurp.
package wlpointer

import (
	"encoding/binary"
	"fmt"
	"image"
	"io"
	"net"
	"time"
)

// Pointer is a virtual pointer on one connection to the compositor.
type Pointer struct {
	c       *net.UnixConn
	next    uint32 // the next object id
	pointer uint32
	extent  image.Point
	start   time.Time
}

// Open connects to the compositor's socket (a path) and makes a pointer
// whose positions are in a layout of extent's size.
func Open(socket string, extent image.Point) (*Pointer, error) {
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: socket, Net: "unix"})
	if err != nil {
		return nil, err
	}
	p := &Pointer{c: c, next: 2, extent: extent, start: time.Now()}
	registry := p.id()
	p.send(1, 1, registry) // wl_display.get_registry
	var manager uint32
	if err := p.roundtrip(func(obj, op uint32, args []byte) {
		if obj != registry || op != 0 || manager != 0 { // wl_registry.global: name, interface, version
			return
		}
		name := binary.LittleEndian.Uint32(args)
		n := int(binary.LittleEndian.Uint32(args[4:]))
		if n > 0 && 8+n <= len(args) && string(args[8:8+n-1]) == "zwlr_virtual_pointer_manager_v1" {
			manager = p.id()
			iface := "zwlr_virtual_pointer_manager_v1"
			p.send(registry, 0, name, str(iface), uint32(1), manager) // bind
		}
	}); err != nil {
		c.Close()
		return nil, err
	}
	if manager == 0 {
		c.Close()
		return nil, fmt.Errorf("the compositor has no virtual pointers")
	}
	p.pointer = p.id()
	p.send(manager, 0, uint32(0), p.pointer) // create_virtual_pointer: the default seat
	if err := p.roundtrip(nil); err != nil {
		c.Close()
		return nil, err
	}
	return p, nil
}

// Close removes the pointer.
func (p *Pointer) Close() error {
	p.send(p.pointer, 8) // destroy
	return p.c.Close()
}

// Move puts the pointer at at.
func (p *Pointer) Move(at image.Point) error {
	p.send(p.pointer, 1, p.ms(), uint32(at.X), uint32(at.Y), uint32(p.extent.X), uint32(p.extent.Y)) // motion_absolute
	p.send(p.pointer, 4)                                                                          // frame
	return p.roundtrip(nil)
}

// Button presses (down) or releases the left button.
func (p *Pointer) Button(down bool) error {
	state := uint32(0)
	if down {
		state = 1
	}
	p.send(p.pointer, 2, p.ms(), uint32(0x110), state) // button: BTN_LEFT
	p.send(p.pointer, 4)
	return p.roundtrip(nil)
}

// Drag presses at from, moves to to in steps, and releases there.
func (p *Pointer) Drag(from, to image.Point) error {
	steps := []func() error{
		func() error { return p.Move(from) },
		func() error { return p.Button(true) },
	}
	for i := 1; i <= 10; i++ {
		at := from.Add(to.Sub(from).Mul(i).Div(10))
		steps = append(steps, func() error { return p.Move(at) })
	}
	steps = append(steps, func() error { return p.Button(false) })
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
		time.Sleep(30 * time.Millisecond)
	}
	return nil
}

func (p *Pointer) ms() uint32 { return uint32(time.Since(p.start).Milliseconds()) }

func (p *Pointer) id() uint32 {
	p.next++
	return p.next - 1
}

// stringArg is a string argument, already laid out.
type stringArg []byte

func str(s string) stringArg {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(s)+1))
	b = append(b, s...)
	b = append(b, 0)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// send writes a request of object obj; args are uint32s and strings.
func (p *Pointer) send(obj, op uint32, args ...any) {
	var body []byte
	for _, a := range args {
		switch a := a.(type) {
		case uint32:
			body = binary.LittleEndian.AppendUint32(body, a)
		case stringArg:
			body = append(body, a...)
		default:
			panic(fmt.Sprintf("wlpointer: an argument of type %T", a))
		}
	}
	msg := binary.LittleEndian.AppendUint32(nil, obj)
	msg = binary.LittleEndian.AppendUint32(msg, uint32(8+len(body))<<16|op)
	p.c.Write(append(msg, body...))
}

// roundtrip asks for a callback and reads events until it comes, handing
// each to on; a protocol error of the compositor's is returned.
func (p *Pointer) roundtrip(on func(obj, op uint32, args []byte)) error {
	done := p.id()
	p.send(1, 0, done) // wl_display.sync
	p.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var head [8]byte
	for {
		if _, err := io.ReadFull(p.c, head[:]); err != nil {
			return fmt.Errorf("the compositor: %w", err)
		}
		obj := binary.LittleEndian.Uint32(head[:])
		word := binary.LittleEndian.Uint32(head[4:])
		args := make([]byte, int(word>>16)-8)
		if _, err := io.ReadFull(p.c, args); err != nil {
			return fmt.Errorf("the compositor: %w", err)
		}
		op := word & 0xffff
		switch {
		case obj == 1 && op == 0: // wl_display.error
			return fmt.Errorf("the compositor refused a request (object %d, code %d)", binary.LittleEndian.Uint32(args), binary.LittleEndian.Uint32(args[4:]))
		case obj == done:
			return nil
		case on != nil:
			on(obj, op, args)
		}
	}
}
