package pin

import (
	"image"
	"image/color"
	"testing"
	"time"
)

func TestView(t *testing.T) {
	v := NewView(image.Pt(4000, 1000), image.Rect(0, 0, 1920, 1080))
	if got := v.Shown(); got != image.Pt(1728, 432) {
		t.Errorf("a wide image on a small monitor shows at %v, want nine tenths of its width", got)
	}
	v = NewView(image.Pt(400, 300), image.Rect(0, 0, 1920, 1080))
	if v.Zoom != 1 || v.Opacity != 1 {
		t.Fatalf("zoom %v, opacity %v", v.Zoom, v.Opacity)
	}
	if !v.Wheel(true, false) || v.Shown() != image.Pt(440, 330) {
		t.Errorf("zoomed in: %v", v.Shown())
	}
	if at := v.ZoomAround(image.Pt(100, 100), image.Pt(200, 200), 1); at != image.Pt(90, 90) {
		t.Errorf("the corner went to %v; the pixel under the pointer must stay", at)
	}
	for range 100 {
		v.Wheel(true, false)
	}
	if v.Zoom != maxZoom || v.Wheel(true, false) {
		t.Errorf("zoom %v past its bound", v.Zoom)
	}
	for range 20 {
		v.Wheel(false, true)
	}
	if v.Opacity != minOpacity || v.Wheel(false, true) {
		t.Errorf("opacity %v below its bound", v.Opacity)
	}
	v.Wheel(true, true)
	if v.Opacity != 0.3 {
		t.Errorf("opacity %v, want 0.3", v.Opacity)
	}

	t0 := time.Now()
	if v.Press(t0) || !v.Press(t0.Add(200*time.Millisecond)) {
		t.Error("a double-click not seen")
	}
	if v.Press(t0.Add(time.Second)) || v.Press(t0.Add(2*time.Second)) {
		t.Error("two slow clicks taken for a double-click")
	}
}

func TestScaled(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.SetRGBA(0, 0, color.RGBA{255, 0, 0, 255})
	img.SetRGBA(1, 1, color.RGBA{0, 0, 255, 255})
	big := Scaled(img, image.Pt(4, 4))
	if big.RGBAAt(1, 1) != (color.RGBA{255, 0, 0, 255}) || big.RGBAAt(3, 3) != (color.RGBA{0, 0, 255, 255}) || big.RGBAAt(2, 1) != (color.RGBA{}) {
		t.Errorf("enlarged: %v", big.Pix)
	}
	same := Scaled(img, image.Pt(2, 2))
	same.Pix[0] = 1
	if img.Pix[0] != 255 {
		t.Error("Scaled at the same size gave the image itself, not a copy")
	}
	if small := Scaled(big, image.Pt(2, 2)); small.RGBAAt(0, 0) != (color.RGBA{255, 0, 0, 255}) {
		t.Errorf("made smaller: %v", small.Pix)
	}
}
