package assets

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"testing"
)

// The ICO's images are the PNGs' pixels, as Windows reads them.
func TestICO(t *testing.T) {
	ico := ICO(Busy)
	var head struct{ Reserved, Type, Count uint16 }
	binary.Read(bytes.NewReader(ico), binary.LittleEndian, &head)
	if head.Type != 1 || head.Count != 3 {
		t.Fatalf("header %+v", head)
	}
	for i, size := range []int{16, 32, 64} {
		e := ico[6+16*i:]
		if int(e[0]) != size || int(e[1]) != size {
			t.Fatalf("entry %d: %dx%d", i, e[0], e[1])
		}
		n, off := binary.LittleEndian.Uint32(e[8:]), binary.LittleEndian.Uint32(e[12:])
		bmp := ico[off : off+n]
		if w, h := int32(binary.LittleEndian.Uint32(bmp[4:])), int32(binary.LittleEndian.Uint32(bmp[8:])); int(w) != size || int(h) != 2*size {
			t.Fatalf("%d: bitmap %dx%d", size, w, h)
		}
		src, _ := png.Decode(bytes.NewReader(Icon(Busy, size)))
		// Rows are stored bottom up; compare the middle pixel and a
		// transparent corner.
		for _, p := range [][2]int{{size / 2, size / 2}, {0, 0}} {
			x, y := p[0], p[1]
			o := 40 + ((size-1-y)*size+x)*4
			px := bmp[o : o+4]
			r, g, b, a := src.At(x, y).RGBA()
			if px[3] != byte(a>>8) || (a != 0 && (px[0] != byte(b>>8) || px[1] != byte(g>>8) || px[2] != byte(r>>8))) {
				t.Errorf("%d: pixel %d,%d is %v, want %d %d %d %d", size, x, y, px, r>>8, g>>8, b>>8, a>>8)
			}
		}
	}
}
