// Package wlpointer drives a pointer on a wlroots compositor, as xdotool
// does on X: a virtual pointer (wlr-virtual-pointer-unstable-v1) that the
// compositor adds to its seat, moved to absolute places and pressed.
// Headless sway has no input device of its own; this one lets tests drag
// with programs such as slurp.
package wlpointer

import (
	"context"
	"fmt"
	"image"
	"time"

	"imagecx/internal/wlglobals"
)

// Pointer is a virtual pointer on one connection to the compositor.
type Pointer struct {
	c       *wlglobals.Conn
	pointer uint32
	extent  image.Point
	start   time.Time
}

// The requests used (wlr-virtual-pointer-unstable-v1.xml).
const (
	createPointer  = 0 // manager: seat (0: the default), new_id
	motionAbsolute = 1 // time, x, y, x_extent, y_extent
	button         = 2 // time, button, state
	frame          = 4
	destroy        = 8
	btnLeft        = 0x110
)

// Open connects to the compositor's socket (a path) and makes a pointer
// whose positions are in a layout of extent's size.
func Open(socket string, extent image.Point) (*Pointer, error) {
	ctx := context.Background()
	c, err := wlglobals.Dial(ctx, socket)
	if err != nil {
		return nil, err
	}
	globals, err := c.Globals(ctx)
	if err != nil {
		c.Close()
		return nil, err
	}
	managers := globals["zwlr_virtual_pointer_manager_v1"]
	if len(managers) == 0 {
		c.Close()
		return nil, fmt.Errorf("the compositor has no virtual pointers")
	}
	manager, err := c.Bind(managers[0].Name, "zwlr_virtual_pointer_manager_v1", 1)
	if err != nil {
		c.Close()
		return nil, err
	}
	p := &Pointer{c: c, pointer: c.NewID(), extent: extent, start: time.Now()}
	if err := p.do(manager, createPointer, uint32(0), p.pointer); err != nil {
		c.Close()
		return nil, err
	}
	return p, nil
}

// Close removes the pointer.
func (p *Pointer) Close() error {
	p.c.Send(p.pointer, destroy)
	return p.c.Close()
}

// do sends a request, a frame when it is the pointer's, and waits until
// the compositor has handled them.
func (p *Pointer) do(obj, op uint32, args ...any) error {
	if err := p.c.Send(obj, op, args...); err != nil {
		return err
	}
	if obj == p.pointer {
		if err := p.c.Send(p.pointer, frame); err != nil {
			return err
		}
	}
	return p.c.Roundtrip(context.Background(), nil)
}

// Move puts the pointer at at.
func (p *Pointer) Move(at image.Point) error {
	return p.do(p.pointer, motionAbsolute, p.ms(), uint32(at.X), uint32(at.Y), uint32(p.extent.X), uint32(p.extent.Y))
}

// Button presses (down) or releases the left button.
func (p *Pointer) Button(down bool) error {
	state := uint32(0)
	if down {
		state = 1
	}
	return p.do(p.pointer, button, p.ms(), uint32(btnLeft), state)
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
