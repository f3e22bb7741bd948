package ocr

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
)

// maxPixels bounds the prepared image: made larger than this, a big
// capture takes the engine far longer for little gain.
const maxPixels = 24_000_000

// Scale is how many times larger an image of size is made for the
// engine: small UI text (12–16 px) is read far better three times its
// size, a full 4K screen is read as it is.
func Scale(size image.Point) int {
	area := float64(size.X) * float64(size.Y)
	if area <= 0 {
		return 1
	}
	return max(1, min(3, int(math.Sqrt(maxPixels/area))))
}

// Prepare is img as engines read screen text best: grey, dark text on a
// light ground (inverted when the ground, judged by the image's edges,
// is dark), made Scale times larger (bilinear), with a margin of the
// ground's shade around it.
func Prepare(img image.Image) *image.Gray {
	g := grey(img)
	if ground(g) < 128 {
		for i := range g.Pix {
			g.Pix[i] = 255 - g.Pix[i]
		}
	}
	f := Scale(g.Rect.Size())
	big := enlarge(g, f)
	margin := 10 * f
	out := image.NewGray(image.Rect(0, 0, big.Rect.Dx()+2*margin, big.Rect.Dy()+2*margin))
	draw.Draw(out, out.Rect, &image.Uniform{color.Gray{ground(big)}}, image.Point{}, draw.Src)
	draw.Draw(out, big.Rect.Add(image.Pt(margin, margin)), big, image.Point{}, draw.Src)
	return out
}

// grey is img's luminance, at the origin.
func grey(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if rgba, ok := img.(*image.RGBA); ok {
		for y := range b.Dy() {
			row := rgba.Pix[(y+b.Min.Y-rgba.Rect.Min.Y)*rgba.Stride+(b.Min.X-rgba.Rect.Min.X)*4:]
			out := g.Pix[y*g.Stride:]
			for x := range b.Dx() {
				r, gr, bl := uint32(row[4*x]), uint32(row[4*x+1]), uint32(row[4*x+2])
				out[x] = uint8((299*r + 587*gr + 114*bl + 500) / 1000)
			}
		}
		return g
	}
	draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	return g
}

// ground is the shade of the image's edges (their median): the
// background text is written on.
func ground(g *image.Gray) uint8 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w == 0 || h == 0 {
		return 255
	}
	var edge []uint8
	for x := range w {
		edge = append(edge, g.Pix[x], g.Pix[(h-1)*g.Stride+x])
	}
	for y := range h {
		edge = append(edge, g.Pix[y*g.Stride], g.Pix[y*g.Stride+w-1])
	}
	slices.Sort(edge)
	return edge[len(edge)/2]
}

// enlarge makes g f times larger, interpolating bilinearly (pixel
// centres kept in place).
func enlarge(g *image.Gray, f int) *image.Gray {
	if f == 1 {
		return g
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w*f, h*f))
	// Each output column's two source columns and weight (in 1/256).
	x0s, x1s, wxs := make([]int, w*f), make([]int, w*f), make([]int32, w*f)
	for x := range w * f {
		x0s[x], x1s[x], wxs[x] = tap(x, f, w)
	}
	for y := range h * f {
		y0, y1, wy := tap(y, f, h)
		r0, r1 := g.Pix[y0*g.Stride:], g.Pix[y1*g.Stride:]
		row := out.Pix[y*out.Stride:]
		for x := range w * f {
			a, b, wx := x0s[x], x1s[x], wxs[x]
			top := int32(r0[a])*(256-wx) + int32(r0[b])*wx
			bottom := int32(r1[a])*(256-wx) + int32(r1[b])*wx
			row[x] = uint8((top*(256-wy) + bottom*wy + 1<<15) >> 16)
		}
	}
	return out
}

// tap is where output pixel i of an f-times enlargement falls among n
// source pixels: the two it lies between and the second's weight.
func tap(i, f, n int) (int, int, int32) {
	// The centre of output pixel i, in source pixels: (i+0.5)/f - 0.5.
	pos := (2*i + 1 - f) * 256 / (2 * f) // in 1/256 of a pixel
	if pos <= 0 {
		return 0, 0, 0
	}
	p0 := pos / 256
	if p0 >= n-1 {
		return n - 1, n - 1, 0
	}
	return p0, p0 + 1, int32(pos % 256)
}
