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

// To gives what weighing every byte in floating point gives (the plain
// area average), to within one step of rounding: for thumbnail-like
// reductions, for small ones, for rows whose width is no multiple of two
// pixels, and for a reduction of more than 255 rows into one (the
// integer sums weighed on the way).
func TestToMatchesThePlainAverage(t *testing.T) {
	for _, c := range []struct{ sw, sh, w, h int }{
		{3840, 2160, 256, 144}, {1920, 1080, 1440, 810}, {333, 219, 100, 47}, {101, 3001, 13, 2}, {7, 600, 3, 1},
	} {
		src := image.NewRGBA(image.Rect(0, 0, c.sw, c.sh))
		seed := uint32(c.sw*31 + c.sh)
		for i := range src.Pix {
			seed = seed*1664525 + 1013904223
			src.Pix[i] = byte(seed >> 24)
		}
		got, want := To(src, c.w, c.h), plainAverage(src, c.w, c.h)
		for i := range got.Pix {
			if d := int(got.Pix[i]) - int(want.Pix[i]); d < -1 || d > 1 {
				t.Fatalf("%d×%d → %d×%d: byte %d is %d, the plain average %d", c.sw, c.sh, c.w, c.h, i, got.Pix[i], want.Pix[i])
			}
		}
	}
}

// plainAverage is To as it was first written: every source byte times
// its weight, in float32.
func plainAverage(s *image.RGBA, w, h int) *image.RGBA {
	sw, sh := s.Rect.Dx(), s.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	cols, rows := spans(sw, w), spans(sh, h)
	sum := make([]float32, sw*4)
	for y := range h {
		clear(sum)
		for _, part := range rows[y] {
			for i, v := range s.Pix[part.i*s.Stride : part.i*s.Stride+sw*4] {
				sum[i] += float32(v) * part.w
			}
		}
		for x := range w {
			var px [4]float32
			for _, part := range cols[x] {
				for k := range 4 {
					px[k] += sum[part.i*4+k] * part.w
				}
			}
			for k := range 4 {
				dst.Pix[y*dst.Stride+x*4+k] = clamp8(px[k])
			}
		}
	}
	return dst
}

// A 4K capture's history thumbnail, and the plain average it replaced.
func BenchmarkThumbnail4K(b *testing.B) {
	src := image.NewRGBA(image.Rect(0, 0, 3840, 2160))
	for i := range src.Pix {
		src.Pix[i] = byte(i * 7)
	}
	b.Run("To", func(b *testing.B) {
		for b.Loop() {
			Thumbnail(src, 256)
		}
	})
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			plainAverage(src, 256, 144)
		}
	})
}
