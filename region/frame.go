package region

import (
	"fmt"
	"image"
)

// The overlay's picture, the same on every desktop: the frozen screen
// dimmed, the selection undimmed with handles, a crosshair, a label with
// the pointer's position or the selection's size, a magnifier with the
// colour under the pointer, the window a click would take outlined, and a
// line of hints out of the way.

// Colours (24-bit TrueColor pixels).
const (
	colBorder = 0xffffff
	colCross  = 0x3d8bff
	colText   = 0xffffff
	colTextBg = 0x202020
	colEdge   = 0x000000 // the magnifier's outer border: with the white inner one, seen on any content
	zoom      = 8        // magnifier scale
	zoomSrc   = 15       // magnified source square, pixels
	hoverW    = 2        // the hovered window's outline, pixels
)

// hexLabel is the colour label's text for a pixel.
func hexLabel(r, g, b byte) string { return fmt.Sprintf(" #%02X%02X%02X ", r, g, b) }

// frame is what one render shows.
type frame struct {
	sel     image.Rectangle
	hover   image.Rectangle // the window a click takes; empty for none
	p       image.Point
	label   string
	labelAt image.Point // baseline start
	hintAt  image.Point // Hint's baseline start; none when labels cannot be drawn
	hexAt   image.Point // the colour label's baseline start, by the magnifier
	mag     image.Rectangle
	areas   []image.Rectangle // everything drawn over the dimmed screen
}

// hasText says whether the frame has labels (a font to draw them).
func (f frame) hasText() bool { return f.hintAt != (image.Point{}) }

// edges are the four strips, w wide, just inside r.
func edges(r image.Rectangle, w int) []image.Rectangle {
	if r.Empty() {
		return nil
	}
	return []image.Rectangle{
		image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y),
		image.Rect(r.Min.X, r.Min.Y, r.Min.X+w, r.Max.Y), image.Rect(r.Max.X-w, r.Min.Y, r.Max.X, r.Max.Y),
	}
}

// layout places a frame's parts for sel; labelWidth measures the label in
// pixels (0: no label is drawn); hintW is the hint line's width.
func layout(sel Selection, labelWidth func(string) int, hintW int) frame {
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
	const size = zoomSrc*zoom + 4 // and two borders
	at := f.p.Add(image.Pt(24, 24))
	if at.X+size > screen.Max.X {
		at.X = f.p.X - 24 - size
	}
	if at.Y+size+18 > screen.Max.Y {
		at.Y = f.p.Y - 24 - size - 18
	}
	f.mag = image.Rect(at.X, at.Y, at.X+size, at.Y+size)
	f.areas = append(f.areas, f.mag)
	f.hover = sel.Hover()
	f.areas = append(f.areas, edges(f.hover, hoverW)...)
	if hexW, hw := labelWidth(hexLabel(0, 0, 0)), hintW; hexW > 0 && hw > 0 {
		f.hexAt = image.Pt(f.mag.Min.X, f.mag.Max.Y+14)
		f.areas = append(f.areas, image.Rect(f.hexAt.X, f.hexAt.Y-12, f.hexAt.X+hexW, f.hexAt.Y+4))
		f.hintAt = hintPlace(screen, hw, f)
		f.areas = append(f.areas, image.Rect(f.hintAt.X, f.hintAt.Y-12, f.hintAt.X+hw, f.hintAt.Y+4))
	}
	return f
}

// hintPlace puts the hint line where it covers neither the selection nor
// what is around the pointer (the magnifier, the label): bottom centre,
// else top centre, else a corner.
func hintPlace(screen image.Rectangle, w int, f frame) image.Point {
	mid := (screen.Min.X+screen.Max.X)/2 - w/2
	bottom, top := screen.Max.Y-24, screen.Min.Y+36
	avoid := []image.Rectangle{f.mag.Union(image.Rectangle{f.p, f.p}).Inset(-40)}
	if !f.sel.Empty() {
		avoid = append(avoid, f.sel.Inset(-24))
	}
	for _, at := range []image.Point{{mid, bottom}, {mid, top}, {screen.Min.X + 16, bottom}, {screen.Max.X - 16 - w, bottom},
		{screen.Min.X + 16, top}, {screen.Max.X - 16 - w, top}} {
		box := image.Rect(at.X, at.Y-12, at.X+w, at.Y+4)
		if !box.In(screen) {
			continue
		}
		free := true
		for _, a := range avoid {
			if box.Overlaps(a) {
				free = false
			}
		}
		if free {
			return at
		}
	}
	return image.Pt(max(screen.Min.X, mid), bottom)
}
