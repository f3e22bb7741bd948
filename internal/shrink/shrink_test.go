package shrink

import (
	"image"
	"image/color"
	"testing"
)

func TestToAveragesAreas(t *testing.T) {
	// A flat image stays flat at any scale: the weights sum to one.
	flat := image.NewRGBA(image.Rect(0, 0, 97, 61))
	for i := range flat.Pix {
		flat.Pix[i] = 200
	}
	for _, size := range []image.Point{{72, 45}, {48, 30}, {33, 21}, {1, 1}} {
		small := To(flat, size.X, size.Y)
		for i, v := range small.Pix {
			if v != 200 {
				t.Fatalf("%v: byte %d is %d", size, i, v)
			}
		}
	}
	// Halving averages each 2×2 block.
	check := image.NewRGBA(image.Rect(0, 0, 4, 2))
	for x := range 4 {
		for y := range 2 {
			v := uint8(0)
			if (x+y)%2 == 0 {
				v = 255
			}
			check.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	if got := To(check, 2, 1).RGBAAt(1, 0); got != (color.RGBA{128, 128, 128, 255}) {
		t.Errorf("checkerboard halved: %v", got)
	}
	// A ramp keeps its shape; a sub-image is read from its own corner.
	ramp := image.NewRGBA(image.Rect(0, 0, 300, 10))
	for x := range 256 {
		for y := range 10 {
			ramp.SetRGBA(x+44, y, color.RGBA{uint8(x), 0, 0, 255})
		}
	}
	sub := ramp.SubImage(image.Rect(44, 0, 300, 10))
	small := To(sub, 128, 5)
	for x := range 128 {
		if got, want := int(small.RGBAAt(x, 2).R), 2*x; got < want || got > want+1 {
			t.Fatalf("ramp at %d: %d, want %d or %d", x, got, want, want+1)
		}
	}
}

func TestThumbnail(t *testing.T) {
	for _, c := range []struct{ w, h, tw, th int }{{3840, 2160, 256, 144}, {100, 400, 64, 256}, {50, 20, 50, 20}, {3000, 1, 256, 1}} {
		img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
		if got := Thumbnail(img, 256).Rect.Size(); got != image.Pt(c.tw, c.th) {
			t.Errorf("%d×%d: %v, want %d×%d", c.w, c.h, got, c.tw, c.th)
		}
	}
}
