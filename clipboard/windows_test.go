//go:build windows

package clipboard

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"imagecx/internal/testkit/imgdiff"
)

func TestWindowsClipboard(t *testing.T) {
	c, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.SetText("https://image.cx/images/é.png"); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Read(ctx); err != nil || got.Kind != Text || got.Text != "https://image.cx/images/é.png" {
		t.Fatalf("text: %+v %v", got, err)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 33, 21))
	for y := range 21 {
		for x := range 33 {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 7), uint8(y * 11), 200, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	if err := c.SetImage("image/png", b.Bytes()); err != nil {
		t.Fatal(err)
	}
	got, err := c.Read(ctx)
	if err != nil || got.Kind != Image || got.MIME != "image/png" {
		t.Fatalf("image: %v %v %v", got.Kind, got.MIME, err)
	}
	back, err := png.Decode(bytes.NewReader(got.Image))
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := imgdiff.Equal(back, img); !ok {
		t.Fatal(why)
	}
}
