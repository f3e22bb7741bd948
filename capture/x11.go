//go:build linux || freebsd || openbsd || netbsd

package capture

import (
	"context"
	"fmt"
	"image"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/randr"
	"github.com/jezek/xgb/xproto"

	"imagecx/internal/xconn"
)

// Open connects to the X display ("" means $DISPLAY).
func Open(display string) (Screen, error) {
	conn, err := xconn.Dial(display, ErrUnsupported)
	if err != nil {
		return nil, err
	}
	setup := xproto.Setup(conn)
	scr := setup.DefaultScreen(conn)
	x := &x11Screen{conn: conn, root: scr.Root, w: int(scr.WidthInPixels), h: int(scr.HeightInPixels), depth: scr.RootDepth,
		read: xconn.NewReader(conn, xconn.Local(display))}
	if setup.ImageByteOrder != xproto.ImageOrderLSBFirst {
		conn.Close()
		return nil, fmt.Errorf("%w: big-endian X server images", ErrUnsupported)
	}
	for _, f := range setup.PixmapFormats {
		if f.Depth == scr.RootDepth {
			x.bpp = int(f.BitsPerPixel)
		}
	}
	if (x.depth != 24 && x.depth != 32) || x.bpp != 32 {
		conn.Close()
		return nil, fmt.Errorf("%w: a %d-bit screen with %d bits per pixel (24/32-bit TrueColor is needed)", ErrUnsupported, x.depth, x.bpp)
	}
	x.randr = randr.Init(conn) == nil
	return x, nil
}

type x11Screen struct {
	conn  *xgb.Conn
	root  xproto.Window
	w, h  int
	depth byte
	bpp   int
	randr bool
	read  *xconn.Reader
}

func (x *x11Screen) Bounds() image.Rectangle { return image.Rect(0, 0, x.w, x.h) }

func (x *x11Screen) Monitors() ([]Monitor, error) {
	if !x.randr {
		return []Monitor{{Name: "screen", Bounds: x.Bounds(), Primary: true}}, nil
	}
	rep, err := randr.GetMonitors(x.conn, x.root, true).Reply()
	if err != nil || len(rep.Monitors) == 0 {
		return []Monitor{{Name: "screen", Bounds: x.Bounds(), Primary: true}}, nil
	}
	mons := make([]Monitor, 0, len(rep.Monitors))
	for _, m := range rep.Monitors {
		name := ""
		if a, err := xproto.GetAtomName(x.conn, m.Name).Reply(); err == nil {
			name = a.Name
		}
		r := image.Rect(int(m.X), int(m.Y), int(m.X)+int(m.Width), int(m.Y)+int(m.Height)).Intersect(x.Bounds())
		if !r.Empty() {
			mons = append(mons, Monitor{Name: name, Bounds: r, Primary: m.Primary})
		}
	}
	return mons, nil
}

func (x *x11Screen) Pointer() (image.Point, error) {
	p, err := xproto.QueryPointer(x.conn, x.root).Reply()
	if err != nil {
		return image.Point{}, err
	}
	return image.Pt(int(p.RootX), int(p.RootY)), nil
}

func (x *x11Screen) Capture(ctx context.Context, r image.Rectangle) (*image.RGBA, error) {
	return captureArea(ctx, x, r)
}

func (x *x11Screen) CaptureInto(ctx context.Context, img *image.RGBA, r image.Rectangle, progress func(int)) error {
	r = r.Intersect(x.Bounds())
	if r.Empty() || img.Rect.Dx() != r.Dx() || img.Rect.Dy() != r.Dy() {
		return fmt.Errorf("capture: the area %v does not fit the screen %v or the image %v", r, x.Bounds(), img.Rect)
	}
	if err := x.read.Read(ctx, xproto.Drawable(x.root), img, r, progress); err != nil {
		return fmt.Errorf("capture the screen: %w", err)
	}
	return nil
}

func (x *x11Screen) Close() error {
	x.conn.Close()
	return nil
}

// ActiveTitle is the title of the focused window (_NET_ACTIVE_WINDOW's
// _NET_WM_NAME, else WM_NAME), "" when the window manager does not say.
func (x *x11Screen) ActiveTitle() string {
	atom := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(x.conn, true, uint16(len(name)), name).Reply()
		if err != nil {
			return xproto.AtomNone
		}
		return r.Atom
	}
	active := atom("_NET_ACTIVE_WINDOW")
	if active == xproto.AtomNone {
		return ""
	}
	r, err := xproto.GetProperty(x.conn, false, x.root, active, xproto.AtomWindow, 0, 1).Reply()
	if err != nil || len(r.Value) < 4 {
		return ""
	}
	win := xproto.Window(xgb.Get32(r.Value))
	if win == 0 {
		return ""
	}
	for _, name := range []xproto.Atom{atom("_NET_WM_NAME"), xproto.AtomWmName} {
		if name == xproto.AtomNone {
			continue
		}
		p, err := xproto.GetProperty(x.conn, false, win, name, xproto.GetPropertyTypeAny, 0, 256).Reply()
		if err == nil && len(p.Value) > 0 {
			return cleanTitle(p.Value, p.Type == xproto.AtomString)
		}
	}
	return ""
}
