package region

import (
	"image"
	"image/color"
	"slices"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// painter draws the overlay's frames in memory, for desktops where the
// overlay is a bitmap the program fills (Windows): the frozen screen and
// the back buffer are top-down 32-bit BGRA rows (a DIB's layout), and each
// frame only touches what it and the frame before drew.
type painter struct {
	frozen []byte // the screen as it was, w×h×4, BGRA
	back   []byte // what the window shows, same layout
	w, h   int
	drawn  []image.Rectangle
	hint   *image.RGBA // the hint line (hintImage)
	chosen *image.RGBA // the hint line once a region is chosen
}

// dim is how much of the screen's brightness shows outside the selection
// (the X11 overlay darkens with RENDER at 0x6000/0xffff: 5/8 remain).
const dimNum, dimDen = 5, 8

func newPainter(frozen []byte, back []byte, w, h int, hint string) *painter {
	p := &painter{frozen: frozen, back: back, w: w, h: h, hint: hintImage(hint), chosen: hintImage(chosenHint(hint))}
	p.reset(image.Rect(0, 0, w, h))
	return p
}

// hintFor is the hint line with sel chosen (or none).
func (p *painter) hintFor(sel image.Rectangle) *image.RGBA {
	if sel.Empty() {
		return p.hint
	}
	return p.chosen
}

// labelWidth is the width of the label in the 7×13 font it is drawn in.
func labelWidth(s string) int { return 7 * len(s) }

// paint draws f and returns the areas of back that changed.
func (p *painter) paint(f frame) []image.Rectangle {
	bounds := image.Rect(0, 0, p.w, p.h)
	var damaged []image.Rectangle
	for _, r := range append(slices.Clone(f.areas), p.drawn...) {
		if r = r.Intersect(bounds); !r.Empty() {
			damaged = append(damaged, r)
		}
	}
	for _, r := range damaged {
		p.reset(r)
	}
	if sel := f.sel.Intersect(bounds); !sel.Empty() {
		p.copyFrozen(sel)
	}
	cross := colour(colCross)
	for _, e := range edges(f.hover, hoverW) {
		p.fill(e, cross)
	}
	p.fill(image.Rect(0, f.p.Y, p.w, f.p.Y+1), cross)
	p.fill(image.Rect(f.p.X, 0, f.p.X+1, p.h), cross)
	if sel := f.sel; !sel.Empty() {
		border := colour(colBorder)
		outline(p, sel.Inset(-1), border)
		midX, midY := (sel.Min.X+sel.Max.X)/2, (sel.Min.Y+sel.Max.Y)/2
		for _, hp := range []image.Point{sel.Min, {sel.Max.X, sel.Min.Y}, {sel.Min.X, sel.Max.Y}, sel.Max,
			{midX, sel.Min.Y}, {midX, sel.Max.Y}, {sel.Min.X, midY}, {sel.Max.X, midY}} {
			p.fill(image.Rect(hp.X-3, hp.Y-3, hp.X+3, hp.Y+3), border)
		}
	}
	p.text(f.labelAt, f.label)
	p.magnifier(f)
	if f.hasText() {
		p.blit(p.hintFor(f.sel), f.hintAt.Sub(image.Pt(0, hintBase)))
		var c bgra
		if f.p.In(image.Rect(0, 0, p.w, p.h)) {
			o := (f.p.Y*p.w + f.p.X) * 4
			copy(c[:], p.frozen[o:o+4])
		}
		p.text(f.hexAt, hexLabel(c[2], c[1], c[0]))
	}
	p.drawn = f.areas
	return damaged
}

// reset puts the frozen screen, dimmed, back at r.
func (p *painter) reset(r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		o := (y*p.w + r.Min.X) * 4
		src, dst := p.frozen[o:o+r.Dx()*4], p.back[o:o+r.Dx()*4]
		for i := 0; i < len(src); i += 4 {
			dst[i] = byte(int(src[i]) * dimNum / dimDen)
			dst[i+1] = byte(int(src[i+1]) * dimNum / dimDen)
			dst[i+2] = byte(int(src[i+2]) * dimNum / dimDen)
			dst[i+3] = 255
		}
	}
}

func (p *painter) copyFrozen(r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		o := (y*p.w + r.Min.X) * 4
		copy(p.back[o:o+r.Dx()*4], p.frozen[o:])
	}
}

// bgra is a pixel in the buffers' byte order.
type bgra [4]byte

func colour(rgb uint32) bgra {
	return bgra{byte(rgb & 0xff), byte(rgb >> 8 & 0xff), byte(rgb >> 16 & 0xff), 255}
}

func (p *painter) fill(r image.Rectangle, c bgra) {
	r = r.Intersect(image.Rect(0, 0, p.w, p.h))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := p.back[(y*p.w+r.Min.X)*4 : (y*p.w+r.Max.X)*4]
		for i := 0; i < len(row); i += 4 {
			copy(row[i:i+4], c[:])
		}
	}
}

// outline draws the 1-pixel border just inside r.
func outline(p *painter, r image.Rectangle, c bgra) {
	p.fill(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1), c)
	p.fill(image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y), c)
	p.fill(image.Rect(r.Min.X, r.Min.Y, r.Min.X+1, r.Max.Y), c)
	p.fill(image.Rect(r.Max.X-1, r.Min.Y, r.Max.X, r.Max.Y), c)
}

// text draws s with its baseline at at, light on dark, in a 7×13 bitmap
// font.
func (p *painter) text(at image.Point, s string) {
	w := labelWidth(s)
	box := image.Rect(at.X, at.Y-12, at.X+w, at.Y+4)
	p.fill(box, colour(colTextBg))
	d := font.Drawer{Dst: (*bgraImage)(p), Src: image.NewUniform(color.RGBA{uint8(colText >> 16 & 0xff), uint8(colText >> 8 & 0xff), uint8(colText & 0xff), 255}),
		Face: basicfont.Face7x13, Dot: fixed.P(at.X, at.Y)}
	d.DrawString(s)
}

// blit copies img into the back buffer with its top left at at.
func (p *painter) blit(img *image.RGBA, at image.Point) {
	r := img.Rect.Add(at).Intersect(image.Rect(0, 0, p.w, p.h))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x-at.X, y-at.Y)
			o := (y*p.w + x) * 4
			p.back[o], p.back[o+1], p.back[o+2], p.back[o+3] = c.B, c.G, c.R, 255
		}
	}
}

// magnifier shows the pixels around the pointer enlarged, with the pixel
// under it outlined; black and white borders stand out on any content.
func (p *painter) magnifier(f frame) {
	at := f.mag.Min.Add(image.Pt(2, 2))
	for sy := 0; sy < zoomSrc; sy++ {
		for sx := 0; sx < zoomSrc; sx++ {
			src := image.Pt(f.p.X-zoomSrc/2+sx, f.p.Y-zoomSrc/2+sy)
			var c bgra
			if src.In(image.Rect(0, 0, p.w, p.h)) {
				o := (src.Y*p.w + src.X) * 4
				copy(c[:], p.frozen[o:o+4])
				c[3] = 255
			}
			p.fill(image.Rect(at.X+sx*zoom, at.Y+sy*zoom, at.X+(sx+1)*zoom, at.Y+(sy+1)*zoom), c)
		}
	}
	border, edge := colour(colBorder), colour(colEdge)
	outline(p, f.mag, edge)
	outline(p, f.mag.Inset(1), border)
	centre := at.Add(image.Pt(zoomSrc/2*zoom, zoomSrc/2*zoom))
	cell := image.Rect(centre.X, centre.Y, centre.X+zoom, centre.Y+zoom)
	outline(p, cell.Inset(-1), edge)
	outline(p, cell, border)
}

// bgraImage lets the font drawer write into the back buffer.
type bgraImage painter

func (b *bgraImage) ColorModel() color.Model { return color.RGBAModel }
func (b *bgraImage) Bounds() image.Rectangle { return image.Rect(0, 0, b.w, b.h) }
func (b *bgraImage) At(x, y int) color.Color {
	o := (y*b.w + x) * 4
	return color.RGBA{b.back[o+2], b.back[o+1], b.back[o], 255}
}
func (b *bgraImage) Set(x, y int, c color.Color) {
	if !(image.Point{x, y}).In(b.Bounds()) {
		return
	}
	r, g, bl, _ := c.RGBA()
	o := (y*b.w + x) * 4
	b.back[o], b.back[o+1], b.back[o+2], b.back[o+3] = byte(bl>>8), byte(g>>8), byte(r>>8), 255
}
