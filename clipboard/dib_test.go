package clipboard

import (
	"encoding/binary"
	"image"
	"image/color"
	"testing"

	"imagecx/internal/testkit/imgdiff"
)

func TestDIBRoundTrip(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 7, 5)) // an odd width: rows are padded
	for y := range 5 {
		for x := range 7 {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 30), uint8(y * 50), 77, 255})
		}
	}
	back, err := fromDIB(toDIB(img))
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := imgdiff.Equal(back, img); !ok {
		t.Fatal(why)
	}
}

// dib24 is a bottom-up 24-bit DIB, rows padded to 4 bytes.
func dib24(w, h int, px func(x, y int) [3]byte, topDown bool) []byte {
	hh := int32(h)
	if topDown {
		hh = -hh
	}
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, 40)
	b = binary.LittleEndian.AppendUint32(b, uint32(w))
	b = binary.LittleEndian.AppendUint32(b, uint32(hh))
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 24)
	b = append(b, make([]byte, 24)...)
	stride := (w*3 + 3) &^ 3
	for i := range h {
		y := h - 1 - i
		if topDown {
			y = i
		}
		row := make([]byte, stride)
		for x := range w {
			c := px(x, y)
			row[x*3], row[x*3+1], row[x*3+2] = c[2], c[1], c[0] // BGR
		}
		b = append(b, row...)
	}
	return b
}

func TestFromDIB(t *testing.T) {
	px := func(x, y int) [3]byte { return [3]byte{byte(x * 40), byte(y * 60), 9} }
	for _, topDown := range []bool{false, true} {
		img, err := fromDIB(dib24(5, 3, px, topDown))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []image.Point{{0, 0}, {4, 2}, {2, 1}} {
			want := px(p.X, p.Y)
			if got := img.At(p.X, p.Y).(color.NRGBA); got != (color.NRGBA{want[0], want[1], want[2], 255}) {
				t.Errorf("topDown=%v %v: %v", topDown, p, got)
			}
		}
	}
	// 32 bits with bit fields, the fourth byte 0: opaque.
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, 40)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 32)
	b = binary.LittleEndian.AppendUint32(b, biBitfields)
	b = append(b, make([]byte, 20)...)
	for _, m := range []uint32{0xff0000, 0xff00, 0xff} {
		b = binary.LittleEndian.AppendUint32(b, m)
	}
	b = binary.LittleEndian.AppendUint32(b, 0x00102030)
	img, err := fromDIB(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.At(0, 0).(color.NRGBA); got != (color.NRGBA{0x10, 0x20, 0x30, 255}) {
		t.Errorf("bit fields: %v", got)
	}
	for _, bad := range [][]byte{nil, b[:30], dib24(5, 3, px, false)[:50]} {
		if _, err := fromDIB(bad); err == nil {
			t.Errorf("a broken DIB of %d bytes was read", len(bad))
		}
	}
}
