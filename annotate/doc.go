// Package annotate is the editor's document: a capture, the shapes drawn
// on it (arrows, lines, boxes, ellipses, pen and highlighter strokes, text,
// numbered steps, and the redactions pixelate and blur), a crop, and undo
// and redo. Render flattens it into the image that is uploaded, copied or
// saved. It knows nothing of windows, so every tool is tested here.
package annotate

import (
	"image"
	"image/color"
	"slices"
)

// Tool is a kind of shape.
type Tool int

// The tools, in the toolbar's order.
const (
	Arrow Tool = iota
	Line
	Rect
	Ellipse
	Pen
	Highlighter
	Text
	Step
	Pixelate
	Blur
)

// Shape is one thing drawn on the capture, in the capture's pixels.
type Shape struct {
	Tool Tool
	// Points: from and to for Arrow, Line, Rect, Ellipse, Pixelate and
	// Blur; the stroke for Pen and Highlighter; the place (the text's top
	// left, the step's centre) for Text and Step.
	Points []image.Point
	Color  color.RGBA
	Width  int    // the stroke, in pixels (Text: the size; Pixelate: the cell)
	Text   string // Text's
	N      int    // Step's number
}

// Moved is s moved by d.
func (s Shape) Moved(d image.Point) Shape {
	pts := make([]image.Point, len(s.Points))
	for i, p := range s.Points {
		pts[i] = p.Add(d)
	}
	s.Points = pts
	return s
}

// Redacts says whether s hides what is under it.
func (s Shape) Redacts() bool { return s.Tool == Pixelate || s.Tool == Blur }

// Doc is a capture being edited.
type Doc struct {
	base   *image.RGBA
	shapes []Shape
	crop   image.Rectangle // empty: the whole capture

	undo, redo []state
}

// state is what undo and redo go back and forth between.
type state struct {
	shapes []Shape
	crop   image.Rectangle
}

// New is a document on img (kept, not copied: do not change it).
func New(img *image.RGBA) *Doc {
	return &Doc{base: img}
}

// Base is the capture as it was.
func (d *Doc) Base() *image.RGBA { return d.base }

// Shapes are the shapes, bottom first.
func (d *Doc) Shapes() []Shape { return slices.Clone(d.shapes) }

// Bounds is the part of the capture the result holds (after a crop).
func (d *Doc) Bounds() image.Rectangle {
	if d.crop.Empty() {
		return d.base.Rect
	}
	return d.crop
}

// change records the state before a change, for Undo.
func (d *Doc) change() {
	d.undo = append(d.undo, state{shapes: slices.Clone(d.shapes), crop: d.crop})
	d.redo = nil
}

// Add draws s on top.
func (d *Doc) Add(s Shape) {
	d.change()
	d.shapes = append(d.shapes, s)
}

// Replace puts s in place of shape i (a move).
func (d *Doc) Replace(i int, s Shape) {
	if i < 0 || i >= len(d.shapes) {
		return
	}
	d.change()
	d.shapes[i] = s
}

// Delete removes shape i.
func (d *Doc) Delete(i int) {
	if i < 0 || i >= len(d.shapes) {
		return
	}
	d.change()
	d.shapes = slices.Delete(slices.Clone(d.shapes), i, i+1)
}

// Crop keeps only r of the capture (within what is kept already).
func (d *Doc) Crop(r image.Rectangle) {
	r = r.Canon().Intersect(d.Bounds())
	if r.Empty() || r == d.Bounds() {
		return
	}
	d.change()
	d.crop = r
}

// Undo takes back the last change; false when there is none.
func (d *Doc) Undo() bool {
	if len(d.undo) == 0 {
		return false
	}
	d.redo = append(d.redo, state{shapes: d.shapes, crop: d.crop})
	last := d.undo[len(d.undo)-1]
	d.undo = d.undo[:len(d.undo)-1]
	d.shapes, d.crop = last.shapes, last.crop
	return true
}

// Redo makes the last undone change again; false when there is none.
func (d *Doc) Redo() bool {
	if len(d.redo) == 0 {
		return false
	}
	d.undo = append(d.undo, state{shapes: d.shapes, crop: d.crop})
	next := d.redo[len(d.redo)-1]
	d.redo = d.redo[:len(d.redo)-1]
	d.shapes, d.crop = next.shapes, next.crop
	return true
}

// CanUndo and CanRedo say whether there is a change to take back or make
// again.
func (d *Doc) CanUndo() bool { return len(d.undo) > 0 }
func (d *Doc) CanRedo() bool { return len(d.redo) > 0 }

// Changed says whether anything was drawn or cropped.
func (d *Doc) Changed() bool { return len(d.shapes) > 0 || !d.crop.Empty() }

// NextStep is the number the next step marker gets.
func (d *Doc) NextStep() int {
	n := 1
	for _, s := range d.shapes {
		if s.Tool == Step && s.N >= n {
			n = s.N + 1
		}
	}
	return n
}

// At is the topmost shape at p (within a few pixels of a stroke), or -1.
func (d *Doc) At(p image.Point) int {
	for i := len(d.shapes) - 1; i >= 0; i-- {
		if hit(d.shapes[i], p) {
			return i
		}
	}
	return -1
}

// Render is the result: the capture with every shape drawn, bottom
// first, then cropped. A redaction covers everything drawn before it.
func (d *Doc) Render() *image.RGBA { return d.RenderInto(nil) }

// RenderInto is Render drawn in buf's pixels when buf is the capture's
// size (a window showing the document draws every change into the same
// memory), else in new ones; a crop is then copied out of them.
func (d *Doc) RenderInto(buf *image.RGBA) *image.RGBA {
	out := buf
	if out == nil || out == d.base || out.Rect != d.base.Rect || len(out.Pix) != len(d.base.Pix) {
		out = image.NewRGBA(d.base.Rect) // never drawn over the capture itself
	}
	copy(out.Pix, d.base.Pix)
	for _, s := range d.shapes {
		draw(out, d.base, s)
	}
	b := d.Bounds()
	if b == out.Rect {
		return out
	}
	cropped := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		o := out.PixOffset(b.Min.X, b.Min.Y+y)
		copy(cropped.Pix[y*cropped.Stride:], out.Pix[o:o+b.Dx()*4])
	}
	return cropped
}
