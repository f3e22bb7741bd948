package fonts

import (
	"image"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// A Part is a face and the characters it draws.
type Part struct {
	Face font.Face
	Has  func(rune) bool
}

// Draws is what f has glyphs for (not its "missing" box).
func (f *Font) Draws() func(rune) bool {
	var buf sfnt.Buffer
	return func(r rune) bool {
		x, err := f.GlyphIndex(&buf, r)
		return err == nil && x != 0
	}
}

// Face is f at size pixels (72 dpi), hinted.
func (f *Font) Face(size float64) (font.Face, error) {
	return opentype.NewFace(f.Font, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

// Combine is one face of parts: each character drawn by the first part
// that has it (the first part draws what none has). Its metrics are the
// largest of the parts', so lines fit every one. Like every font.Face,
// it is for one goroutine at a time.
func Combine(parts ...Part) font.Face {
	if len(parts) == 1 {
		return parts[0].Face
	}
	return combined(parts)
}

type combined []Part

func (c combined) pick(r rune) font.Face {
	for _, p := range c {
		if p.Has == nil || p.Has(r) {
			return p.Face
		}
	}
	return c[0].Face
}

func (c combined) Close() error {
	for _, p := range c {
		p.Face.Close()
	}
	return nil
}

func (c combined) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	return c.pick(r).Glyph(dot, r)
}

func (c combined) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	return c.pick(r).GlyphBounds(r)
}

func (c combined) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	return c.pick(r).GlyphAdvance(r)
}

// Kern is the kerning between two characters of the same part.
func (c combined) Kern(r0, r1 rune) fixed.Int26_6 {
	if f := c.pick(r0); f == c.pick(r1) {
		return f.Kern(r0, r1)
	}
	return 0
}

func (c combined) Metrics() font.Metrics {
	m := c[0].Face.Metrics()
	for _, p := range c[1:] {
		o := p.Face.Metrics()
		m.Height = max(m.Height, o.Height)
		m.Ascent = max(m.Ascent, o.Ascent)
		m.Descent = max(m.Descent, o.Descent)
	}
	return m
}
