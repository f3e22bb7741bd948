package encode

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"

	"imagecx/internal/testkit/refdesk"

	"golang.org/x/image/webp"
)

// gradient is smooth, so lossless WebP beats PNG on it.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 7), 255})
		}
	}
	return img
}

func TestFitChain(t *testing.T) {
	small := gradient(64, 64)
	png, _ := PNG(small, PNGOptions{})
	f, err := Fit(small, png, int64(len(png)), false)
	if err != nil || f.MIME != "image/png" || f.How != "" || !bytes.Equal(f.Data, png) {
		t.Fatalf("fits as PNG: %+v %v", f.How, err)
	}

	// Without its PNG (a bitmap from the clipboard), one is made: a
	// lossless PNG that fits goes as it is.
	if f, err := Fit(small, nil, 1<<20, false); err != nil || f.MIME != "image/png" || f.How != "" {
		t.Fatalf("PNG made here: %+v %v", f.How, err)
	}

	grad := gradient(600, 400)
	png, _ = PNG(grad, PNGOptions{})
	f, err = Fit(grad, png, int64(len(png))-1, false)
	if err != nil || f.MIME != "image/webp" || !strings.Contains(f.How, "lossless WebP") {
		t.Fatalf("lossless WebP: %q %v", f.How, err)
	}
	back, err := webp.Decode(bytes.NewReader(f.Data))
	if err != nil || back.Bounds() != grad.Rect {
		t.Fatalf("WebP does not decode: %v", err)
	}
	for _, p := range []image.Point{{0, 0}, {599, 399}, {300, 200}} {
		if r1, g1, b1, _ := back.At(p.X, p.Y).RGBA(); color.RGBAModel.Convert(back.At(p.X, p.Y)) != grad.At(p.X, p.Y) {
			t.Fatalf("lossless WebP changed pixel %v: %d %d %d", p, r1>>8, g1>>8, b1>>8)
		}
	}

	noise := refdesk.Noise(800, 600, 5)
	png, _ = PNG(noise, PNGOptions{})
	limit := int64(len(png)) / 2 // noise: neither PNG nor WebP can halve it
	f, err = Fit(noise, png, limit, false)
	if err != nil || f.MIME != "image/jpeg" || int64(len(f.Data)) > limit || !strings.HasPrefix(f.How, "uploaded as JPEG q") {
		t.Fatalf("JPEG: %q %d bytes (limit %d) %v", f.How, len(f.Data), limit, err)
	}
	f, err = Fit(noise, png, 60_000, false)
	if err != nil || !strings.Contains(f.How, "% size") || int64(len(f.Data)) > 60_000 {
		t.Fatalf("scaled: %q %d bytes %v", f.How, len(f.Data), err)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(f.Data)); err != nil || cfg.Width >= 800 {
		t.Fatalf("scaled JPEG %v %v", cfg, err)
	}

	if _, err := Fit(noise, png, limit, true); !errors.Is(err, ErrNoFit) || !strings.Contains(err.Error(), "lossless only") {
		t.Fatalf("lossless only: %v", err)
	}
	if _, err := Fit(noise, png, 100, false); !errors.Is(err, ErrNoFit) {
		t.Fatalf("nothing fits: %v", err)
	}
}
