package encode

import (
	"bytes"
	"errors"
	"hash/adler32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/refdesk"
)

// samePixels decodes data and compares it with img pixel by pixel, as
// non-premultiplied colours: the encoder must keep the colour of
// transparent pixels too, which internal/testkit/imgdiff (premultiplied) does not
// look at.
func samePixels(t testing.TB, data []byte, img image.Image) {
	t.Helper()
	got, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	b := img.Bounds()
	if got.Bounds().Dx() != b.Dx() || got.Bounds().Dy() != b.Dy() {
		t.Fatalf("size %v, want %v", got.Bounds(), b)
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			g := color.NRGBAModel.Convert(got.At(got.Bounds().Min.X+x, got.Bounds().Min.Y+y))
			w := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y))
			if g != w {
				t.Fatalf("pixel %d,%d = %v, want %v", x, y, g, w)
			}
		}
	}
}

func TestEncodePNGIsLossless(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	noise := func(w, h int, alpha bool) *image.NRGBA {
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = byte(r.IntN(256))
			if !alpha && i%4 == 3 {
				img.Pix[i] = 255
			}
		}
		return img
	}
	flatUI := image.NewRGBA(image.Rect(0, 0, 333, 97))
	for y := 0; y < 97; y++ {
		for x := 0; x < 333; x++ {
			c := color.RGBA{240, 240, 240, 255}
			if (x/7+y/5)%9 == 0 {
				c = color.RGBA{20, 20, 20, 255}
			}
			flatUI.SetRGBA(x, y, c)
		}
	}
	rgbaNoise := image.NewRGBA(image.Rect(0, 0, 211, 50))
	copy(rgbaNoise.Pix, noise(211, 50, false).Pix)
	translucent := image.NewRGBA(image.Rect(0, 0, 9, 9))
	translucent.SetRGBA(2, 2, color.RGBA{10, 20, 30, 128})
	sub := flatUI.SubImage(image.Rect(10, 5, 200, 90))
	cases := map[string]image.Image{
		"1x1":                     noise(1, 1, false),
		"odd width":               noise(7, 33, false),
		"one row":                 noise(500, 1, false),
		"a long row":              noise(20000, 2, false),
		"a tall column":           noise(2, 40000, true),
		"one column":              noise(1, 300, false),
		"alpha":                   noise(64, 64, true),
		"flat UI":                 flatUI,
		"RGBA noise":              rgbaNoise,
		"translucent RGBA":        translucent,
		"sub-image":               sub,
		"more bands than rows":    noise(40, 3, false),
		"gray (generic fallback)": image.NewGray(image.Rect(0, 0, 5, 5)),
	}
	for name, img := range cases {
		t.Run(name, func(t *testing.T) {
			for _, o := range []PNGOptions{{}, {Workers: 1, Bands: 1}, {Workers: 3, Bands: 50}, {Workers: 2, Bands: 700}, {Fast: true}} {
				data, err := PNG(img, o)
				if err != nil {
					t.Fatal(err)
				}
				samePixels(t, data, img)
			}
		})
	}
}

// loadFixture is the reference desktop (internal/testkit/refdesk); read only.
func loadFixture(t testing.TB) *image.RGBA {
	t.Helper()
	return refdesk.Image()
}

func TestEncodePNGFixture(t *testing.T) {
	want := loadFixture(t)
	start := time.Now()
	data, err := PNG(want, PNGOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fixture: %d bytes in %v", len(data), time.Since(start))
	samePixels(t, data, want)
}

func TestAdler32Combine(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 100, 65521, 65522, 300000} {
		a := make([]byte, n)
		b := make([]byte, r.IntN(200000))
		for i := range a {
			a[i] = byte(r.Uint32())
		}
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		want := adler32.Checksum(append(append([]byte{}, a...), b...))
		if got := adler32Combine(adler32.Checksum(a), adler32.Checksum(b), len(b)); got != want {
			t.Errorf("len %d+%d: %08x, want %08x", len(a), len(b), got, want)
		}
	}
}

func BenchmarkEncodePNGFixture(b *testing.B) {
	img := loadFixture(b)
	var size int
	for b.Loop() {
		data, err := PNG(img, PNGOptions{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "bytes")
}

func BenchmarkEncodePNGStdlibBestSpeed(b *testing.B) {
	img := loadFixture(b)
	var size int
	for b.Loop() {
		data, err := stdPNG(img)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "bytes")
}

// TestStreamFailsCleanly: rows stop arriving (the X server went away);
// Wait returns the error instead of waiting for them.
func TestStreamFailsCleanly(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 100, 400))
	s := StartPNG(img, PNGOptions{Bands: 8})
	s.Rows(50)
	s.Fail(errors.New("the X server went away"))
	done := make(chan error, 1)
	go func() {
		_, err := s.Wait()
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "went away") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Wait hung after a failed capture")
	}
}

// TestStreamEqualsWhole: rows arriving in strips give the same file as the
// whole image at once.
func TestStreamEqualsWhole(t *testing.T) {
	want := loadFixture(t)
	for _, o := range []PNGOptions{{}, {Fast: true}, {Workers: 1}} {
		img := image.NewRGBA(want.Rect)
		s := StartPNG(img, o)
		for y := 0; y < want.Rect.Dy(); y += 97 {
			n := min(97, want.Rect.Dy()-y)
			copy(img.Pix[y*img.Stride:(y+n)*img.Stride], want.Pix[y*want.Stride:(y+n)*want.Stride])
			s.Rows(y + n)
		}
		streamed, err := s.Wait()
		if err != nil {
			t.Fatal(err)
		}
		whole, err := PNG(want, o)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(streamed, whole) {
			t.Errorf("%+v: the streamed PNG differs from the whole one", o)
		}
		samePixels(t, streamed, want)
	}
}

func BenchmarkEncodePNGFixtureFast(b *testing.B) {
	img := loadFixture(b)
	var size int
	for b.Loop() {
		data, err := PNG(img, PNGOptions{Fast: true})
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "bytes")
}

// TestPaethMatchesSpec checks the predictor against the specification's
// wording on every input.
func TestPaethMatchesSpec(t *testing.T) {
	spec := func(a, b, c int) int {
		p := a + b - c
		pa, pb, pc := max(p-a, a-p), max(p-b, b-p), max(p-c, c-p)
		switch {
		case pa <= pb && pa <= pc:
			return a
		case pb <= pc:
			return b
		}
		return c
	}
	for a := range 256 {
		for b := range 256 {
			for c := range 256 {
				if got, want := paeth(a, b, c), spec(a, b, c); got != want {
					t.Fatalf("paeth(%d, %d, %d) = %d, want %d", a, b, c, got, want)
				}
			}
		}
	}
}

// TestEncodePNGRandomShapes encodes many images of random sizes, with
// flat areas, noise and repeats, across band counts: the bands' shared
// history and seams must never cost a pixel.
func TestEncodePNGRandomShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 150 {
		w, h := 1+r.IntN(400), 1+r.IntN(160)
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		alpha := i%5 == 0
		for y := range h {
			for x := range w {
				o := img.PixOffset(x, y)
				switch (x/(1+r.IntN(40)) + y/7) % 4 {
				case 0: // noise
					for k := range 4 {
						img.Pix[o+k] = byte(r.IntN(256))
					}
				case 1: // a repeat from above
					if y > 0 {
						copy(img.Pix[o:o+4], img.Pix[img.PixOffset(x, y-1):])
					}
				default: // flat
					img.Pix[o], img.Pix[o+1], img.Pix[o+2] = 250, 250, byte(y)
				}
				if !alpha {
					img.Pix[o+3] = 255
				}
			}
		}
		o := PNGOptions{Workers: 1 + r.IntN(3), Bands: 1 + r.IntN(40), Fast: i%3 == 0}
		data, err := PNG(img, o)
		if err != nil {
			t.Fatal(err)
		}
		samePixels(t, data, img)
	}
}

// TestEncodePNGSize holds the encoder to what it is for: a UI screenshot
// no larger than image/png's default, and the 4K reference desktop no
// larger than flameshot's PNG of it, 3,468,311 bytes (`make bench`,
// 2026-12-01).
func TestEncodePNGSize(t *testing.T) {
	for _, name := range []string{"settings-light.png", "settings-dark.png", "settings-light-2x.png"} {
		f, err := os.Open("../docs/screenshots/" + name)
		if err != nil {
			t.Fatal(err)
		}
		src, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		img := image.NewRGBA(src.Bounds())
		draw.Draw(img, img.Rect, src, src.Bounds().Min, draw.Src)
		ours, err := PNG(img, PNGOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var std bytes.Buffer
		if err := png.Encode(&std, img); err != nil {
			t.Fatal(err)
		}
		if len(ours) > std.Len() {
			t.Errorf("%s: %d bytes, image/png %d", name, len(ours), std.Len())
		}
		samePixels(t, ours, img)
	}
	data, err := PNG(loadFixture(t), PNGOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 3468311 {
		t.Errorf("4K desktop: %d bytes, flameshot's is 3,468,311", len(data))
	}
}
