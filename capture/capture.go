// Package capture reads the screen: every monitor as one image, the
// monitor under the pointer, or a rectangle. (Encoding is package
// encode's.)
//
// X11: the root window over xgb (no cgo), read by internal/xconn through
// MIT-SHM when the server is local, else in GetImage strips; monitors from
// RandR 1.5. The root window
// spans every monitor, so "all monitors" is one read. Wayland: the
// Screenshot portal (portal.go). Windows: GDI BitBlt from the virtual
// screen. macOS returns ErrUnsupported for now.
package capture

import (
	"context"
	"fmt"
	"image"

	"imagecx/i18n"
)

// ErrUnsupported is returned where screen capture is not available.
var ErrUnsupported error = i18n.Errorf("screen capture is not supported on this desktop")

// ErrCancelled is the person cancelling a capture: Esc or the right button
// in the region overlay, Cancel in the desktop's screenshot dialog (or
// the overlay closing after its time limit).
var ErrCancelled error = i18n.Errorf("the capture was cancelled")

// Monitor is one output in virtual-screen coordinates.
type Monitor struct {
	Name    string
	Bounds  image.Rectangle
	Primary bool
}

// Screen is a display that can be read.
type Screen interface {
	// Bounds is the whole virtual screen.
	Bounds() image.Rectangle
	Monitors() ([]Monitor, error)
	Pointer() (image.Point, error)
	// Capture reads r (clipped to Bounds) as an opaque image whose
	// Rect starts at 0,0.
	Capture(ctx context.Context, r image.Rectangle) (*image.RGBA, error)
	// CaptureInto reads r into dst (whose size is r's, clipped), calling
	// rows, if not nil, each time more rows from the top are in place. It
	// stops between strips when ctx ends.
	CaptureInto(ctx context.Context, dst *image.RGBA, r image.Rectangle, rows func(n int)) error
	Close() error
}

// Titler is a Screen that knows the focused window's title.
type Titler interface {
	ActiveTitle() string
}

// Mode chooses what a full-screen capture covers.
type Mode string

const (
	AllMonitors    Mode = "all"     // one image of every monitor
	PointerMonitor Mode = "pointer" // the monitor under the pointer
)

// Area is the rectangle a full-screen capture in mode covers.
func Area(s Screen, mode Mode) (image.Rectangle, error) {
	if mode != PointerMonitor {
		return s.Bounds(), nil
	}
	mons, err := s.Monitors()
	if err != nil || len(mons) == 0 {
		return s.Bounds(), nil
	}
	p, err := s.Pointer()
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("find the pointer: %w", err)
	}
	return MonitorAt(mons, p).Bounds, nil
}

// MonitorAt picks the monitor containing p, else the nearest one.
func MonitorAt(mons []Monitor, p image.Point) Monitor {
	best, bestD := mons[0], -1
	for _, m := range mons {
		if p.In(m.Bounds) {
			return m
		}
		c := image.Pt((m.Bounds.Min.X+m.Bounds.Max.X)/2, (m.Bounds.Min.Y+m.Bounds.Max.Y)/2)
		d := (c.X-p.X)*(c.X-p.X) + (c.Y-p.Y)*(c.Y-p.Y)
		if bestD < 0 || d < bestD {
			best, bestD = m, d
		}
	}
	return best
}

// captureArea is Screen.Capture for backends that read with CaptureInto:
// r clipped to the screen, into a new image.
func captureArea(ctx context.Context, s Screen, r image.Rectangle) (*image.RGBA, error) {
	r = r.Intersect(s.Bounds())
	if r.Empty() {
		return nil, i18n.Errorf("capture: the area {{.area}} is outside the screen {{.screen}}", "area", r, "screen", s.Bounds())
	}
	img := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	if err := s.CaptureInto(ctx, img, r, nil); err != nil {
		return nil, err
	}
	return img, nil
}

// Full captures in mode.
func Full(ctx context.Context, s Screen, mode Mode) (*image.RGBA, error) {
	r, err := Area(s, mode)
	if err != nil {
		return nil, err
	}
	return s.Capture(ctx, r)
}
