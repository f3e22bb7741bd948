package region

import (
	"fmt"
	"image"
)

// The overlay's picture, the same on every desktop: the frozen screen
// dimmed, the selection undimmed with handles, a crosshair, a label with
// the pointer's position or the selection's size, and a magnifier.

// Colours (24-bit TrueColor pixels).
const (
	colBorder = 0xffffff
	colCross  = 0x3d8bff
	colText   = 0xffffff
	colTextBg = 0x202020
	zoom      = 8  // magnifier scale
	zoomSrc   = 15 // magnified source square, pixels
)

// frame is what one render shows.
type frame struct {
	sel     image.Rectangle
	p       image.Point
	label   string
	labelAt image.Point // baseline start
	mag     image.Rectangle
	areas   []image.Rectangle // everything drawn over the dimmed screen
}

// layout places a frame's parts for sel; labelWidth measures the label in
// pixels (0: no label is drawn).
func layout(sel Selection, labelWidth func(string) int) frame {
	screen := sel.Bounds
	f := frame{sel: sel.Rect, p: sel.Pointer}
	f.areas = append(f.areas, image.Rect(screen.Min.X, f.p.Y, screen.Max.X, f.p.Y+1), image.Rect(f.p.X, screen.Min.Y, f.p.X+1, screen.Max.Y))
	f.label, f.labelAt = fmt.Sprintf(" %d, %d ", f.p.X, f.p.Y), f.p.Add(image.Pt(12, -8))
	if !f.sel.Empty() {
		f.areas = append(f.areas, f.sel.Inset(-5))
		f.label = fmt.Sprintf(" %d x %d ", f.sel.Dx(), f.sel.Dy())
		f.labelAt = image.Pt(f.sel.Min.X, f.sel.Min.Y-6)
		if f.labelAt.Y < 14 {
			f.labelAt.Y = f.sel.Min.Y + 16
		}
	}
	if lw := labelWidth(f.label); lw > 0 {
		f.labelAt.X = min(max(f.labelAt.X, screen.Min.X), screen.Max.X-lw)
		f.labelAt.Y = min(max(f.labelAt.Y, screen.Min.Y+12), screen.Max.Y-4)
		f.areas = append(f.areas, image.Rect(f.labelAt.X, f.labelAt.Y-12, f.labelAt.X+lw, f.labelAt.Y+4))
	}
	const size = zoomSrc * zoom
	at := f.p.Add(image.Pt(24, 24))
	if at.X+size+2 > screen.Max.X {
		at.X = f.p.X - 24 - size - 2
	}
	if at.Y+size+2 > screen.Max.Y {
		at.Y = f.p.Y - 24 - size - 2
	}
	f.mag = image.Rect(at.X, at.Y, at.X+size+2, at.Y+size+2)
	f.areas = append(f.areas, f.mag)
	return f
}
