//go:build linux || freebsd || openbsd || netbsd

package region

import (
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	"slices"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/render"
	"github.com/jezek/xgb/xproto"

	"imagecx/capture"
	"imagecx/i18n"
	"imagecx/internal/xconn"
	"imagecx/internal/xwin"
)

// Options tune Select.
type Options struct {
	Display string        // "" means $DISPLAY
	Timeout time.Duration // the overlay closes itself after this; default 3 minutes
	// Shown, if set, is called once the overlay is on screen.
	Shown func()
	// Frozen, if set, is the screen to select on: a screenshot the
	// desktop took, where the X server cannot read the screen (Xwayland
	// on a Wayland desktop). It must be the size of the X screen. The
	// overlay is then a full-screen window the window manager manages
	// and focuses, not one that grabs the keyboard: a Wayland desktop
	// gives Xwayland's grabs to no one by default.
	Frozen *image.RGBA
	// Hint is the line of hints' catalog key; "" is Hint.
	Hint string
}

// Select freezes the screen, shows the overlay and returns the rectangle
// the user chose (in screen pixels) with its pixels as they were when Select
// was called; capture.ErrCancelled when they cancel or the overlay times
// out, a *ColourPicked when they pressed C.
//
// The freeze happens in the X server (a copy of the root window into a
// pixmap), and so does the dimming (RENDER); only the magnifier's few
// pixels and, at the end, the chosen rectangle cross the connection. That
// is what makes the overlay appear at once on a 4K screen.
func Select(ctx context.Context, o Options) (ch Chosen, err error) {
	if o.Timeout <= 0 {
		o.Timeout = 3 * time.Minute
	}
	conn, err := xconn.Dial(o.Display, ErrUnsupported)
	if err != nil {
		return Chosen{}, err
	}
	// Closing the connection destroys the window and pixmaps and releases
	// the grabs, however Select ends.
	defer conn.Close()
	defer func() {
		if p := recover(); p != nil {
			ch, err = Chosen{}, fmt.Errorf("region overlay failed: %v", p)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	ov, err := newOverlay(conn, o.Hint)
	if err != nil {
		return Chosen{}, err
	}
	if o.Frozen != nil {
		if o.Frozen.Rect.Size() != image.Pt(ov.w, ov.h) {
			return Chosen{}, fmt.Errorf("%w: the screenshot is %v, the X screen %dx%d (a scaled desktop)", ErrUnsupported, o.Frozen.Rect.Size(), ov.w, ov.h)
		}
		ov.image = o.Frozen
	}
	if err := ov.show(); err != nil {
		return Chosen{}, err
	}
	if o.Shown != nil {
		o.Shown()
	}
	if o.Frozen == nil {
		// The desktop's windows are X windows only when X froze the
		// screen; listed once the overlay is up, so as not to hold it
		// up (the outline follows the pointer's first move).
		ov.sel.Windows = ov.windows()
	}
	if err := ov.grab(ctx); err != nil {
		return Chosen{}, err
	}
	res, err := ov.run(ctx)
	if err != nil {
		return Chosen{}, err
	}
	if res == PickColour {
		px, err := ov.pixels(ctx, image.Rectangle{ov.sel.Pointer, ov.sel.Pointer.Add(image.Pt(1, 1))}, false)
		if err != nil {
			return Chosen{}, err
		}
		return Chosen{}, &ColourPicked{px.Pix[0], px.Pix[1], px.Pix[2]}
	}
	r := ov.sel.Rect
	img, err := ov.pixels(ctx, r, xconn.Local(o.Display))
	if err != nil {
		return Chosen{}, err
	}
	return Chosen{Rect: r, Image: img, Edit: res == ConfirmEdit, Text: res == ConfirmText}, nil
}

type overlay struct {
	hintKey string // the hint line's catalog key
	conn    *xgb.Conn
	root    xproto.Window
	win     xproto.Window
	w, h    int
	depth   byte

	// frozen holds the screen as it was; back composes a frame's changed
	// areas before they reach the window (only those areas are ever
	// touched, so the server never has to fill a second full-screen pixmap).
	frozen, back    xproto.Pixmap
	gcCopy, gcLine  xproto.Gcontext
	gcText          xproto.Gcontext
	hasFont         bool
	hint            xproto.Pixmap // the hint line (hintImage); 0 without the labels' font
	hintW           int
	chosen          xproto.Pixmap // the hint line once a region is chosen
	chosenW         int
	cursor          xproto.Cursor
	winPic, backPic render.Picture // RENDER pictures for darkening; 0 without RENDER

	keymap *xconn.Keymap

	sel   Selection
	drawn []image.Rectangle // what the last frame drew over the dim image

	// image is the screen when the desktop took it (Options.Frozen);
	// nil when the X server froze it.
	image *image.RGBA
}

func newOverlay(conn *xgb.Conn, hint string) (*overlay, error) {
	setup := xproto.Setup(conn)
	scr := setup.DefaultScreen(conn)
	ov := &overlay{conn: conn, root: scr.Root, w: int(scr.WidthInPixels), h: int(scr.HeightInPixels), depth: scr.RootDepth, hintKey: hint}
	if ov.depth != 24 && ov.depth != 32 {
		return nil, fmt.Errorf("%w: a %d-bit screen", ErrUnsupported, ov.depth)
	}
	ov.sel = Selection{Bounds: image.Rect(0, 0, ov.w, ov.h)}
	var err error
	if ov.keymap, err = xconn.ReadKeymap(conn); err != nil {
		return nil, err
	}

	for _, p := range []*xproto.Pixmap{&ov.frozen, &ov.back} {
		id, err := xproto.NewPixmapId(conn)
		if err != nil {
			return nil, err
		}
		if err := xproto.CreatePixmapChecked(conn, ov.depth, id, xproto.Drawable(ov.root), uint16(ov.w), uint16(ov.h)).Check(); err != nil {
			return nil, fmt.Errorf("region: create a pixmap: %w", err)
		}
		*p = id
	}
	ov.gcCopy = ov.newGC(xproto.GcGraphicsExposures, []uint32{0})
	ov.gcLine = ov.newGC(xproto.GcForeground|xproto.GcGraphicsExposures, []uint32{colBorder, 0})
	if font, err := xproto.NewFontId(conn); err == nil && xproto.OpenFontChecked(conn, font, 5, "fixed").Check() == nil {
		ov.gcText = ov.newGC(xproto.GcForeground|xproto.GcBackground|xproto.GcFont|xproto.GcGraphicsExposures, []uint32{colText, colTextBg, uint32(font), 0})
		ov.hasFont = true
		if err := ov.makeHint(); err != nil {
			return nil, err
		}
	}
	if cf, err := xproto.NewFontId(conn); err == nil && xproto.OpenFontChecked(conn, cf, 6, "cursor").Check() == nil {
		ov.cursor, _ = xproto.NewCursorId(conn)
		const xcCrosshair = 34
		xproto.CreateGlyphCursor(conn, ov.cursor, cf, cf, xcCrosshair, xcCrosshair+1, 0xffff, 0xffff, 0xffff, 0, 0, 0)
	}
	return ov, nil
}

// makeHint draws the hint line into a pixmap of its own, once: each
// frame copies it.
func (ov *overlay) makeHint() error {
	for _, h := range []struct {
		key string
		pix *xproto.Pixmap
		w   *int
	}{{ov.hintKey, &ov.hint, &ov.hintW}, {chosenHint(ov.hintKey), &ov.chosen, &ov.chosenW}} {
		key := h.key
		if key == "" {
			key = Hint
		}
		img := hintImage(key)
		id, err := xproto.NewPixmapId(ov.conn)
		if err != nil {
			return err
		}
		if err := xproto.CreatePixmapChecked(ov.conn, ov.depth, id, xproto.Drawable(ov.root), uint16(img.Rect.Dx()), uint16(img.Rect.Dy())).Check(); err != nil {
			return fmt.Errorf("region: create a pixmap: %w", err)
		}
		if err := ov.put(xproto.Drawable(id), ov.gcCopy, img); err != nil {
			return fmt.Errorf("region: draw the hints: %w", err)
		}
		*h.pix, *h.w = id, img.Rect.Dx()
	}
	return nil
}

// hintNow is the hint line's pixmap and width for the selection now.
func (ov *overlay) hintNow() (xproto.Pixmap, int) {
	if ov.sel.Rect.Empty() {
		return ov.hint, ov.hintW
	}
	return ov.chosen, ov.chosenW
}

func (ov *overlay) newGC(mask uint32, vals []uint32) xproto.Gcontext {
	gc, _ := xproto.NewGcontextId(ov.conn)
	xproto.CreateGC(ov.conn, gc, xproto.Drawable(ov.back), mask, vals)
	return gc
}

// show freezes the screen into a pixmap and maps the window showing it,
// darkened — all inside the X server.
func (ov *overlay) show() error {
	c := ov.conn
	screenGC, _ := xproto.NewGcontextId(c)
	xproto.CreateGC(c, screenGC, xproto.Drawable(ov.root), xproto.GcSubwindowMode|xproto.GcGraphicsExposures,
		[]uint32{xproto.SubwindowModeIncludeInferiors, 0})
	if ov.image != nil {
		if err := ov.upload(screenGC); err != nil {
			return err
		}
	} else {
		xproto.CopyArea(c, xproto.Drawable(ov.root), xproto.Drawable(ov.frozen), screenGC, 0, 0, 0, 0, uint16(ov.w), uint16(ov.h))
	}
	win, err := xproto.NewWindowId(c)
	if err != nil {
		return err
	}
	ov.win = win
	mask := uint32(xproto.EventMaskKeyPress | xproto.EventMaskButtonPress | xproto.EventMaskButtonRelease | xproto.EventMaskPointerMotion | xproto.EventMaskExposure)
	override := uint32(1)
	if ov.image != nil {
		override = 0 // managed: the window manager focuses it
	}
	err = xproto.CreateWindowChecked(c, ov.depth, win, ov.root, 0, 0, uint16(ov.w), uint16(ov.h), 0,
		xproto.WindowClassInputOutput, xproto.Setup(c).DefaultScreen(c).RootVisual,
		xproto.CwBackPixmap|xproto.CwOverrideRedirect|xproto.CwEventMask|xproto.CwCursor,
		[]uint32{xproto.BackPixmapNone, override, mask, uint32(ov.cursor)}).Check()
	if err != nil {
		return fmt.Errorf("region: create the overlay window: %w", err)
	}
	name := "imagecx region"
	xproto.ChangeProperty(c, xproto.PropModeReplace, win, xproto.AtomWmName, xproto.AtomString, 8, uint32(len(name)), []byte(name))
	ov.initRender()
	if ov.image != nil {
		ov.fullScreen()
	}
	xproto.MapWindow(c, win)
	if ov.image != nil {
		ov.activate()
	}
	if p, err := xproto.QueryPointer(c, ov.root).Reply(); err == nil {
		ov.sel.Pointer = image.Pt(int(p.RootX), int(p.RootY))
	}
	ov.paintWindow(ov.sel.Bounds)
	ov.render()
	_, err = xproto.GetInputFocus(c).Reply() // a round trip: the window is up
	return err
}

// upload puts the desktop's screenshot into the frozen pixmap, in
// strips that fit a request.
func (ov *overlay) upload(gc xproto.Gcontext) error {
	if err := ov.put(xproto.Drawable(ov.frozen), gc, ov.image); err != nil {
		return fmt.Errorf("region: show the screenshot: %w", err)
	}
	return nil
}

// put writes img into d at its top left.
func (ov *overlay) put(d xproto.Drawable, gc xproto.Gcontext, img *image.RGBA) error {
	return xwin.PutImage(ov.conn, d, gc, ov.depth, img)
}

// fullScreen asks the window manager for a full-screen window above the
// others (EWMH), set before it is mapped.
func (ov *overlay) fullScreen() {
	var states []byte
	for _, name := range []string{"_NET_WM_STATE_FULLSCREEN", "_NET_WM_STATE_ABOVE"} {
		a, err := xproto.InternAtom(ov.conn, false, uint16(len(name)), name).Reply()
		if err != nil {
			return
		}
		states = binary.LittleEndian.AppendUint32(states, uint32(a.Atom))
	}
	if state, err := xproto.InternAtom(ov.conn, false, uint16(len("_NET_WM_STATE")), "_NET_WM_STATE").Reply(); err == nil {
		xproto.ChangeProperty(ov.conn, xproto.PropModeReplace, ov.win, state.Atom, xproto.AtomAtom, 32, uint32(len(states)/4), states)
	}
}

// activate asks the window manager to focus the window, as a pager would
// (EWMH source 2: a request the person made).
func (ov *overlay) activate() {
	a, err := xproto.InternAtom(ov.conn, false, uint16(len("_NET_ACTIVE_WINDOW")), "_NET_ACTIVE_WINDOW").Reply()
	if err != nil {
		return
	}
	ev := xproto.ClientMessageEvent{Format: 32, Window: ov.win, Type: a.Atom,
		Data: xproto.ClientMessageDataUnionData32New([]uint32{2, uint32(xproto.TimeCurrentTime), 0, 0, 0})}
	xproto.SendEvent(ov.conn, false, ov.root, xproto.EventMaskSubstructureRedirect|xproto.EventMaskSubstructureNotify, string(ev.Bytes()))
	xproto.SetInputFocus(ov.conn, xproto.InputFocusParent, ov.win, xproto.TimeCurrentTime)
}

// initRender prepares RENDER pictures to darken with; without RENDER the
// overlay still works, undimmed.
func (ov *overlay) initRender() {
	if render.Init(ov.conn) != nil {
		return
	}
	formats, err := render.QueryPictFormats(ov.conn).Reply()
	if err != nil {
		return
	}
	for _, f := range formats.Formats {
		if f.Depth != ov.depth || f.Type != render.PictTypeDirect {
			continue
		}
		ov.winPic, _ = render.NewPictureId(ov.conn)
		ov.backPic, _ = render.NewPictureId(ov.conn)
		render.CreatePicture(ov.conn, ov.winPic, xproto.Drawable(ov.win), f.Id, 0, nil)
		render.CreatePicture(ov.conn, ov.backPic, xproto.Drawable(ov.back), f.Id, 0, nil)
		return
	}
}

// paintWindow puts the frozen screen, darkened, straight into the window at
// r (the first frame, and exposures).
func (ov *overlay) paintWindow(r image.Rectangle) {
	xproto.CopyArea(ov.conn, xproto.Drawable(ov.frozen), xproto.Drawable(ov.win), ov.gcCopy,
		int16(r.Min.X), int16(r.Min.Y), int16(r.Min.X), int16(r.Min.Y), uint16(r.Dx()), uint16(r.Dy()))
	if ov.winPic != 0 {
		render.FillRectangles(ov.conn, render.PictOpOver, ov.winPic, render.Color{Alpha: 0x6000},
			[]xproto.Rectangle{{X: int16(r.Min.X), Y: int16(r.Min.Y), Width: uint16(r.Dx()), Height: uint16(r.Dy())}})
	}
}

// reset puts the frozen screen, darkened, into the back buffer at rects.
func (ov *overlay) reset(rects []image.Rectangle) {
	var xr []xproto.Rectangle
	for _, r := range rects {
		xproto.CopyArea(ov.conn, xproto.Drawable(ov.frozen), xproto.Drawable(ov.back), ov.gcCopy,
			int16(r.Min.X), int16(r.Min.Y), int16(r.Min.X), int16(r.Min.Y), uint16(r.Dx()), uint16(r.Dy()))
		xr = append(xr, xproto.Rectangle{X: int16(r.Min.X), Y: int16(r.Min.Y), Width: uint16(r.Dx()), Height: uint16(r.Dy())})
	}
	if ov.backPic != 0 && len(xr) > 0 {
		render.FillRectangles(ov.conn, render.PictOpOver, ov.backPic, render.Color{Alpha: 0x6000}, xr)
	}
}

// grab takes the pointer and keyboard, retrying while the hotkey that
// opened the overlay is still held (its passive grab is active until then).
func (ov *overlay) grab(ctx context.Context) error {
	if ov.image != nil {
		// Focus is what the window gets on a Wayland desktop; a grab,
		// where granted, keeps the pointer's events ours.
		xproto.GrabPointer(ov.conn, false, ov.win, xproto.EventMaskButtonPress|xproto.EventMaskButtonRelease|xproto.EventMaskPointerMotion,
			xproto.GrabModeAsync, xproto.GrabModeAsync, xproto.WindowNone, ov.cursor, xproto.TimeCurrentTime).Reply()
		return nil
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		p, perr := xproto.GrabPointer(ov.conn, false, ov.win, xproto.EventMaskButtonPress|xproto.EventMaskButtonRelease|xproto.EventMaskPointerMotion,
			xproto.GrabModeAsync, xproto.GrabModeAsync, ov.win, ov.cursor, xproto.TimeCurrentTime).Reply()
		k, kerr := xproto.GrabKeyboard(ov.conn, false, ov.win, xproto.TimeCurrentTime, xproto.GrabModeAsync, xproto.GrabModeAsync).Reply()
		if perr == nil && kerr == nil && p.Status == xproto.GrabStatusSuccess && k.Status == xproto.GrabStatusSuccess {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return i18n.Errorf("region: another program holds the pointer or keyboard")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// pixels returns the chosen rectangle of the frozen screen, read the way
// full-screen captures are (shared memory when local says the server is
// on this machine).
func (ov *overlay) pixels(ctx context.Context, r image.Rectangle, local bool) (*image.RGBA, error) {
	if ov.image != nil {
		img := image.NewRGBA(r)
		draw.Draw(img, r, ov.image, r.Min, draw.Src)
		return img, nil
	}
	img := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	if err := xconn.NewReader(ov.conn, local).Read(ctx, xproto.Drawable(ov.frozen), img, r, nil); err != nil {
		return nil, fmt.Errorf("region: read the frozen screen: %w", err)
	}
	img.Rect = r // keep screen coordinates
	return img, nil
}

func (ov *overlay) run(ctx context.Context) (Result, error) {
	for {
		ev, err := ov.conn.WaitForEvent()
		if ev == nil && err == nil {
			return Cancel, capture.ErrCancelled // closed: timeout or ctx
		}
		res := ov.handle(ev)
		// Coalesce what is already queued (pointer motion comes in floods).
		for res == Continue {
			next, _ := ov.conn.PollForEvent()
			if next == nil {
				break
			}
			res = ov.handle(next)
		}
		switch res {
		case Confirm, ConfirmEdit, ConfirmText, PickColour:
			return res, nil
		case Cancel:
			return Cancel, capture.ErrCancelled
		}
		ov.render()
	}
}

func (ov *overlay) handle(ev xgb.Event) Result {
	switch e := ev.(type) {
	case xproto.ButtonPressEvent:
		return ov.sel.Press(image.Pt(int(e.RootX), int(e.RootY)), int(e.Detail), time.UnixMilli(int64(e.Time)))
	case xproto.ButtonReleaseEvent:
		return ov.sel.Release(image.Pt(int(e.RootX), int(e.RootY)), int(e.Detail))
	case xproto.MotionNotifyEvent:
		ov.sel.Motion(image.Pt(int(e.RootX), int(e.RootY)))
	case xproto.KeyPressEvent:
		return ov.sel.Key(ov.key(e.Detail), e.State&xproto.ModMaskShift != 0)
	case xproto.ExposeEvent:
		ov.paintWindow(image.Rect(int(e.X), int(e.Y), int(e.X)+int(e.Width), int(e.Y)+int(e.Height)))
	}
	return Continue
}

func (ov *overlay) key(code xproto.Keycode) Key {
	switch ov.keymap.Keysym(code) {
	case 0xff1b:
		return KeyEscape
	case 0xff0d, 0xff8d: // Return, KP_Enter
		return KeyEnter
	case 0xff51:
		return KeyLeft
	case 0xff52:
		return KeyUp
	case 0xff53:
		return KeyRight
	case 0xff54:
		return KeyDown
	case 'e', 'E':
		return KeyE
	case 'c', 'C':
		return KeyC
	case 't', 'T':
		return KeyT
	}
	return KeyOther
}

// windows lists the top-level windows that show (frames, with a window
// manager), topmost first, as the screen froze: the overlay outlines the
// one under the pointer and a click takes it.
func (ov *overlay) windows() []image.Rectangle {
	tree, err := xproto.QueryTree(ov.conn, ov.root).Reply()
	if err != nil {
		return nil
	}
	kids := slices.Clone(tree.Children) // bottom to top
	slices.Reverse(kids)
	var list []image.Rectangle
	for _, w := range kids {
		if w == ov.win {
			continue
		}
		attr, err := xproto.GetWindowAttributes(ov.conn, w).Reply()
		if err != nil || attr.MapState != xproto.MapStateViewable || attr.Class != xproto.WindowClassInputOutput {
			continue
		}
		g, err := xproto.GetGeometry(ov.conn, xproto.Drawable(w)).Reply()
		if err != nil {
			continue
		}
		r := image.Rect(int(g.X), int(g.Y), int(g.X)+int(g.Width)+2*int(g.BorderWidth), int(g.Y)+int(g.Height)+2*int(g.BorderWidth))
		if r.Overlaps(ov.sel.Bounds) && r != ov.sel.Bounds { // a window over all of it is the desktop's own
			list = append(list, r)
		}
	}
	return list
}

func (ov *overlay) layout() frame {
	width := func(string) int { return 0 } // no font: no label
	if ov.hasFont {
		width = func(s string) int { return 6 * len(s) } // the "fixed" font
	}
	_, hw := ov.hintNow()
	return layout(ov.sel, width, hw)
}

// render redraws what changed. In the back buffer, the areas the last
// frame and this one touch are reset from the dimmed screen and this
// frame's selection (undimmed), crosshair, label and magnifier are drawn;
// then only those areas are copied to the window: no flicker, and no
// full-screen copies while the pointer moves.
func (ov *overlay) render() {
	c := ov.conn
	back := xproto.Drawable(ov.back)
	f := ov.layout()
	var damaged []image.Rectangle
	for _, r := range append(slices.Clone(f.areas), ov.drawn...) {
		if r = r.Intersect(ov.sel.Bounds); !r.Empty() {
			damaged = append(damaged, r)
		}
	}
	ov.reset(damaged)
	ov.draw(back, f)
	for _, r := range damaged {
		xproto.CopyArea(c, back, xproto.Drawable(ov.win), ov.gcCopy, int16(r.Min.X), int16(r.Min.Y), int16(r.Min.X), int16(r.Min.Y), uint16(r.Dx()), uint16(r.Dy()))
	}
	ov.drawn = f.areas
}

func (ov *overlay) draw(back xproto.Drawable, f frame) {
	c := ov.conn
	colour := func(col uint32) { xproto.ChangeGC(c, ov.gcLine, xproto.GcForeground, []uint32{col}) }
	screen := ov.sel.Bounds
	if sel := f.sel; !sel.Empty() {
		xproto.CopyArea(c, xproto.Drawable(ov.frozen), back, ov.gcCopy, int16(sel.Min.X), int16(sel.Min.Y), int16(sel.Min.X), int16(sel.Min.Y), uint16(sel.Dx()), uint16(sel.Dy()))
	}
	colour(colCross)
	if hover := edges(f.hover, hoverW); len(hover) > 0 {
		var rs []xproto.Rectangle
		for _, e := range hover {
			rs = append(rs, xproto.Rectangle{X: int16(e.Min.X), Y: int16(e.Min.Y), Width: uint16(e.Dx()), Height: uint16(e.Dy())})
		}
		xproto.PolyFillRectangle(c, back, ov.gcLine, rs)
	}
	xproto.PolySegment(c, back, ov.gcLine, []xproto.Segment{
		{X1: 0, Y1: int16(f.p.Y), X2: int16(screen.Max.X - 1), Y2: int16(f.p.Y)},
		{X1: int16(f.p.X), Y1: 0, X2: int16(f.p.X), Y2: int16(screen.Max.Y - 1)},
	})
	if sel := f.sel; !sel.Empty() {
		colour(colBorder)
		xproto.PolyRectangle(c, back, ov.gcLine, []xproto.Rectangle{{X: int16(sel.Min.X - 1), Y: int16(sel.Min.Y - 1), Width: uint16(sel.Dx() + 1), Height: uint16(sel.Dy() + 1)}})
		midX, midY := (sel.Min.X+sel.Max.X)/2, (sel.Min.Y+sel.Max.Y)/2
		var handles []xproto.Rectangle
		for _, hp := range []image.Point{sel.Min, {sel.Max.X, sel.Min.Y}, {sel.Min.X, sel.Max.Y}, sel.Max,
			{midX, sel.Min.Y}, {midX, sel.Max.Y}, {sel.Min.X, midY}, {sel.Max.X, midY}} {
			handles = append(handles, xproto.Rectangle{X: int16(hp.X - 3), Y: int16(hp.Y - 3), Width: 6, Height: 6})
		}
		xproto.PolyFillRectangle(c, back, ov.gcLine, handles)
	}
	if ov.hasFont {
		xproto.ImageText8(c, byte(len(f.label)), back, ov.gcText, int16(f.labelAt.X), int16(f.labelAt.Y), f.label)
	}
	under := ov.drawMagnifier(back, f)
	if ov.hasFont && f.hasText() {
		pix, hw := ov.hintNow()
		xproto.CopyArea(c, xproto.Drawable(pix), back, ov.gcCopy, 0, 0, int16(f.hintAt.X), int16(f.hintAt.Y-hintBase), uint16(hw), hintH)
		hex := hexLabel(under[0], under[1], under[2])
		xproto.ImageText8(c, byte(len(hex)), back, ov.gcText, int16(f.hexAt.X), int16(f.hexAt.Y), hex)
	}
}

// drawMagnifier shows the pixels around the pointer enlarged, with the
// pixel under it outlined, in black and white borders that stand out on
// any content, and returns that pixel (R, G, B). It reads those few
// pixels from the frozen screen.
func (ov *overlay) drawMagnifier(back xproto.Drawable, f frame) [3]byte {
	const size = zoomSrc * zoom
	src := image.Rect(f.p.X-zoomSrc/2, f.p.Y-zoomSrc/2, f.p.X-zoomSrc/2+zoomSrc, f.p.Y-zoomSrc/2+zoomSrc)
	var patch *image.RGBA
	if in := src.Intersect(ov.sel.Bounds); !in.Empty() {
		patch = image.NewRGBA(image.Rect(0, 0, in.Dx(), in.Dy()))
		// 15×15: one request, no shared memory.
		if err := xconn.NewReader(ov.conn, false).Read(context.Background(), xproto.Drawable(ov.frozen), patch, in, nil); err == nil {
			patch.Rect = in
		} else {
			patch = nil
		}
	}
	buf := make([]byte, size*size*4)
	var under [3]byte
	for sy := 0; sy < zoomSrc; sy++ {
		for sx := 0; sx < zoomSrc; sx++ {
			var b, g, r byte
			if pt := image.Pt(src.Min.X+sx, src.Min.Y+sy); patch != nil && pt.In(patch.Rect) {
				o := patch.PixOffset(pt.X, pt.Y)
				r, g, b = patch.Pix[o], patch.Pix[o+1], patch.Pix[o+2]
			}
			if sx == zoomSrc/2 && sy == zoomSrc/2 {
				under = [3]byte{r, g, b}
			}
			for yy := 0; yy < zoom; yy++ {
				row := buf[((sy*zoom+yy)*size+sx*zoom)*4:]
				for xx := 0; xx < zoom; xx++ {
					row[xx*4], row[xx*4+1], row[xx*4+2] = b, g, r
				}
			}
		}
	}
	at := f.mag.Min
	xproto.PutImage(ov.conn, xproto.ImageFormatZPixmap, back, ov.gcCopy, size, size, int16(at.X+2), int16(at.Y+2), 0, ov.depth, buf)
	c := int16(zoomSrc / 2 * zoom)
	cx, cy := int16(at.X+2)+c, int16(at.Y+2)+c
	xproto.ChangeGC(ov.conn, ov.gcLine, xproto.GcForeground, []uint32{colEdge})
	xproto.PolyRectangle(ov.conn, back, ov.gcLine, []xproto.Rectangle{
		{X: int16(at.X), Y: int16(at.Y), Width: size + 3, Height: size + 3},
		{X: cx - 1, Y: cy - 1, Width: zoom + 1, Height: zoom + 1},
	})
	xproto.ChangeGC(ov.conn, ov.gcLine, xproto.GcForeground, []uint32{colBorder})
	xproto.PolyRectangle(ov.conn, back, ov.gcLine, []xproto.Rectangle{
		{X: int16(at.X + 1), Y: int16(at.Y + 1), Width: size + 1, Height: size + 1},
		{X: cx, Y: cy, Width: zoom - 1, Height: zoom - 1},
	})
	return under
}
