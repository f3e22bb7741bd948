package assets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	"image/png"
)

// ICO returns state's icon as a Windows .ico file holding the 16, 32 and
// 64 pixel images, each a 32-bit BGRA bitmap with its mask (the form every
// Windows version, and Wine, loads; the Windows tray wants ICO, not PNG).
func ICO(state State) []byte {
	sizes := []int{16, 32, 64}
	var images [][]byte
	for _, size := range sizes {
		img, err := png.Decode(bytes.NewReader(Icon(state, size)))
		if err != nil {
			panic(fmt.Sprintf("assets: icon %s/%d: %v", state, size, err))
		}
		images = append(images, dib(img))
	}
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	le([]uint16{0, 1, uint16(len(sizes))}) // reserved, type 1 (icon), count
	offset := 6 + 16*len(sizes)
	for i, size := range sizes {
		w := byte(size)
		if size >= 256 {
			w = 0
		}
		b.Write([]byte{w, w, 0, 0})                          // width, height, colours, reserved
		le([]uint16{1, 32})                                  // planes, bits per pixel
		le([]uint32{uint32(len(images[i])), uint32(offset)}) // size, offset
		offset += len(images[i])
	}
	for _, img := range images {
		b.Write(img)
	}
	return b.Bytes()
}

// dib is img as an icon image: a BITMAPINFOHEADER (twice the height: the
// colours, then the mask), bottom-up BGRA rows, and an all-zero AND mask
// (the alpha channel decides).
func dib(src image.Image) []byte {
	r := src.Bounds()
	w, h := r.Dx(), r.Dy()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, src, r.Min, draw.Src)
	var b bytes.Buffer
	maskStride := (w + 31) / 32 * 4
	binary.Write(&b, binary.LittleEndian, struct {
		Size                  uint32
		Width, Height         int32
		Planes, BitCount      uint16
		Compression, Image    uint32
		XPels, YPels          int32
		ClrUsed, ClrImportant uint32
	}{40, int32(w), int32(2 * h), 1, 32, 0, uint32(w*h*4 + maskStride*h), 0, 0, 0, 0})
	for y := h - 1; y >= 0; y-- {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			b.Write([]byte{row[x*4+2], row[x*4+1], row[x*4], row[x*4+3]})
		}
	}
	b.Write(make([]byte, maskStride*h))
	return b.Bytes()
}
