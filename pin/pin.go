// Package pin keeps an image on the screen above the other windows — a
// part of the screen, a capture, a history row — to look at while
// working: a borderless window of the image, moved by dragging, zoomed
// with the wheel, made see-through with Ctrl+wheel, copied with Ctrl+C,
// closed with Esc or a double-click. Each pin is a process of its own
// (`imagecx pin`), so many can be open and the tray app holds none of
// their images.
package pin

import (
	"errors"
	"image"
	"math"
	"time"

	"imagecx/i18n"
	"imagecx/internal/shrink"
)

// ErrUnsupported says pins cannot be shown on this desktop.
var ErrUnsupported error = i18n.Errorf("pinning is not available on this desktop")

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

// The zoom and opacity bounds and steps.
const (
	minZoom, maxZoom       = 0.1, 8.0
	zoomStep               = 1.1
	minOpacity, maxOpacity = 0.2, 1.0
	opacityStep            = 0.1
	doubleClick            = 400 * time.Millisecond
)

// View is what a pin shows: the image's size, its zoom and opacity.
type View struct {
	Size    image.Point // the image's, in pixels
	Zoom    float64     // 1 shows the image's pixels
	Opacity float64     // 1 is opaque
	last    time.Time   // the last press of the first button
}

// NewView is the view of an image of size on a monitor: at its own size,
// or smaller to fit nine tenths of the monitor.
func NewView(size image.Point, monitor image.Rectangle) *View {
	z := 1.0
	if m := monitor.Size(); m.X > 0 && m.Y > 0 && size.X > 0 && size.Y > 0 {
		z = min(1, 0.9*float64(m.X)/float64(size.X), 0.9*float64(m.Y)/float64(size.Y))
	}
	return &View{Size: size, Zoom: max(minZoom, z), Opacity: 1}
}

// Shown is the window's size: the image at the zoom, at least 8×8.
func (v *View) Shown() image.Point {
	return image.Pt(max(8, int(math.Round(float64(v.Size.X)*v.Zoom))), max(8, int(math.Round(float64(v.Size.Y)*v.Zoom))))
}

// Wheel is a turn of the wheel (up: closer, or more opaque with Ctrl);
// it reports whether the view changed.
func (v *View) Wheel(up, ctrl bool) bool {
	if ctrl {
		o := v.Opacity - opacityStep
		if up {
			o = v.Opacity + opacityStep
		}
		o = math.Round(min(maxOpacity, max(minOpacity, o))*10) / 10
		changed := o != v.Opacity
		v.Opacity = o
		return changed
	}
	z := v.Zoom / zoomStep
	if up {
		z = v.Zoom * zoomStep
	}
	z = min(maxZoom, max(minZoom, z))
	changed := z != v.Zoom
	v.Zoom = z
	return changed
}

// Press is a press of the first button at t; it reports a double-click
// (the pin closes).
func (v *View) Press(t time.Time) bool {
	double := !v.last.IsZero() && t.Sub(v.last) >= 0 && t.Sub(v.last) < doubleClick
	v.last = t
	if double {
		v.last = time.Time{}
	}
	return double
}

// ZoomAround is where the window's corner goes when the zoom changed from
// before to v.Zoom with the pointer at p: the pixel under it stays.
func (v *View) ZoomAround(corner, p image.Point, before float64) image.Point {
	k := v.Zoom / before
	return image.Pt(p.X-int(math.Round(float64(p.X-corner.X)*k)), p.Y-int(math.Round(float64(p.Y-corner.Y)*k)))
}

// Scaled is a copy of img at size: averaged when smaller, each pixel a
// block when larger (a zoomed screenshot stays sharp).
func Scaled(img *image.RGBA, size image.Point) *image.RGBA {
	b := img.Rect
	if size == b.Size() {
		out := image.NewRGBA(image.Rectangle{Max: size})
		for y := range size.Y {
			copy(out.Pix[y*out.Stride:y*out.Stride+4*size.X], img.Pix[y*img.Stride:])
		}
		return out
	}
	if size.X <= b.Dx() && size.Y <= b.Dy() {
		return shrink.To(img, size.X, size.Y)
	}
	out := image.NewRGBA(image.Rectangle{Max: size})
	for y := range size.Y {
		sy := b.Min.Y + y*b.Dy()/size.Y
		row := out.Pix[y*out.Stride:]
		src := img.Pix[(sy-b.Min.Y)*img.Stride:]
		for x := range size.X {
			sx := x * b.Dx() / size.X
			copy(row[4*x:4*x+4], src[4*sx:4*sx+4])
		}
	}
	return out
}

// errClosed ends a pin's loop: the person closed it.
var errClosed = errors.New("the pin was closed")
