package record

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// movingSquare is a screen of stripes with a red square that moves a
// step at each read.
func movingSquare() (Grabber, *atomic.Int32) {
	var reads atomic.Int32
	return func(_ context.Context, r image.Rectangle) (*image.RGBA, error) {
		n := int(reads.Add(1))
		img := image.NewRGBA(image.Rectangle{Max: r.Size()})
		for y := 0; y < img.Rect.Dy(); y++ {
			c := color.RGBA{uint8(y / 20 * 40), 200, 240, 255}
			draw.Draw(img, image.Rect(0, y, img.Rect.Dx(), y+1), image.NewUniform(c), image.Point{}, draw.Src)
		}
		sq := image.Rect(0, 0, 30, 30).Add(image.Pt(n*7%(r.Dx()-30), 40))
		draw.Draw(img, sq, image.NewUniform(color.RGBA{220, 20, 20, 255}), image.Point{}, draw.Src)
		return img, nil
	}, &reads
}

// A GIF recording: every frame read is in the GIF (drawn over the one
// before, only what changed), in the colours of the screen; a limit it
// is over makes it fewer frames, then smaller.
func TestGIF(t *testing.T) {
	ctx := context.Background()
	grab, reads := movingSquare()
	s, err := StartGIF(ctx, grab, image.Rect(100, 100, 420, 300), t.TempDir(), Options{Max: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1200 * time.Millisecond)
	v, err := s.Finish(ctx, 5<<20)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(v.Data))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	n := int(reads.Load())
	if len(g.Image) != n || n < 8 || v.MIME != "image/gif" || v.Size != image.Pt(320, 200) || v.How != "" || v.First == nil {
		t.Fatalf("%d frames for %d reads, %v %s %q", len(g.Image), n, v.Size, v.MIME, v.How)
	}
	// The last frame, drawn over the others, is the screen at the last read.
	shown := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for _, f := range g.Image {
		draw.Draw(shown, f.Rect, f, f.Rect.Min, draw.Over)
	}
	if g.Image[1].Rect.Dx() >= 320 {
		t.Errorf("the second frame is %v: not only what changed", g.Image[1].Rect)
	}
	red := shown.RGBAAt(0+(n*7%290)+15, 55)
	if red.R < 200 || red.G > 60 {
		t.Errorf("the square is not where the last frame has it: %v", red)
	}

	// Noise does not fit a small limit as it is.
	noisy := func(_ context.Context, r image.Rectangle) (*image.RGBA, error) {
		img := image.NewRGBA(image.Rectangle{Max: r.Size()})
		for i := range img.Pix {
			img.Pix[i] = uint8(rand.IntN(256))
		}
		return img, nil
	}
	s, err = StartGIF(ctx, noisy, image.Rect(0, 0, 400, 300), t.TempDir(), Options{Max: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	v, err = s.Finish(ctx, 400<<10)
	if err != nil || int64(len(v.Data)) > 400<<10 || v.How == "" {
		t.Fatalf("fitted: %d bytes, %q, %v", len(v.Data), v.How, err)
	}
	if _, err := gif.DecodeAll(bytes.NewReader(v.Data)); err != nil {
		t.Fatalf("decode the fitted one: %v", err)
	}
	t.Logf("noise: %s (%d bytes)", v.How, len(v.Data))
}

// The palette of a picture with few colours is those colours.
func TestPaletteKeepsFewColours(t *testing.T) {
	h := newHistogram()
	pix := []byte{}
	for _, c := range [][3]byte{{255, 255, 255}, {0, 0, 0}, {59, 130, 246}, {220, 20, 20}} {
		for range 100 {
			pix = append(pix, c[0], c[1], c[2], 255)
		}
	}
	h.add(pix)
	pal := h.cut(255)
	if len(pal) != 4 {
		t.Fatalf("%d colours: %06x", len(pal), pal)
	}
	m := newMapper(pal)
	out := make([]byte, 400)
	m.indices(&image.RGBA{Pix: pix, Stride: 4 * 400, Rect: image.Rect(0, 0, 400, 1)}, out)
	for i := 0; i < 400; i += 100 {
		c := pal[out[i]]
		if got := [3]byte{byte(c >> 16), byte(c >> 8), byte(c)}; got != [3]byte{pix[4*i], pix[4*i+1], pix[4*i+2]} {
			t.Errorf("pixel %d is %v in the GIF", i, got)
		}
	}
}
