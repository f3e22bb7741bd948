//go:build linux || freebsd || openbsd || netbsd

package pin

import (
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/internal/xconn"
	"imagecx/internal/xwin"
)

// Supported says whether pins can be shown here.
const Supported = true

// Show pins img on the X screen until the person closes it (Esc, a
// double-click, the window manager's close) or ctx ends.
func Show(ctx context.Context, img *image.RGBA, o Options) error {
	conn, err := xconn.Dial("", ErrUnsupported)
	if err != nil {
		return err
	}
	defer conn.Close()
	p := &x11Pin{conn: conn, img: img, o: o}
	if err := p.open(); err != nil {
		return err
	}
	if o.Shown != nil {
		o.Shown()
	}
	err = p.run(ctx)
	if err == errClosed {
		return nil
	}
	return err
}

type x11Pin struct {
	conn   *xgb.Conn
	root   xproto.Window
	win    xproto.Window
	gc     xproto.Gcontext
	pix    xproto.Pixmap // the image at the zoom
	depth  byte
	img    *image.RGBA
	o      Options
	view   *View
	keymap *xconn.Keymap
	noWM   bool // no window manager keeps the pin above: it raises itself
	atoms  *xwin.Atoms

	at   image.Point  // the window's corner on the screen
	drag *image.Point // where the first button went down, from the corner
}

func (p *x11Pin) atom(name string) xproto.Atom { return p.atoms.Get(name) }

// open makes the window: borderless, above the others, off the taskbar,
// at its place, the image drawn.
func (p *x11Pin) open() error {
	c := p.conn
	p.atoms = xwin.NewAtoms(c)
	screen := xproto.Setup(c).DefaultScreen(c)
	p.root, p.depth = screen.Root, screen.RootDepth
	if p.depth != 24 && p.depth != 32 {
		return fmt.Errorf("%w: a %d-bit screen", ErrUnsupported, p.depth)
	}
	p.keymap, _ = xconn.ReadKeymap(c)
	monitor := xwin.PointerMonitor(c, screen)
	p.view = NewView(p.img.Rect.Size(), monitor)
	size := p.view.Shown()
	p.at = monitor.Min.Add(monitor.Size().Sub(size).Div(2))
	if p.o.At != nil {
		p.at = *p.o.At
	}

	p.noWM = !xwin.HasWM(c, p.atoms, p.root)
	win, err := xproto.NewWindowId(c)
	if err != nil {
		return err
	}
	p.win = win
	mask := uint32(xproto.EventMaskKeyPress | xproto.EventMaskButtonPress | xproto.EventMaskButtonRelease |
		xproto.EventMaskButton1Motion | xproto.EventMaskExposure | xproto.EventMaskStructureNotify)
	err = xproto.CreateWindowChecked(c, p.depth, win, p.root, int16(p.at.X), int16(p.at.Y), uint16(size.X), uint16(size.Y), 0,
		xproto.WindowClassInputOutput, screen.RootVisual, xproto.CwBackPixmap|xproto.CwEventMask,
		[]uint32{xproto.BackPixmapNone, mask}).Check()
	if err != nil {
		return fmt.Errorf("pin: create the window: %w", err)
	}
	p.properties()
	gc, _ := xproto.NewGcontextId(c)
	xproto.CreateGC(c, gc, xproto.Drawable(win), xproto.GcGraphicsExposures, []uint32{0})
	p.gc = gc
	if err := p.paint(); err != nil {
		return err
	}
	// New windows are watched: with no window manager, the pin raises
	// itself above each one that is mapped.
	xproto.ChangeWindowAttributes(c, p.root, xproto.CwEventMask, []uint32{xproto.EventMaskSubstructureNotify})
	xproto.MapWindow(c, win)
	_, err = xproto.GetInputFocus(c).Reply() // a round trip: the window is up
	return err
}

// properties names the window and asks the window manager for what a
// pin is: no frame, above the others, not in the taskbar, at its place.
func (p *x11Pin) properties() {
	xwin.Float(p.conn, p.atoms, p.win, "imagecx pin", "imagecx-pin")
	p.setOpacity()
}

// setOpacity says the view's opacity to the compositor.
func (p *x11Pin) setOpacity() {
	v := uint32(p.view.Opacity * 0xffffffff)
	xproto.ChangeProperty(p.conn, xproto.PropModeReplace, p.win, p.atom("_NET_WM_WINDOW_OPACITY"), xproto.AtomCardinal, 32, 1,
		binary.LittleEndian.AppendUint32(nil, v))
}

// paint draws the image at the zoom, with a thin frame that sets it off
// from the screen, into the window's pixmap.
func (p *x11Pin) paint() error {
	c := p.conn
	size := p.view.Shown()
	img := Scaled(p.img, size)
	frame(img)
	if p.pix != 0 {
		xproto.FreePixmap(c, p.pix)
	}
	pix, err := xproto.NewPixmapId(c)
	if err != nil {
		return err
	}
	if err := xproto.CreatePixmapChecked(c, p.depth, pix, xproto.Drawable(p.root), uint16(size.X), uint16(size.Y)).Check(); err != nil {
		return fmt.Errorf("pin: %w", err)
	}
	p.pix = pix
	if err := xwin.PutImage(c, xproto.Drawable(pix), p.gc, p.depth, img); err != nil {
		return fmt.Errorf("pin: draw the image: %w", err)
	}
	return nil
}

// frame draws a one-pixel frame around img.
func frame(img *image.RGBA) {
	b := img.Rect
	set := func(x, y int) {
		i := img.PixOffset(x, y)
		copy(img.Pix[i:i+4], []byte{0x2b, 0x7d, 0xe9, 0xff})
	}
	for x := b.Min.X; x < b.Max.X; x++ {
		set(x, b.Min.Y)
		set(x, b.Max.Y-1)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		set(b.Min.X, y)
		set(b.Max.X-1, y)
	}
}

// run handles the window's events until it is closed or ctx ends.
func (p *x11Pin) run(ctx context.Context) error {
	done := make(chan struct{})
	defer close(done)
	events := xwin.Events(p.conn, done) // its goroutine ends with run, or with the connection (Show's defer)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				return fmt.Errorf("pin: the X connection closed")
			}
			if err := p.handle(ev); err != nil {
				return err
			}
		}
	}
}

func (p *x11Pin) handle(ev xgb.Event) error {
	c := p.conn
	switch e := ev.(type) {
	case xproto.ExposeEvent:
		xproto.CopyArea(c, xproto.Drawable(p.pix), xproto.Drawable(p.win), p.gc, int16(e.X), int16(e.Y), int16(e.X), int16(e.Y), e.Width, e.Height)
	case xproto.ConfigureNotifyEvent:
		if e.Window == p.win && !e.OverrideRedirect {
			// Where it is now (a window manager's frame moves it too).
			if r, err := xproto.TranslateCoordinates(c, p.win, p.root, 0, 0).Reply(); err == nil {
				p.at = image.Pt(int(r.DstX), int(r.DstY))
			}
		}
	case xproto.MapNotifyEvent:
		if p.noWM && e.Window != p.win && !e.OverrideRedirect && !p.isPin(e.Window) {
			xproto.ConfigureWindow(c, p.win, xproto.ConfigWindowStackMode, []uint32{xproto.StackModeAbove})
		}
	case xproto.ButtonPressEvent:
		ptr := image.Pt(int(e.RootX), int(e.RootY))
		ctrl := e.State&xproto.ModMaskControl != 0
		switch e.Detail {
		case 1:
			xproto.SetInputFocus(c, xproto.InputFocusParent, p.win, xproto.TimeCurrentTime)
			if p.view.Press(time.UnixMilli(int64(e.Time))) {
				return errClosed
			}
			d := ptr.Sub(p.at)
			p.drag = &d
		case 4, 5:
			before := p.view.Zoom
			if !p.view.Wheel(e.Detail == 4, ctrl) {
				return nil
			}
			if ctrl {
				p.setOpacity()
				return nil
			}
			p.at = p.view.ZoomAround(p.at, ptr, before)
			size := p.view.Shown()
			if err := p.paint(); err != nil {
				return err
			}
			xproto.ConfigureWindow(c, p.win, xproto.ConfigWindowX|xproto.ConfigWindowY|xproto.ConfigWindowWidth|xproto.ConfigWindowHeight,
				[]uint32{uint32(int32(p.at.X)), uint32(int32(p.at.Y)), uint32(size.X), uint32(size.Y)})
			xproto.CopyArea(c, xproto.Drawable(p.pix), xproto.Drawable(p.win), p.gc, 0, 0, 0, 0, uint16(size.X), uint16(size.Y))
		}
	case xproto.ButtonReleaseEvent:
		if e.Detail == 1 {
			p.drag = nil
		}
	case xproto.MotionNotifyEvent:
		if p.drag != nil {
			p.at = image.Pt(int(e.RootX), int(e.RootY)).Sub(*p.drag)
			xproto.ConfigureWindow(c, p.win, xproto.ConfigWindowX|xproto.ConfigWindowY, []uint32{uint32(int32(p.at.X)), uint32(int32(p.at.Y))})
		}
	case xproto.KeyPressEvent:
		sym := xproto.Keysym(0)
		if p.keymap != nil {
			sym = p.keymap.Keysym(e.Detail)
		}
		ctrl := e.State&xproto.ModMaskControl != 0
		switch {
		case sym == 0xff1b: // Escape
			return errClosed
		case ctrl && (sym == 'w' || sym == 'W'):
			return errClosed
		case ctrl && (sym == 'c' || sym == 'C') && p.o.Copy != nil:
			if err := p.o.Copy(p.img); err != nil {
				return err
			}
		}
	case xproto.ClientMessageEvent:
		if e.Type == p.atom("WM_PROTOCOLS") && xproto.Atom(e.Data.Data32[0]) == p.atom("WM_DELETE_WINDOW") {
			return errClosed
		}
	case xproto.DestroyNotifyEvent:
		if e.Window == p.win {
			return errClosed
		}
	}
	return nil
}

// isPin says whether w is another pin (pins stay in the order they
// opened: a new one is not covered by the older ones).
func (p *x11Pin) isPin(w xproto.Window) bool { return xwin.ClassIs(p.conn, w, "imagecx-pin") }
