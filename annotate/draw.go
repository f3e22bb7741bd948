package annotate

import (
	"image"
	"image/color"
	"math"
	"slices"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"imagecx/fonts"
	"imagecx/i18n"
)

// HighlighterAlpha is how much of the highlighter's colour covers what
// is under it.
const HighlighterAlpha = 0.4

// MinCell is the smallest pixelate cell: finer cells can leave text
// readable.
const MinCell = 8

// draw paints s on out; base is the capture as it was (redaction makes
// sure no pixel of it survives).
func draw(out, base *image.RGBA, s Shape) {
	if len(s.Points) == 0 {
		return
	}
	w := float64(max(1, s.Width))
	switch s.Tool {
	case Line, Arrow:
		p := newPath(bounds(s), out.Rect)
		a, b := s.Points[0], s.Points[len(s.Points)-1]
		if s.Tool == Arrow {
			b = p.arrowHead(a, b, w)
		}
		p.segment(a, b, w)
		p.fill(out, s.Color)
	case Rect:
		p := newPath(bounds(s), out.Rect)
		r := rectOf(s)
		pts := []image.Point{r.Min, {r.Max.X, r.Min.Y}, r.Max, {r.Min.X, r.Max.Y}, r.Min}
		p.polyline(pts, w)
		p.fill(out, s.Color)
	case Ellipse:
		p := newPath(bounds(s), out.Rect)
		p.polyline(ellipsePoints(rectOf(s)), w)
		p.fill(out, s.Color)
	case Pen:
		p := newPath(bounds(s), out.Rect)
		p.polyline(s.Points, w)
		p.fill(out, s.Color)
	case Highlighter:
		p := newPath(bounds(s), out.Rect)
		p.polyline(s.Points, w*HighlighterWidth)
		c := s.Color
		c.A = uint8(255 * HighlighterAlpha)
		c.R, c.G, c.B = uint8(float64(c.R)*HighlighterAlpha), uint8(float64(c.G)*HighlighterAlpha), uint8(float64(c.B)*HighlighterAlpha)
		p.fill(out, c)
	case Text:
		drawText(out, s)
	case Step:
		r := StepRadius(s.Width)
		p := newPath(bounds(s), out.Rect)
		p.disc(s.Points[0], r)
		p.fill(out, s.Color)
		drawStepNumber(out, s, r)
	case Pixelate:
		pixelate(out, base, rectOf(s), CellSize(s.Width))
	case Blur:
		blur(out, rectOf(s).Intersect(out.Rect), BlurRadius(s.Width))
	}
}

// HighlighterWidth is how many times wider than the pen the highlighter
// is.
const HighlighterWidth = 4

// StepRadius is a step marker's radius for a width.
func StepRadius(width int) float64 { return 12 + 2*float64(max(1, width)) }

// CellSize is the pixelate cell for a width: never under MinCell.
func CellSize(width int) int { return max(MinCell, 4*width) }

// BlurRadius is the blur's box radius for a width.
func BlurRadius(width int) int { return max(4, 3*width) }

// TextSize is the text's size in pixels for a width.
func TextSize(width int) float64 { return 14 + 4*float64(max(1, width)) }

// rectOf is the rectangle between a shape's first and last points.
func rectOf(s Shape) image.Rectangle {
	a, b := s.Points[0], s.Points[len(s.Points)-1]
	return image.Rectangle{a, b}.Canon()
}

// Bounds is the area s can paint, in the capture's pixels.
func Bounds(s Shape) image.Rectangle { return bounds(s) }

// bounds is the area a shape can paint.
func bounds(s Shape) image.Rectangle {
	var r image.Rectangle
	switch s.Tool {
	case Text:
		return textBounds(s)
	case Step:
		rad := int(math.Ceil(StepRadius(s.Width))) + 1
		c := s.Points[0]
		return image.Rect(c.X-rad, c.Y-rad, c.X+rad+1, c.Y+rad+1)
	}
	r = image.Rectangle{s.Points[0], s.Points[0].Add(image.Pt(1, 1))}
	for _, p := range s.Points[1:] {
		r = r.Union(image.Rectangle{p, p.Add(image.Pt(1, 1))})
	}
	pad := max(1, s.Width)
	switch s.Tool {
	case Highlighter:
		pad *= HighlighterWidth
	case Arrow:
		pad *= 6
	}
	return r.Inset(-pad - 2)
}

// path is a vector mask over a rectangle of the image.
type path struct {
	z   *vector.Rasterizer
	r   image.Rectangle // the mask's place in the image
	any bool
}

func newPath(area, img image.Rectangle) *path {
	r := area.Intersect(img)
	p := &path{r: r}
	if !r.Empty() {
		p.z = vector.NewRasterizer(r.Dx(), r.Dy())
	}
	return p
}

func (p *path) pt(x, y float64) (float32, float32) {
	return float32(x - float64(p.r.Min.X)), float32(y - float64(p.r.Min.Y))
}

// poly adds a closed polygon.
func (p *path) poly(xs, ys []float64) {
	if p.z == nil || len(xs) < 3 {
		return
	}
	p.any = true
	// One winding for every polygon: the rasterizer adds up signed
	// coverage, so a disc and a stroke wound the other way would cancel
	// where they overlap.
	area := 0.0
	for i := range xs {
		j := (i + 1) % len(xs)
		area += xs[i]*ys[j] - xs[j]*ys[i]
	}
	if area < 0 {
		xs, ys = slices.Clone(xs), slices.Clone(ys)
		slices.Reverse(xs)
		slices.Reverse(ys)
	}
	x, y := p.pt(xs[0], ys[0])
	p.z.MoveTo(x, y)
	for i := 1; i < len(xs); i++ {
		x, y := p.pt(xs[i], ys[i])
		p.z.LineTo(x, y)
	}
	p.z.ClosePath()
}

// disc adds a filled circle (pixel centres at .5).
func (p *path) disc(c image.Point, r float64) {
	n := int(math.Min(64, math.Max(12, r*2)))
	xs, ys := make([]float64, n), make([]float64, n)
	cx, cy := float64(c.X)+0.5, float64(c.Y)+0.5
	for i := range n {
		t := 2 * math.Pi * float64(i) / float64(n)
		xs[i], ys[i] = cx+r*math.Cos(t), cy+r*math.Sin(t)
	}
	p.poly(xs, ys)
}

// segment adds a stroke of width w from a to b with round ends.
func (p *path) segment(a, b image.Point, w float64) {
	ax, ay := float64(a.X)+0.5, float64(a.Y)+0.5
	bx, by := float64(b.X)+0.5, float64(b.Y)+0.5
	dx, dy := bx-ax, by-ay
	l := math.Hypot(dx, dy)
	if l > 0 {
		nx, ny := -dy/l*w/2, dx/l*w/2
		p.poly([]float64{ax + nx, bx + nx, bx - nx, ax - nx}, []float64{ay + ny, by + ny, by - ny, ay - ny})
	}
	p.disc(a, w/2)
	p.disc(b, w/2)
}

// polyline adds a stroke through pts.
func (p *path) polyline(pts []image.Point, w float64) {
	if len(pts) == 1 {
		p.disc(pts[0], w/2)
	}
	for i := 1; i < len(pts); i++ {
		p.segment(pts[i-1], pts[i], w)
	}
}

// arrowHead adds the head of an arrow from a to b and returns where its
// shaft ends.
func (p *path) arrowHead(a, b image.Point, w float64) image.Point {
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	l := math.Hypot(dx, dy)
	if l == 0 {
		return b
	}
	head := math.Min(l, 4*w+8)
	ux, uy := dx/l, dy/l
	bx, by := float64(b.X)+0.5, float64(b.Y)+0.5
	baseX, baseY := bx-ux*head, by-uy*head
	half := head * 0.55
	p.poly([]float64{bx, baseX - uy*half, baseX + uy*half}, []float64{by, baseY + ux*half, baseY - ux*half})
	return image.Pt(int(math.Round(bx-ux*head*0.6-0.5)), int(math.Round(by-uy*head*0.6-0.5)))
}

// fill paints c (premultiplied: alpha < 255 blends) through the mask.
func (p *path) fill(out *image.RGBA, c color.RGBA) {
	if p.z == nil || !p.any {
		return
	}
	p.z.Draw(out, p.r, image.NewUniform(c), image.Point{})
}

// ellipsePoints is a closed outline of the ellipse in r.
func ellipsePoints(r image.Rectangle) []image.Point {
	cx, cy := float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2
	rx, ry := float64(r.Dx())/2, float64(r.Dy())/2
	n := int(math.Min(180, math.Max(24, (rx+ry)/2)))
	pts := make([]image.Point, 0, n+1)
	for i := 0; i <= n; i++ {
		t := 2 * math.Pi * float64(i) / float64(n)
		pts = append(pts, image.Pt(int(math.Round(cx+rx*math.Cos(t))), int(math.Round(cy+ry*math.Sin(t)))))
	}
	return pts
}

var (
	faceMu sync.Mutex
	faces  = map[float64]font.Face{}
	bold   *opentype.Font
)

// face is the bold Go font at size pixels, with the system's CJK font
// (fonts.CJK, in the process's language's shapes) for the Chinese and
// Japanese the Go font lacks; without one, those are boxes.
func face(size float64) font.Face {
	faceMu.Lock()
	defer faceMu.Unlock()
	if f, ok := faces[size]; ok {
		return f
	}
	if bold == nil {
		f, err := opentype.Parse(gobold.TTF)
		if err != nil {
			panic(err) // the font is compiled in
		}
		bold = f
	}
	var f font.Face
	f, err := opentype.NewFace(bold, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic(err)
	}
	if cjk, err := fonts.CJK(i18n.Current()); err == nil {
		if cf, err := cjk.Face(size); err == nil {
			var buf sfnt.Buffer
			goHas := func(r rune) bool {
				x, err := bold.GlyphIndex(&buf, r)
				return err == nil && x != 0
			}
			f = fonts.Combine(fonts.Part{Face: f, Has: goHas}, fonts.Part{Face: cf, Has: cjk.Draws()})
		}
	}
	faces[size] = f
	return f
}

// textBounds is where a Text shape's letters go: its point is the top
// left of the first line.
func textBounds(s Shape) image.Rectangle {
	f := face(TextSize(s.Width))
	m := f.Metrics()
	lineH := m.Height.Ceil()
	w, lines := 0, 0
	for _, line := range splitLines(s.Text) {
		w = max(w, font.MeasureString(f, line).Ceil())
		lines++
	}
	p := s.Points[0]
	// Glyphs can reach a little past their advance.
	return image.Rect(p.X, p.Y, p.X+max(w, 1), p.Y+max(lines, 1)*lineH).Inset(-2)
}

func splitLines(t string) []string {
	var lines []string
	start := 0
	for i, r := range t {
		if r == '\n' {
			lines = append(lines, t[start:i])
			start = i + 1
		}
	}
	return append(lines, t[start:])
}

func drawText(out *image.RGBA, s Shape) {
	f := face(TextSize(s.Width))
	m := f.Metrics()
	d := font.Drawer{Dst: out, Src: image.NewUniform(s.Color), Face: f}
	p := s.Points[0]
	for i, line := range splitLines(s.Text) {
		d.Dot = fixed.Point26_6{X: fixed.I(p.X), Y: fixed.I(p.Y) + m.Ascent + fixed.I(i*m.Height.Ceil())}
		d.DrawString(line)
	}
}

// drawStepNumber writes a step's number in its disc, in white or black,
// whichever stands out.
func drawStepNumber(out *image.RGBA, s Shape, r float64) {
	f := face(r * 1.1)
	label := itoa(s.N)
	w := font.MeasureString(f, label)
	m := f.Metrics()
	ink := color.RGBA{255, 255, 255, 255}
	if lum(s.Color) > 160 {
		ink = color.RGBA{0, 0, 0, 255}
	}
	c := s.Points[0]
	d := font.Drawer{Dst: out, Src: image.NewUniform(ink), Face: f}
	d.Dot = fixed.Point26_6{X: fixed.I(c.X) - w/2, Y: fixed.I(c.Y) + (m.Ascent-m.Descent)/2}
	d.DrawString(label)
}

func lum(c color.RGBA) float64 {
	return 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)
}

func itoa(n int) string {
	if n <= 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// hit says whether p is on s (within a few pixels of a stroke).
func hit(s Shape, p image.Point) bool {
	if len(s.Points) == 0 {
		return false
	}
	slack := float64(max(3, s.Width))
	switch s.Tool {
	case Text, Step:
		return p.In(bounds(s))
	case Pixelate, Blur:
		return p.In(rectOf(s).Inset(-2))
	case Rect:
		r := rectOf(s)
		return p.In(r.Inset(-int(slack))) && !p.In(r.Inset(int(slack)))
	case Ellipse:
		return nearPolyline(ellipsePoints(rectOf(s)), p, slack)
	case Highlighter:
		return nearPolyline(s.Points, p, slack*HighlighterWidth/2)
	case Line, Arrow:
		return nearPolyline([]image.Point{s.Points[0], s.Points[len(s.Points)-1]}, p, slack)
	}
	return nearPolyline(s.Points, p, slack)
}

func nearPolyline(pts []image.Point, p image.Point, d float64) bool {
	if len(pts) == 1 {
		return math.Hypot(float64(p.X-pts[0].X), float64(p.Y-pts[0].Y)) <= d
	}
	for i := 1; i < len(pts); i++ {
		if segDist(pts[i-1], pts[i], p) <= d {
			return true
		}
	}
	return false
}

func segDist(a, b, p image.Point) float64 {
	ax, ay, bx, by, px, py := float64(a.X), float64(a.Y), float64(b.X), float64(b.Y), float64(p.X), float64(p.Y)
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((px-ax)*dx+(py-ay)*dy)/l2))
	}
	return math.Hypot(px-(ax+t*dx), py-(ay+t*dy))
}
