package imgdiff

import (
	"image"
	"image/color"
	"testing"
)

func TestCount(t *testing.T) {
	want := image.NewRGBA(image.Rect(0, 0, 10, 10))
	for i := range want.Pix {
		want.Pix[i] = byte(i)
	}
	sub := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for y := 0; y < 3; y++ {
		for x := 0; x < 4; x++ {
			sub.SetRGBA(x, y, want.RGBAAt(2+x, 5+y))
		}
	}
	if n := Count(sub, want, image.Rect(2, 5, 6, 8)); n != 0 {
		t.Fatalf("same pixels: %d", n)
	}
	sub.SetRGBA(1, 1, color.RGBA{1, 2, 3, 4})
	sub.SetRGBA(3, 2, color.RGBA{1, 2, 3, 4})
	if n := Count(sub, want, image.Rect(2, 5, 6, 8)); n != 2 {
		t.Fatalf("two changed: %d", n)
	}
	if n := Count(sub, want, image.Rect(0, 0, 5, 5)); n != -1 {
		t.Fatalf("other size: %d", n)
	}
	if ok, why := Equal(sub, want); ok || why == "" {
		t.Fatalf("Equal of different sizes: %v %q", ok, why)
	}
	// An image not at the origin is read from its own corner.
	moved := want.SubImage(image.Rect(2, 5, 6, 8))
	if ok, why := Equal(moved, want.SubImage(image.Rect(2, 5, 6, 8))); !ok {
		t.Fatal(why)
	}
}
