// Package region lets the user choose a rectangle of the screen.
//
// X11: an override-redirect window over the whole virtual screen showing
// the frozen capture dimmed, the selection undimmed with its size, a
// crosshair and a magnifier; pointer and keyboard grabbed (as slop/maim
// do), drawn with core X requests on xgb. It runs in the calling process
// on a connection of its own: the frozen image is already in memory there,
// nothing has to start, and what it puts in the X server (two pixmaps)
// goes away with that connection, whatever happens.
//
// Drag to select; drag inside to move, on an edge or corner to resize;
// arrows nudge by one pixel (Shift: ten); Enter or a double-click confirms;
// E confirms for the editor; C copies the colour under the pointer; Esc
// or the right button cancels; a click without a drag selects the window
// under the pointer, which is outlined before the click.
package region

import (
	"image"
	"strings"
	"time"

	"imagecx/i18n"
)

// ErrUnsupported is returned where no overlay can be shown.
var ErrUnsupported error = i18n.Errorf("region selection is not supported on this desktop")

// Result says what an input event means for the overlay.
type Result int

const (
	Continue    Result = iota
	Confirm            // the selection is final
	Cancel             // no selection
	PickWindow         // a click without a drag: select the window under the pointer
	ConfirmEdit        // the selection is final, and goes to the editor (E)
	PickColour         // the colour under the pointer is wanted, not a capture (C)
	ConfirmText        // the selection is final, and its text is wanted, not a capture (T)
)

// Key is a key the selection understands.
type Key int

const (
	KeyOther Key = iota
	KeyEscape
	KeyEnter
	KeyLeft
	KeyRight
	KeyUp
	KeyDown
	KeyE
	KeyC
	KeyT
)

type mode int

const (
	idle mode = iota
	drawing
	moving
	resizing
)

// Edges of a rectangle, as a bit set.
const (
	edgeLeft = 1 << iota
	edgeRight
	edgeTop
	edgeBottom
)

// HandleSize is how close (pixels) a press must be to an edge to resize.
const HandleSize = 8

const doubleClick = 400 * time.Millisecond

// Selection is the overlay's state, driven by input events; it knows
// nothing of X.
type Selection struct {
	Bounds  image.Rectangle // the screen
	Rect    image.Rectangle // the selection; empty when there is none
	Pointer image.Point
	// Windows are the windows on the screen when it froze, topmost
	// first, in the overlay's coordinates: a click takes the one under
	// the pointer, and Hover shows it before.
	Windows []image.Rectangle

	mode      mode
	anchor    image.Point
	edges     int
	orig      image.Rectangle
	lastPress time.Time
	lastAt    image.Point
}

// Press handles a button press.
func (s *Selection) Press(p image.Point, button int, t time.Time) Result {
	s.Pointer = p
	if button == 3 {
		return Cancel
	}
	if button != 1 {
		return Continue
	}
	double := !s.lastPress.IsZero() && t.Sub(s.lastPress) < doubleClick && near(p, s.lastAt, 4)
	s.lastPress, s.lastAt = t, p
	if double && !s.Rect.Empty() {
		return Confirm
	}
	if !s.Rect.Empty() {
		if e := hitEdges(s.Rect, p); e != 0 {
			s.mode, s.edges, s.orig, s.anchor = resizing, e, s.Rect, p
			return Continue
		}
		if p.In(s.Rect) {
			s.mode, s.anchor, s.orig = moving, p, s.Rect
			return Continue
		}
	}
	s.mode, s.anchor, s.Rect = drawing, p, image.Rectangle{}
	return Continue
}

// Motion handles pointer movement.
func (s *Selection) Motion(p image.Point) {
	s.Pointer = p
	switch s.mode {
	case drawing:
		s.Rect = image.Rectangle{Min: s.anchor, Max: p}.Canon().Intersect(s.Bounds)
	case moving:
		s.Rect = clampInside(s.orig.Add(p.Sub(s.anchor)), s.Bounds)
	case resizing:
		d := p.Sub(s.anchor)
		r := s.orig
		if s.edges&edgeLeft != 0 {
			r.Min.X += d.X
		}
		if s.edges&edgeRight != 0 {
			r.Max.X += d.X
		}
		if s.edges&edgeTop != 0 {
			r.Min.Y += d.Y
		}
		if s.edges&edgeBottom != 0 {
			r.Max.Y += d.Y
		}
		s.Rect = r.Canon().Intersect(s.Bounds)
	}
}

// Release handles a button release.
func (s *Selection) Release(p image.Point, button int) Result {
	if button != 1 {
		return Continue
	}
	s.Motion(p)
	m := s.mode
	s.mode = idle
	if m == drawing && s.Rect.Dx() < 3 && s.Rect.Dy() < 3 {
		s.Rect = s.WindowAt(p)
		return PickWindow
	}
	return Continue
}

// WindowAt is the topmost window at p, within the screen; the whole
// screen when there is none.
func (s *Selection) WindowAt(p image.Point) image.Rectangle {
	for _, w := range s.Windows {
		if p.In(w) {
			if r := w.Intersect(s.Bounds); !r.Empty() {
				return r
			}
		}
	}
	return s.Bounds
}

// Hover is the window a click would take, to outline: none while there
// is a selection or a drag.
func (s *Selection) Hover() image.Rectangle {
	if !s.Rect.Empty() || s.mode != idle || !s.Pointer.In(s.Bounds) {
		return image.Rectangle{}
	}
	return s.WindowAt(s.Pointer)
}

// Key handles a key press.
func (s *Selection) Key(k Key, shift bool) Result {
	step := 1
	if shift {
		step = 10
	}
	var d image.Point
	switch k {
	case KeyEscape:
		return Cancel
	case KeyEnter, KeyE, KeyT:
		switch {
		case s.Rect.Empty():
			return Continue
		case k == KeyE:
			return ConfirmEdit
		case k == KeyT:
			return ConfirmText
		}
		return Confirm
	case KeyC:
		return PickColour
	case KeyLeft:
		d.X = -step
	case KeyRight:
		d.X = step
	case KeyUp:
		d.Y = -step
	case KeyDown:
		d.Y = step
	default:
		return Continue
	}
	if !s.Rect.Empty() && s.mode == idle {
		s.Rect = clampInside(s.Rect.Add(d), s.Bounds)
	}
	return Continue
}

// Dragging reports whether a button is down on the selection.
func (s *Selection) Dragging() bool { return s.mode != idle }

func near(a, b image.Point, d int) bool {
	return abs(a.X-b.X) <= d && abs(a.Y-b.Y) <= d
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// hitEdges says which edges of r are within HandleSize of p.
func hitEdges(r image.Rectangle, p image.Point) int {
	grown := r.Inset(-HandleSize)
	if !p.In(grown) {
		return 0
	}
	e := 0
	if abs(p.X-r.Min.X) <= HandleSize {
		e |= edgeLeft
	} else if abs(p.X-(r.Max.X-1)) <= HandleSize {
		e |= edgeRight
	}
	if abs(p.Y-r.Min.Y) <= HandleSize {
		e |= edgeTop
	} else if abs(p.Y-(r.Max.Y-1)) <= HandleSize {
		e |= edgeBottom
	}
	// A small selection is easier to move than to resize from inside.
	if e != 0 && p.In(r) && (r.Dx() < 4*HandleSize || r.Dy() < 4*HandleSize) {
		return 0
	}
	return e
}

// clampInside moves r (keeping its size) so it lies inside b.
func clampInside(r, b image.Rectangle) image.Rectangle {
	d := image.Point{}
	if r.Min.X < b.Min.X {
		d.X = b.Min.X - r.Min.X
	} else if r.Max.X > b.Max.X {
		d.X = b.Max.X - r.Max.X
	}
	if r.Min.Y < b.Min.Y {
		d.Y = b.Min.Y - r.Min.Y
	} else if r.Max.Y > b.Max.Y {
		d.Y = b.Max.Y - r.Max.Y
	}
	return r.Add(d).Intersect(b)
}

// Chosen is what the person chose on the overlay.
type Chosen struct {
	Rect  image.Rectangle // in screen pixels
	Image *image.RGBA     // its pixels as they were when the overlay froze the screen
	Edit  bool            // confirmed with E: the editor is wanted first
	Text  bool            // confirmed with T: its text is wanted, not a capture
	// On is the size of the desktop's screenshot it was chosen on, where
	// the overlay showed one (Wayland): Rect is in its pixels.
	On image.Point
}

// ColourPicked is Select's answer when the person pressed C: the colour
// under the pointer is wanted, not a capture.
type ColourPicked struct{ R, G, B byte }

func (c *ColourPicked) Error() string { return "the colour " + c.Hex() + " was picked" }

// Hex is the colour as #RRGGBB.
func (c *ColourPicked) Hex() string { return strings.TrimSpace(hexLabel(c.R, c.G, c.B)) }
