package annotate

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

func flat(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func noise(w, h int, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 1))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255
	}
	return img
}

// changed is the bounding box of the pixels that differ, and their count.
func changed(a, b *image.RGBA) (image.Rectangle, int) {
	var box image.Rectangle
	n := 0
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
			if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
				n++
			}
		}
	}
	return box, n
}

var red = Colors[0]

// Every tool paints, and only where it says it does.
func TestEveryToolPaintsWithinItsBounds(t *testing.T) {
	pts := []image.Point{{40, 30}, {90, 70}, {140, 50}}
	for _, s := range []Shape{
		{Tool: Arrow, Points: pts[:2], Color: red, Width: 4},
		{Tool: Line, Points: pts[:2], Color: red, Width: 2},
		{Tool: Rect, Points: pts[:2], Color: red, Width: 4},
		{Tool: Ellipse, Points: pts[:2], Color: red, Width: 4},
		{Tool: Pen, Points: pts, Color: red, Width: 4},
		{Tool: Highlighter, Points: pts, Color: Colors[1], Width: 4},
		{Tool: Text, Points: pts[:1], Color: red, Width: 2, Text: "Secret\ntoken"},
		{Tool: Step, Points: pts[:1], Color: red, Width: 2, N: 7},
		{Tool: Pixelate, Points: pts[:2], Width: 2},
		{Tool: Blur, Points: pts[:2], Width: 2},
	} {
		base := noise(200, 150, uint64(s.Tool))
		if s.Tool != Pixelate && s.Tool != Blur {
			base = flat(200, 150, color.RGBA{200, 200, 200, 255})
		}
		d := New(base)
		d.Add(s)
		box, n := changed(base, d.Render())
		want := bounds(s)
		if s.Tool == Pixelate {
			want = PixelateArea(rectOf(s), base.Rect, CellSize(s.Width))
		}
		if n == 0 {
			t.Errorf("tool %d painted nothing", s.Tool)
		} else if !box.In(want) {
			t.Errorf("tool %d painted %v, outside its bounds %v", s.Tool, box, want)
		}
		if hit(s, image.Pt(5, 140)) {
			t.Errorf("tool %d is hit far away from it", s.Tool)
		}
	}
}

// Pixelate leaves no pixel of the capture in its area: each cell is one
// colour, at least MinCell wide, and none of the cell's original colours
// (even on a flat area, whose mean is its own colour).
func TestPixelateDestroys(t *testing.T) {
	for _, base := range []*image.RGBA{noise(300, 200, 7), flat(300, 200, color.RGBA{255, 255, 255, 255})} {
		d := New(base)
		d.Add(Shape{Tool: Text, Points: []image.Point{{30, 30}}, Color: red, Width: 3, Text: "chv_SECRET"})
		d.Add(Shape{Tool: Pixelate, Points: []image.Point{{25, 25}, {203, 71}}, Width: 1})
		out := d.Render()
		area := PixelateArea(image.Rect(25, 25, 203, 71), base.Rect, MinCell)
		if area.Dx()%MinCell != 0 || area.Dy()%MinCell != 0 || !image.Rect(25, 25, 203, 71).In(area) {
			t.Fatalf("the area %v is not whole cells around the drag", area)
		}
		for y0 := area.Min.Y; y0 < area.Max.Y; y0 += MinCell {
			for x0 := area.Min.X; x0 < area.Max.X; x0 += MinCell {
				want := out.RGBAAt(x0, y0)
				for y := y0; y < y0+MinCell; y++ {
					for x := x0; x < x0+MinCell; x++ {
						if got := out.RGBAAt(x, y); got != want {
							t.Fatalf("cell at %d,%d holds %v and %v", x0, y0, want, got)
						}
						if base.RGBAAt(x, y) == want {
							t.Fatalf("cell at %d,%d kept the original colour %v at %d,%d", x0, y0, want, x, y)
						}
					}
				}
			}
		}
	}
}

// A pixelation at the image's edge is moved inside, not cut into thin
// cells.
func TestPixelateAreaAtTheEdge(t *testing.T) {
	img := image.Rect(0, 0, 100, 50)
	got := PixelateArea(image.Rect(95, 45, 99, 49), img, 8)
	if got != image.Rect(92, 42, 100, 50) {
		t.Errorf("area %v", got)
	}
	if got := PixelateArea(image.Rect(-20, -20, 3, 3), img, 8); got != image.Rect(0, 0, 8, 8) {
		t.Errorf("area %v", got)
	}
}

func TestBlurSoftensOnlyItsArea(t *testing.T) {
	base := noise(120, 80, 3)
	d := New(base)
	d.Add(Shape{Tool: Blur, Points: []image.Point{{20, 20}, {60, 50}}, Width: 2})
	out := d.Render()
	box, n := changed(base, out)
	if !box.In(image.Rect(20, 20, 60, 50)) || n < 40*30*9/10 {
		t.Errorf("blur changed %d pixels in %v", n, box)
	}
	// Softer: neighbours are closer than in the noise.
	diff := func(img *image.RGBA) int {
		s := 0
		for x := 21; x < 59; x++ {
			a, b := img.RGBAAt(x, 35), img.RGBAAt(x+1, 35)
			s += abs(int(a.R) - int(b.R))
		}
		return s
	}
	if diff(out)*4 > diff(base) {
		t.Errorf("not blurred: %d against %d", diff(out), diff(base))
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestUndoRedo(t *testing.T) {
	base := flat(100, 100, color.RGBA{255, 255, 255, 255})
	d := New(base)
	a := Shape{Tool: Rect, Points: []image.Point{{10, 10}, {40, 40}}, Color: red, Width: 2}
	b := Shape{Tool: Line, Points: []image.Point{{50, 50}, {90, 90}}, Color: red, Width: 2}
	d.Add(a)
	d.Add(b)
	if !d.Undo() || len(d.Shapes()) != 1 {
		t.Fatalf("undo: %d shapes", len(d.Shapes()))
	}
	if _, n := changed(New(base).Render(), d.Render()); n == 0 {
		t.Fatal("undo took everything back")
	}
	if !d.Redo() || len(d.Shapes()) != 2 || d.Redo() {
		t.Fatalf("redo: %d shapes", len(d.Shapes()))
	}
	d.Undo()
	d.Add(b.Moved(image.Pt(-40, 0)))
	if d.Redo() {
		t.Error("redo after a new change")
	}
	d.Crop(image.Rect(5, 5, 60, 45))
	if got := d.Render().Rect; got != image.Rect(0, 0, 55, 40) {
		t.Errorf("cropped to %v", got)
	}
	d.Undo()
	if got := d.Render().Rect; got != base.Rect {
		t.Errorf("crop undone: %v", got)
	}
	d.Delete(0)
	if len(d.Shapes()) != 1 || d.Shapes()[0].Tool != Line {
		t.Errorf("delete: %+v", d.Shapes())
	}
	for d.Undo() {
	}
	if d.Changed() {
		t.Error("everything undone, yet changed")
	}
}

// The cropped result is the same pixels as the uncropped one there.
func TestCropKeepsThePixels(t *testing.T) {
	d := New(noise(80, 60, 9))
	d.Add(Shape{Tool: Ellipse, Points: []image.Point{{10, 10}, {70, 50}}, Color: red, Width: 4})
	full := d.Render()
	d.Crop(image.Rect(60, 40, 20, 15)) // dragged up and left
	got := d.Render()
	for y := range 25 {
		for x := range 40 {
			if got.RGBAAt(x, y) != full.RGBAAt(20+x, 15+y) {
				t.Fatalf("%d,%d differs", x, y)
			}
		}
	}
}

func TestAtFindsTheTopmostShape(t *testing.T) {
	d := New(flat(100, 100, color.RGBA{}))
	d.Add(Shape{Tool: Rect, Points: []image.Point{{10, 10}, {50, 50}}, Width: 2})
	d.Add(Shape{Tool: Pixelate, Points: []image.Point{{40, 40}, {80, 80}}, Width: 1})
	if got := d.At(image.Pt(10, 30)); got != 0 {
		t.Errorf("on the box's edge: %d", got)
	}
	if got := d.At(image.Pt(30, 30)); got != -1 {
		t.Errorf("inside the box (not on it): %d", got)
	}
	if got := d.At(image.Pt(50, 45)); got != 1 {
		t.Errorf("where both are: %d", got)
	}
}

func TestStepsCountOn(t *testing.T) {
	d := New(flat(100, 100, color.RGBA{}))
	for i := range 3 {
		if n := d.NextStep(); n != i+1 {
			t.Fatalf("step %d numbered %d", i+1, n)
		}
		d.Add(Shape{Tool: Step, Points: []image.Point{{20 * (i + 1), 50}}, Color: red, Width: 2, N: d.NextStep()})
	}
	d.Delete(0)
	if n := d.NextStep(); n != 4 {
		t.Errorf("after deleting the first: %d", n)
	}
}

// Drawn again into the same memory, the result is the same as a fresh one.
func TestRenderIntoReusesItsMemory(t *testing.T) {
	d := New(noise(60, 40, 5))
	buf := d.RenderInto(nil)
	d.Add(Shape{Tool: Rect, Points: []image.Point{{5, 5}, {30, 20}}, Color: red, Width: 2})
	got := d.RenderInto(buf)
	if &got.Pix[0] != &buf.Pix[0] {
		t.Error("new memory for the same size")
	}
	if _, n := changed(got, d.Render()); n != 0 {
		t.Errorf("%d pixels differ from a fresh render", n)
	}
	if got := d.RenderInto(d.Base()); got == d.Base() {
		t.Error("drawn over the capture itself")
	}
	d.Crop(image.Rect(0, 0, 10, 10))
	if got := d.RenderInto(buf); got.Rect.Dx() != 10 || &got.Pix[0] == &buf.Pix[0] {
		t.Error("a cropped render drawn over the whole")
	}
}
