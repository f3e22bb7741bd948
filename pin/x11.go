//go:build linux || freebsd || openbsd || netbsd

package pin

import (
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/capture"
	"imagecx/internal/xconn"
)

// Supported says whether pins can be shown here.
const Supported = true

// Options are where a pin opens and what Ctrl+C does.
type Options struct {
	// At is where the image's top-left corner goes (a region pinned where
	// it was); nil centres it on the monitor under the pointer.
	At *image.Point
	// Copy puts the image on the clipboard (Ctrl+C).
	Copy func(img *image.RGBA) error
	// Shown, if set, is called once the pin is on the screen.
	Shown func()
}

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
	atoms  map[string]xproto.Atom

	at   image.Point  // the window's corner on the screen
	drag *image.Point // where the first button went down, from the corner
}

func (p *x11Pin) atom(name string) xproto.Atom {
	if a, ok := p.atoms[name]; ok {
		return a
	}
	r, err := xproto.InternAtom(p.conn, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0
	}
	p.atoms[name] = r.Atom
	return r.Atom
}

// open makes the window: borderless, above the others, off the taskbar,
// at its place, the image drawn.
func (p *x11Pin) open() error {
	c := p.conn
	p.atoms = map[string]xproto.Atom{}
	screen := xproto.Setup(c).DefaultScreen(c)
	p.root, p.depth = screen.Root, screen.RootDepth
	if p.depth != 24 && p.depth != 32 {
		return fmt.Errorf("%w: a %d-bit screen", ErrUnsupported, p.depth)
	}
	p.keymap, _ = xconn.ReadKeymap(c)
	monitor := image.Rect(0, 0, int(screen.WidthInPixels), int(screen.HeightInPixels))
	if s, err := capture.Open(""); err == nil { // the monitor under the pointer
		if ptr, err := s.Pointer(); err == nil {
			if mons, err := s.Monitors(); err == nil && len(mons) > 0 {
				monitor = capture.MonitorAt(mons, ptr).Bounds
			}
		}
		s.Close()
	}
	p.view = NewView(p.img.Rect.Size(), monitor)
	size := p.view.Shown()
	p.at = monitor.Min.Add(monitor.Size().Sub(size).Div(2))
	if p.o.At != nil {
		p.at = *p.o.At
	}

	p.noWM = !p.hasWM()
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
	p.properties(size)
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

// hasWM says whether a window manager that speaks EWMH runs.
func (p *x11Pin) hasWM() bool {
	r, err := xproto.GetProperty(p.conn, false, p.root, p.atom("_NET_SUPPORTING_WM_CHECK"), xproto.AtomWindow, 0, 1).Reply()
	return err == nil && r.ValueLen > 0
}

// properties names the window and asks the window manager for what a
// pin is: no frame, above the others, not in the taskbar, at its place.
func (p *x11Pin) properties(size image.Point) {
	c, w := p.conn, p.win
	set := func(prop, typ xproto.Atom, format byte, n int, data []byte) {
		xproto.ChangeProperty(c, xproto.PropModeReplace, w, prop, typ, format, uint32(n), data)
	}
	name := "imagecx pin"
	set(xproto.AtomWmName, xproto.AtomString, 8, len(name), []byte(name))
	set(p.atom("_NET_WM_NAME"), p.atom("UTF8_STRING"), 8, len(name), []byte(name))
	class := "imagecx-pin\x00imagecx\x00"
	set(xproto.AtomWmClass, xproto.AtomString, 8, len(class), []byte(class))
	u32 := func(vals ...uint32) []byte {
		var b []byte
		for _, v := range vals {
			b = binary.LittleEndian.AppendUint32(b, v)
		}
		return b
	}
	// _MOTIF_WM_HINTS: decorations (flag 2) none.
	set(p.atom("_MOTIF_WM_HINTS"), p.atom("_MOTIF_WM_HINTS"), 32, 5, u32(2, 0, 0, 0, 0))
	states := []uint32{uint32(p.atom("_NET_WM_STATE_ABOVE")), uint32(p.atom("_NET_WM_STATE_SKIP_TASKBAR")), uint32(p.atom("_NET_WM_STATE_SKIP_PAGER"))}
	set(p.atom("_NET_WM_STATE"), xproto.AtomAtom, 32, len(states), u32(states...))
	set(p.atom("_NET_WM_WINDOW_TYPE"), xproto.AtomAtom, 32, 1, u32(uint32(p.atom("_NET_WM_WINDOW_TYPE_UTILITY"))))
	set(p.atom("WM_PROTOCOLS"), xproto.AtomAtom, 32, 1, u32(uint32(p.atom("WM_DELETE_WINDOW"))))
	set(p.atom("_NET_WM_PID"), xproto.AtomCardinal, 32, 1, u32(uint32(os.Getpid())))
	// WM_NORMAL_HINTS: the position and size are the program's (USPosition, USSize).
	hints := make([]uint32, 18)
	hints[0] = 1 | 2
	set(xproto.AtomWmNormalHints, xproto.AtomWmSizeHints, 32, len(hints), u32(hints...))
	// WM_HINTS: it takes the keyboard (Esc, Ctrl+C).
	set(xproto.AtomWmHints, xproto.AtomWmHints, 32, 9, u32(1, 1, 0, 0, 0, 0, 0, 0, 0))
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
	if err := putImage(c, xproto.Drawable(pix), p.gc, p.depth, img); err != nil {
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

// putImage writes img into d at its top left, in requests of at most
// 200 KB.
func putImage(c *xgb.Conn, d xproto.Drawable, gc xproto.Gcontext, depth byte, img *image.RGBA) error {
	const maxBytes = 200 << 10
	w, h := img.Rect.Dx(), img.Rect.Dy()
	rows := max(1, maxBytes/(4*w))
	buf := make([]byte, 4*w*rows)
	for y := 0; y < h; y += rows {
		n := min(rows, h-y)
		b := buf[:4*w*n]
		for row := range n {
			src := img.Pix[(y+row)*img.Stride:]
			dst := b[row*4*w:]
			for x := range w {
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = src[4*x+2], src[4*x+1], src[4*x], 0
			}
		}
		if err := xproto.PutImageChecked(c, xproto.ImageFormatZPixmap, d, gc, uint16(w), uint16(n), 0, int16(y), 0, depth, b).Check(); err != nil {
			return err
		}
	}
	return nil
}

// run handles the window's events until it is closed or ctx ends.
func (p *x11Pin) run(ctx context.Context) error {
	events := make(chan xgb.Event)
	done := make(chan struct{})
	defer close(done)
	go func() { // owned: ends when the connection closes (Show's defer)
		for {
			ev, err := p.conn.WaitForEvent()
			if ev == nil && err == nil {
				close(events)
				return
			}
			if ev == nil {
				continue
			}
			select {
			case events <- ev:
			case <-done:
				return
			}
		}
	}()
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
func (p *x11Pin) isPin(w xproto.Window) bool {
	r, err := xproto.GetProperty(p.conn, false, w, xproto.AtomWmClass, xproto.AtomString, 0, 64).Reply()
	return err == nil && len(r.Value) >= len("imagecx-pin") && string(r.Value[:len("imagecx-pin")]) == "imagecx-pin"
}
