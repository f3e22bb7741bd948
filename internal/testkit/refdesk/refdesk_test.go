package refdesk

import (
	"bytes"
	"testing"
)

func TestDrawIsDeterministic(t *testing.T) {
	a, b := Draw(), Draw()
	if a.Rect.Dx() != Width || a.Rect.Dy() != Height {
		t.Fatalf("size %v", a.Rect)
	}
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Fatal("two drawings differ")
	}
}

func BenchmarkDraw(b *testing.B) {
	for b.Loop() {
		Draw()
	}
}
