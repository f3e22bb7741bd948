//go:build linux

// Package xdnd drops files on an X11 window as a file manager does: it is
// the source side of the XDND protocol (version 5), offering the files as
// text/uri-list, for tests of what a window does with a drop.
package xdnd

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/internal/xconn"
)

// ErrRefused means the target answered the drop's position without
// accepting it (it does not take files there, or at all).
var ErrRefused = errors.New("the window does not accept the drop")

// Drop drags files over target (an X window, as xdotool names it) to the
// point x, y of the screen and drops them there, then waits until the
// target says it has taken them (XdndFinished) or ctx ends.
func Drop(ctx context.Context, display string, target xproto.Window, x, y int, files []string) error {
	conn, err := xconn.Dial(display, errors.ErrUnsupported)
	if err != nil {
		return err
	}
	defer conn.Close()
	setup := xproto.Setup(conn)
	screen := setup.DefaultScreen(conn)

	atoms := map[string]xproto.Atom{}
	for _, name := range []string{"XdndAware", "XdndSelection", "XdndEnter", "XdndPosition", "XdndStatus",
		"XdndDrop", "XdndFinished", "XdndLeave", "XdndActionCopy", "text/uri-list"} {
		r, err := xproto.InternAtom(conn, false, uint16(len(name)), name).Reply()
		if err != nil {
			return fmt.Errorf("intern %s: %w", name, err)
		}
		atoms[name] = r.Atom
	}
	aware, err := xproto.GetProperty(conn, false, target, atoms["XdndAware"], xproto.AtomAtom, 0, 1).Reply()
	if err != nil {
		return fmt.Errorf("read XdndAware of %#x: %w", target, err)
	}
	if aware.ValueLen == 0 {
		return fmt.Errorf("window %#x does not take drops (no XdndAware)", target)
	}
	version := min(aware.Value[0], 5)

	// The source: an unmapped window that owns the drag's selection.
	src, err := xproto.NewWindowId(conn)
	if err != nil {
		return err
	}
	if err := xproto.CreateWindowChecked(conn, screen.RootDepth, src, screen.Root, 0, 0, 1, 1, 0,
		xproto.WindowClassInputOutput, screen.RootVisual, 0, nil).Check(); err != nil {
		return fmt.Errorf("create the source window: %w", err)
	}
	defer xproto.DestroyWindow(conn, src)
	if err := xproto.SetSelectionOwnerChecked(conn, src, atoms["XdndSelection"], xproto.TimeCurrentTime).Check(); err != nil {
		return fmt.Errorf("own XdndSelection: %w", err)
	}

	var list []string
	for _, f := range files {
		list = append(list, (&url.URL{Scheme: "file", Path: f}).String())
	}
	uriList := []byte(strings.Join(list, "\r\n") + "\r\n")

	send := func(typ string, data [5]uint32) error {
		ev := xproto.ClientMessageEvent{Format: 32, Window: target, Type: atoms[typ],
			Data: xproto.ClientMessageDataUnionData32New(data[:])}
		return xproto.SendEventChecked(conn, false, target, xproto.EventMaskNoEvent, string(ev.Bytes())).Check()
	}
	if err := send("XdndEnter", [5]uint32{uint32(src), uint32(version) << 24, uint32(atoms["text/uri-list"])}); err != nil {
		return fmt.Errorf("XdndEnter: %w", err)
	}
	if err := send("XdndPosition", [5]uint32{uint32(src), 0, uint32(x)<<16 | uint32(y)&0xffff, 0, uint32(atoms["XdndActionCopy"])}); err != nil {
		return fmt.Errorf("XdndPosition: %w", err)
	}

	events := make(chan xgb.Event)
	errs := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			ev, err := conn.WaitForEvent()
			if ev == nil && err == nil {
				errs <- errors.New("the X connection closed")
				return
			}
			if err != nil {
				continue
			}
			select {
			case events <- ev:
			case <-done:
				return
			}
		}
	}()
	dropped := false
	for {
		var ev xgb.Event
		select {
		case <-ctx.Done():
			send("XdndLeave", [5]uint32{uint32(src)})
			if dropped {
				return fmt.Errorf("the window took no files from the drop: %w", context.Cause(ctx))
			}
			return fmt.Errorf("the window did not answer the drag: %w", context.Cause(ctx))
		case err := <-errs:
			return err
		case ev = <-events:
		}
		switch e := ev.(type) {
		case xproto.ClientMessageEvent:
			switch e.Type {
			case atoms["XdndStatus"]:
				if dropped {
					continue
				}
				if e.Data.Data32[1]&1 == 0 {
					send("XdndLeave", [5]uint32{uint32(src)})
					return ErrRefused
				}
				if err := send("XdndDrop", [5]uint32{uint32(src), 0, 0}); err != nil {
					return fmt.Errorf("XdndDrop: %w", err)
				}
				dropped = true
			case atoms["XdndFinished"]:
				// Bit 0 says it took them; GLFW (fyne's windows) sends
				// the length of what it read there instead, so any bit.
				if version >= 5 && e.Data.Data32[1] == 0 {
					return errors.New("the window says it did not take the files")
				}
				return nil
			}
		case xproto.SelectionRequestEvent:
			notify := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection,
				Target: e.Target, Property: xproto.AtomNone}
			if e.Target == atoms["text/uri-list"] {
				prop := e.Property
				if prop == xproto.AtomNone {
					prop = e.Target
				}
				if err := xproto.ChangePropertyChecked(conn, xproto.PropModeReplace, e.Requestor, prop, e.Target, 8,
					uint32(len(uriList)), uriList).Check(); err == nil {
					notify.Property = prop
				}
			}
			xproto.SendEvent(conn, false, e.Requestor, xproto.EventMaskNoEvent, string(notify.Bytes()))
		}
	}
}
