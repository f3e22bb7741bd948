//go:build linux || freebsd || openbsd || netbsd

// Package xwin is what imagecx's small floating X11 windows (a pin, the
// quick-access thumbnail) share: atoms by name, an image put into a
// drawable in requests that fit, and the properties that ask a window
// manager for a frameless window above the others and off the taskbar.
package xwin

import (
	"encoding/binary"
	"image"
	"os"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/randr"
	"github.com/jezek/xgb/xproto"

	"imagecx/capture"
)

// Atoms interns atoms once per connection.
type Atoms struct {
	conn *xgb.Conn
	m    map[string]xproto.Atom
}

// NewAtoms is an atom cache on conn.
func NewAtoms(conn *xgb.Conn) *Atoms { return &Atoms{conn: conn, m: map[string]xproto.Atom{}} }

// Get is the atom called name (0 when the server does not answer).
func (a *Atoms) Get(name string) xproto.Atom {
	if v, ok := a.m[name]; ok {
		return v
	}
	r, err := xproto.InternAtom(a.conn, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0
	}
	a.m[name] = r.Atom
	return r.Atom
}

// U32 is values as a 32-bit property's bytes.
func U32(vals ...uint32) []byte {
	var b []byte
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// Float names w and asks the window manager for a floating window: no
// frame, above the others, not in the taskbar or the pager, a utility,
// at the place and size the program gave, taking the keyboard, closed
// through WM_DELETE_WINDOW.
func Float(conn *xgb.Conn, atoms *Atoms, w xproto.Window, name, class string) {
	set := func(prop, typ xproto.Atom, format byte, n int, data []byte) {
		xproto.ChangeProperty(conn, xproto.PropModeReplace, w, prop, typ, format, uint32(n), data)
	}
	set(xproto.AtomWmName, xproto.AtomString, 8, len(name), []byte(name))
	set(atoms.Get("_NET_WM_NAME"), atoms.Get("UTF8_STRING"), 8, len(name), []byte(name))
	cls := class + "\x00imagecx\x00"
	set(xproto.AtomWmClass, xproto.AtomString, 8, len(cls), []byte(cls))
	set(atoms.Get("_MOTIF_WM_HINTS"), atoms.Get("_MOTIF_WM_HINTS"), 32, 5, U32(2, 0, 0, 0, 0)) // decorations: none
	states := []uint32{uint32(atoms.Get("_NET_WM_STATE_ABOVE")), uint32(atoms.Get("_NET_WM_STATE_SKIP_TASKBAR")), uint32(atoms.Get("_NET_WM_STATE_SKIP_PAGER"))}
	set(atoms.Get("_NET_WM_STATE"), xproto.AtomAtom, 32, len(states), U32(states...))
	set(atoms.Get("_NET_WM_WINDOW_TYPE"), xproto.AtomAtom, 32, 1, U32(uint32(atoms.Get("_NET_WM_WINDOW_TYPE_UTILITY"))))
	set(atoms.Get("WM_PROTOCOLS"), xproto.AtomAtom, 32, 1, U32(uint32(atoms.Get("WM_DELETE_WINDOW"))))
	set(atoms.Get("_NET_WM_PID"), xproto.AtomCardinal, 32, 1, U32(uint32(os.Getpid())))
	hints := make([]uint32, 18) // WM_NORMAL_HINTS: USPosition, USSize
	hints[0] = 1 | 2
	set(xproto.AtomWmNormalHints, xproto.AtomWmSizeHints, 32, len(hints), U32(hints...))
	set(xproto.AtomWmHints, xproto.AtomWmHints, 32, 9, U32(1, 1, 0, 0, 0, 0, 0, 0, 0)) // it takes the keyboard
}

// HasWM says whether a window manager that speaks EWMH runs.
func HasWM(conn *xgb.Conn, atoms *Atoms, root xproto.Window) bool {
	r, err := xproto.GetProperty(conn, false, root, atoms.Get("_NET_SUPPORTING_WM_CHECK"), xproto.AtomWindow, 0, 1).Reply()
	return err == nil && r.ValueLen > 0
}

// ClassIs says whether window w's WM_CLASS instance is class.
func ClassIs(conn *xgb.Conn, w xproto.Window, class string) bool {
	r, err := xproto.GetProperty(conn, false, w, xproto.AtomWmClass, xproto.AtomString, 0, 64).Reply()
	return err == nil && len(r.Value) > len(class) && string(r.Value[:len(class)]) == class && r.Value[len(class)] == 0
}

// PutImage writes img into d at its top left, in requests of at most
// 200 KB (a 24- or 32-bit drawable).
func PutImage(conn *xgb.Conn, d xproto.Drawable, gc xproto.Gcontext, depth byte, img *image.RGBA) error {
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
		if err := xproto.PutImageChecked(conn, xproto.ImageFormatZPixmap, d, gc, uint16(w), uint16(n), 0, int16(y), 0, depth, b).Check(); err != nil {
			return err
		}
	}
	return nil
}

// Events hands conn's events over a channel, closed when the connection
// closes; the goroutine that reads them ends then, or when done is
// closed.
func Events(conn *xgb.Conn, done <-chan struct{}) <-chan xgb.Event {
	events := make(chan xgb.Event)
	go func() {
		for {
			ev, err := conn.WaitForEvent()
			if ev == nil && err == nil {
				close(events)
				return
			}
			if ev == nil {
				continue // an error reply: nothing waits for it
			}
			select {
			case events <- ev:
			case <-done:
				return
			}
		}
	}()
	return events
}

// PointerMonitor is the monitor under the pointer, or the nearest
// (RandR's monitors, picked as the capture picks them), read on the
// connection the window uses; the whole screen when the server says no
// more.
func PointerMonitor(conn *xgb.Conn, screen *xproto.ScreenInfo) image.Rectangle {
	whole := image.Rect(0, 0, int(screen.WidthInPixels), int(screen.HeightInPixels))
	ptr, err := xproto.QueryPointer(conn, screen.Root).Reply()
	if err != nil || randr.Init(conn) != nil {
		return whole
	}
	mons, err := randr.GetMonitors(conn, screen.Root, true).Reply()
	if err != nil {
		return whole
	}
	var list []capture.Monitor
	for _, m := range mons.Monitors {
		if r := image.Rect(int(m.X), int(m.Y), int(m.X)+int(m.Width), int(m.Y)+int(m.Height)).Intersect(whole); !r.Empty() {
			list = append(list, capture.Monitor{Bounds: r})
		}
	}
	if len(list) == 0 {
		return whole
	}
	return capture.MonitorAt(list, image.Pt(int(ptr.RootX), int(ptr.RootY))).Bounds
}
