package annotate

import (
	"image"
	"image/color"
)

// PixelateArea is the area a pixelation over r covers: r grown to whole
// cells, moved back inside the image where it would cross its edge.
func PixelateArea(r, img image.Rectangle, cell int) image.Rectangle {
	r = r.Canon().Intersect(img)
	if r.Empty() {
		return r
	}
	w := (r.Dx() + cell - 1) / cell * cell
	h := (r.Dy() + cell - 1) / cell * cell
	r.Max = r.Min.Add(image.Pt(w, h))
	if d := r.Max.X - img.Max.X; d > 0 {
		r = r.Sub(image.Pt(min(d, r.Min.X-img.Min.X), 0))
	}
	if d := r.Max.Y - img.Max.Y; d > 0 {
		r = r.Sub(image.Pt(0, min(d, r.Min.Y-img.Min.Y)))
	}
	return r.Intersect(img)
}

// pixelate paints each cell of r the mean colour of what is there, and
// makes sure the colour is none of the capture's own pixels in the cell:
// nothing of the original is left to read.
func pixelate(out, base *image.RGBA, r image.Rectangle, cell int) {
	r = PixelateArea(r, out.Rect, cell)
	for y0 := r.Min.Y; y0 < r.Max.Y; y0 += cell {
		for x0 := r.Min.X; x0 < r.Max.X; x0 += cell {
			c := image.Rect(x0, y0, x0+cell, y0+cell).Intersect(r)
			fillCell(out, base, c)
		}
	}
}

func fillCell(out, base *image.RGBA, c image.Rectangle) {
	var sum [4]int
	n := 0
	for y := c.Min.Y; y < c.Max.Y; y++ {
		o := out.PixOffset(c.Min.X, y)
		for x := 0; x < c.Dx(); x++ {
			for k := range 4 {
				sum[k] += int(out.Pix[o+4*x+k])
			}
			n++
		}
	}
	if n == 0 {
		return
	}
	col := [4]uint8{uint8(sum[0] / n), uint8(sum[1] / n), uint8(sum[2] / n), uint8(sum[3] / n)}
	// A flat area's mean is its own colour: change the colour by the
	// least step (the lowest bit of one channel, then of two, …) until no
	// original pixel of the cell has it.
	for try := 0; try < 8 && inCell(base, c, col); try++ {
		k := try % 3
		col[k] ^= 1 << (try / 3)
	}
	for y := c.Min.Y; y < c.Max.Y; y++ {
		o := out.PixOffset(c.Min.X, y)
		for x := 0; x < c.Dx(); x++ {
			copy(out.Pix[o+4*x:o+4*x+4], col[:])
		}
	}
}

// inCell says whether a pixel of img in c has colour col.
func inCell(img *image.RGBA, c image.Rectangle, col [4]uint8) bool {
	c = c.Intersect(img.Rect)
	for y := c.Min.Y; y < c.Max.Y; y++ {
		o := img.PixOffset(c.Min.X, y)
		for x := 0; x < c.Dx(); x++ {
			p := img.Pix[o+4*x : o+4*x+4]
			if p[0] == col[0] && p[1] == col[1] && p[2] == col[2] && p[3] == col[3] {
				return true
			}
		}
	}
	return false
}

// blur softens r with three passes of a box blur of the radius (close to
// a Gaussian), reading the pixels around r but changing only r.
func blur(out *image.RGBA, r image.Rectangle, radius int) {
	if r.Empty() {
		return
	}
	src := r.Inset(-3 * radius).Intersect(out.Rect)
	w, h := src.Dx(), src.Dy()
	buf := make([]float32, w*h*4)
	for y := range h {
		o := out.PixOffset(src.Min.X, src.Min.Y+y)
		for x := 0; x < w*4; x++ {
			buf[y*w*4+x] = float32(out.Pix[o+x])
		}
	}
	tmp := make([]float32, len(buf))
	for range 3 {
		boxPass(buf, tmp, w, h, radius, 4, w*4) // along rows
		boxPass(tmp, buf, h, w, radius, w*4, 4) // along columns
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		o := out.PixOffset(r.Min.X, y)
		b := ((y-src.Min.Y)*w + (r.Min.X - src.Min.X)) * 4
		for x := 0; x < r.Dx()*4; x++ {
			out.Pix[o+x] = uint8(buf[b+x] + 0.5)
		}
	}
}

// boxPass averages each of n lines of length l (elements step apart,
// lines stride apart) over a window of 2·radius+1, the edge repeated.
func boxPass(src, dst []float32, l, n, radius, step, stride int) {
	win := float32(2*radius + 1)
	for line := range n {
		base := line * stride
		for ch := range 4 {
			at := func(i int) float32 {
				i = min(max(i, 0), l-1)
				return src[base+i*step+ch]
			}
			var sum float32
			for i := -radius; i <= radius; i++ {
				sum += at(i)
			}
			for i := range l {
				dst[base+i*step+ch] = sum / win
				sum += at(i+radius+1) - at(i-radius)
			}
		}
	}
}

// Colors are the palette the editor offers, red first.
var Colors = []color.RGBA{
	{229, 57, 53, 255},   // red
	{255, 179, 0, 255},   // amber
	{67, 160, 71, 255},   // green
	{30, 136, 229, 255},  // blue
	{142, 36, 170, 255},  // purple
	{0, 0, 0, 255},       // black
	{255, 255, 255, 255}, // white
}

// Widths are the stroke widths the editor offers.
var Widths = []int{2, 4, 8}
