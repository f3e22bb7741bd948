//go:build linux || freebsd || openbsd || netbsd

package quick

import (
	"context"
	"errors"
	"fmt"
	"image"
	"net/url"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/internal/xconn"
	"imagecx/internal/xwin"
)

// Supported says whether the thumbnail can be shown here.
const Supported = true

// ErrUnsupported says the thumbnail cannot be shown on this desktop.
var ErrUnsupported = errors.New("the quick-access thumbnail is not available on this desktop")

// Show shows the thumbnail in the corner of the monitor under the
// pointer until a button is pressed, it is dragged out, Esc, or it has
// stayed t.Stay without the pointer over it; ctx ends it too.
func Show(ctx context.Context, t Thumb) (Choice, error) {
	conn, err := xconn.Dial("", ErrUnsupported)
	if err != nil {
		return None, err
	}
	defer conn.Close()
	w := &x11Thumb{conn: conn, t: t, atoms: xwin.NewAtoms(conn), hover: -1}
	if t.Stay <= 0 {
		w.t.Stay = defaultStay
	}
	if err := w.open(); err != nil {
		return None, err
	}
	return w.run(ctx)
}

type x11Thumb struct {
	conn   *xgb.Conn
	atoms  *xwin.Atoms
	t      Thumb
	root   xproto.Window
	win    xproto.Window
	gc     xproto.Gcontext
	depth  byte
	lay    Layout
	hover  int
	inside bool
	keymap *xconn.Keymap

	press *image.Point // the first button down on the picture, in the window
	drag  *dragging
}

func (w *x11Thumb) open() error {
	c := w.conn
	screen := xproto.Setup(c).DefaultScreen(c)
	w.root, w.depth = screen.Root, screen.RootDepth
	if w.depth != 24 && w.depth != 32 {
		return fmt.Errorf("%w: a %d-bit screen", ErrUnsupported, w.depth)
	}
	w.keymap, _ = xconn.ReadKeymap(c)
	monitor := xwin.PointerMonitor(c, screen)
	var size image.Point
	if w.t.Image != nil {
		size = w.t.Image.Rect.Size()
	}
	w.lay = Lay(size)
	at := Corner(monitor, w.lay.Size)
	win, err := xproto.NewWindowId(c)
	if err != nil {
		return err
	}
	w.win = win
	mask := uint32(xproto.EventMaskKeyPress | xproto.EventMaskButtonPress | xproto.EventMaskButtonRelease |
		xproto.EventMaskPointerMotion | xproto.EventMaskEnterWindow | xproto.EventMaskLeaveWindow | xproto.EventMaskExposure)
	if err := xproto.CreateWindowChecked(c, w.depth, win, w.root, int16(at.X), int16(at.Y), uint16(w.lay.Size.X), uint16(w.lay.Size.Y), 0,
		xproto.WindowClassInputOutput, screen.RootVisual, xproto.CwBackPixmap|xproto.CwEventMask,
		[]uint32{xproto.BackPixmapNone, mask}).Check(); err != nil {
		return fmt.Errorf("thumbnail: create the window: %w", err)
	}
	xwin.Float(c, w.atoms, win, "imagecx thumbnail", "imagecx-thumbnail")
	gc, _ := xproto.NewGcontextId(c)
	xproto.CreateGC(c, gc, xproto.Drawable(win), xproto.GcGraphicsExposures, []uint32{0})
	w.gc = gc
	xproto.MapWindow(c, win)
	_, err = xproto.GetInputFocus(c).Reply()
	return err
}

func (w *x11Thumb) paint() {
	xwin.PutImage(w.conn, xproto.Drawable(w.win), w.gc, w.depth, Draw(w.lay, w.t.Image, w.hover))
}

// run handles the window's events until a choice.
func (w *x11Thumb) run(ctx context.Context) (Choice, error) {
	done := make(chan struct{})
	defer close(done)
	events := xwin.Events(w.conn, done) // its goroutine ends with run, or with the connection (Show's defer)
	timer := time.NewTimer(w.t.Stay)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return None, ctx.Err()
		case <-timer.C:
			if !w.inside && w.drag == nil {
				return None, nil
			}
			timer.Reset(w.t.Stay)
		case ev, ok := <-events:
			if !ok {
				return None, errors.New("thumbnail: the X connection closed")
			}
			choice, end := w.handle(ev)
			if end {
				return choice, nil
			}
			if !w.inside {
				timer.Reset(w.t.Stay)
			}
		}
	}
}

// handle is one event; end says the thumbnail is done, with choice.
func (w *x11Thumb) handle(ev xgb.Event) (choice Choice, end bool) {
	if w.drag != nil {
		return w.drag.handle(ev)
	}
	switch e := ev.(type) {
	case xproto.ExposeEvent:
		w.paint()
	case xproto.EnterNotifyEvent:
		w.inside = true
	case xproto.LeaveNotifyEvent:
		w.inside = false
		w.setHover(-1)
	case xproto.MotionNotifyEvent:
		p := image.Pt(int(e.EventX), int(e.EventY))
		w.setHover(w.lay.At(p))
		if w.press != nil && w.t.File != "" && (abs(p.X-w.press.X) > 6 || abs(p.Y-w.press.Y) > 6) {
			w.press = nil
			if _, err := os.Stat(w.t.File); err != nil {
				return None, false // not kept after its upload: nothing to drop
			}
			d, err := startDrag(w, e.Time)
			if err == nil {
				w.drag = d
			}
		}
	case xproto.ButtonPressEvent:
		if e.Detail != 1 {
			return None, false
		}
		p := image.Pt(int(e.EventX), int(e.EventY))
		if i := w.lay.At(p); i >= 0 {
			return Buttons[i].Choice, true
		}
		w.press = &p
	case xproto.ButtonReleaseEvent:
		w.press = nil
	case xproto.KeyPressEvent:
		if w.keymap != nil && w.keymap.Keysym(e.Detail) == 0xff1b { // Esc
			return None, true
		}
	case xproto.ClientMessageEvent:
		if e.Type == w.atoms.Get("WM_PROTOCOLS") && xproto.Atom(e.Data.Data32[0]) == w.atoms.Get("WM_DELETE_WINDOW") {
			return None, true
		}
	}
	return None, false
}

func (w *x11Thumb) setHover(i int) {
	if i != w.hover {
		w.hover = i
		w.paint()
	}
}

// dragging is the thumbnail dragged out: the source side of XDND
// (version 5), offering the capture's file as text/uri-list to the
// window under the pointer that takes drops.
type dragging struct {
	w        *x11Thumb
	uri      string
	target   xproto.Window // the XdndAware window under the pointer; 0 for none
	accepted bool
	dropped  time.Time // when the drop was sent; zero before
}

func startDrag(w *x11Thumb, t xproto.Timestamp) (*dragging, error) {
	c := w.conn
	g, err := xproto.GrabPointer(c, false, w.win, uint16(xproto.EventMaskButtonRelease|xproto.EventMaskPointerMotion),
		xproto.GrabModeAsync, xproto.GrabModeAsync, 0, 0, t).Reply()
	if err != nil || g.Status != xproto.GrabStatusSuccess {
		return nil, fmt.Errorf("thumbnail: the pointer cannot be grabbed")
	}
	xproto.SetSelectionOwner(c, w.win, w.atoms.Get("XdndSelection"), t)
	u := url.URL{Scheme: "file", Path: w.t.File}
	return &dragging{w: w, uri: u.String() + "\r\n"}, nil
}

// send sends an XDND client message of type name to the target.
func (d *dragging) send(name string, data ...uint32) {
	l := make([]uint32, 5)
	l[0] = uint32(d.w.win)
	copy(l[1:], data)
	ev := xproto.ClientMessageEvent{Format: 32, Window: d.target, Type: d.w.atoms.Get(name), Data: xproto.ClientMessageDataUnionData32New(l)}
	xproto.SendEvent(d.w.conn, false, d.target, 0, string(ev.Bytes()))
}

// targetAt is the window under root point p that takes drops: the
// top-level window there or one inside it with XdndAware.
func (d *dragging) targetAt() (xproto.Window, uint32) {
	c, a := d.w.conn, d.w.atoms
	win := d.w.root
	for {
		r, err := xproto.QueryPointer(c, win).Reply()
		if err != nil || r.Child == 0 {
			return 0, 0
		}
		win = r.Child
		if win == d.w.win {
			return 0, 0
		}
		if p, err := xproto.GetProperty(c, false, win, a.Get("XdndAware"), xproto.AtomAtom, 0, 1).Reply(); err == nil && p.ValueLen > 0 {
			return win, min(uint32(p.Value[0]), 5)
		}
	}
}

func (d *dragging) handle(ev xgb.Event) (Choice, bool) {
	c, a := d.w.conn, d.w.atoms
	switch e := ev.(type) {
	case xproto.MotionNotifyEvent:
		if !d.dropped.IsZero() {
			return None, false
		}
		target, version := d.targetAt()
		if target != d.target {
			if d.target != 0 {
				d.send("XdndLeave")
			}
			d.target, d.accepted = target, false
			if target != 0 {
				d.send("XdndEnter", version<<24, uint32(a.Get("text/uri-list")))
			}
		}
		if d.target != 0 {
			d.send("XdndPosition", 0, uint32(e.RootX)<<16|uint32(uint16(e.RootY)), uint32(e.Time), uint32(a.Get("XdndActionCopy")))
		}
	case xproto.ClientMessageEvent:
		switch e.Type {
		case a.Get("XdndStatus"):
			d.accepted = e.Data.Data32[1]&1 != 0
		case a.Get("XdndFinished"):
			xproto.UngrabPointer(c, xproto.TimeCurrentTime)
			return None, true // in the other application now
		}
	case xproto.SelectionRequestEvent:
		d.answer(e)
	case xproto.ButtonReleaseEvent:
		if d.target != 0 && d.accepted {
			d.send("XdndDrop", 0, uint32(e.Time))
			d.dropped = time.Now()
			return None, false
		}
		if d.target != 0 {
			d.send("XdndLeave")
		}
		xproto.UngrabPointer(c, xproto.TimeCurrentTime)
		d.w.drag = nil
	}
	if !d.dropped.IsZero() && time.Since(d.dropped) > 5*time.Second { // a target that never says it finished
		xproto.UngrabPointer(c, xproto.TimeCurrentTime)
		return None, true
	}
	return None, false
}

// answer gives the target the file's URI, as it asked for it.
func (d *dragging) answer(e xproto.SelectionRequestEvent) {
	c, a := d.w.conn, d.w.atoms
	prop := e.Property
	if e.Target == a.Get("text/uri-list") && prop != 0 {
		xproto.ChangeProperty(c, xproto.PropModeReplace, e.Requestor, prop, e.Target, 8, uint32(len(d.uri)), []byte(d.uri))
	} else {
		prop = 0 // refused: only the file's URI is offered
	}
	n := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target, Property: prop}
	xproto.SendEvent(c, false, e.Requestor, 0, string(n.Bytes()))
}
