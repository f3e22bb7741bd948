// Package imgdiff compares images pixel by pixel, for tests that check a
// capture against what the screen showed.
package imgdiff

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // decoded by Decode
	_ "image/png"
)

// RGBA returns img as an *image.RGBA whose Rect starts at 0,0 (img itself
// when it already is one).
func RGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, img, b.Min, draw.Src)
	return m
}

// Count is how many pixels of got differ from the area r of want; got is
// read from its own top left corner. It is -1 when the sizes differ.
func Count(got, want image.Image, r image.Rectangle) int {
	g, w := RGBA(got), RGBA(want)
	wantOrigin := want.Bounds().Min
	r = r.Sub(wantOrigin)
	if g.Rect.Dx() != r.Dx() || g.Rect.Dy() != r.Dy() || !r.In(w.Rect) {
		return -1
	}
	n := 0
	for y := 0; y < r.Dy(); y++ {
		a := g.Pix[y*g.Stride : y*g.Stride+r.Dx()*4]
		o := w.PixOffset(r.Min.X, r.Min.Y+y)
		b := w.Pix[o : o+r.Dx()*4]
		if bytes.Equal(a, b) {
			continue
		}
		for x := 0; x < len(a); x += 4 {
			if !bytes.Equal(a[x:x+4], b[x:x+4]) {
				n++
			}
		}
	}
	return n
}

// Equal says whether got holds exactly want's pixels, and if not, how
// they differ, in words for a test failure.
func Equal(got, want image.Image) (bool, string) {
	gb, wb := got.Bounds(), want.Bounds()
	if gb.Dx() != wb.Dx() || gb.Dy() != wb.Dy() {
		return false, fmt.Sprintf("size %dx%d, want %dx%d", gb.Dx(), gb.Dy(), wb.Dx(), wb.Dy())
	}
	if n := Count(got, want, wb); n != 0 {
		return false, fmt.Sprintf("%d of %d pixels differ", n, wb.Dx()*wb.Dy())
	}
	return true, ""
}

// Decode decodes an encoded image (PNG, JPEG) for comparison.
func Decode(data []byte) (image.Image, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not an image: %w", err)
	}
	return img, nil
}
