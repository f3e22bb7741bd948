package clipboard

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"

	"imagecx/internal/win32"
)

// Windows hands images over the clipboard as DIBs (device-independent
// bitmaps): a BITMAPINFOHEADER (or a V5 header), maybe colour masks, then
// the rows. These are pure, so they are tested everywhere.

const (
	biRGB       = 0
	biBitfields = 3
	// maxDIBPixels bounds a bitmap read from the clipboard (16K × 6K).
	maxDIBPixels = 100 << 20
)

// toDIB is img as a packed CF_DIB: a BITMAPINFOHEADER and bottom-up
// 32-bit BGRA rows.
func toDIB(img image.Image) []byte {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	var b bytes.Buffer
	b.Grow(40 + w*h*4)
	binary.Write(&b, binary.LittleEndian, win32.BitmapInfoHeader{Size: 40, Width: int32(w), Height: int32(h), Planes: 1, BitCount: 32, SizeImage: uint32(w * h * 4)})
	row := make([]byte, w*4)
	for y := r.Max.Y - 1; y >= r.Min.Y; y-- {
		for x := 0; x < w; x++ {
			c := color.NRGBAModel.Convert(img.At(r.Min.X+x, y)).(color.NRGBA)
			row[x*4], row[x*4+1], row[x*4+2], row[x*4+3] = c.B, c.G, c.R, c.A
		}
		b.Write(row)
	}
	return b.Bytes()
}

// fromDIB reads a packed DIB (CF_DIB or CF_DIBV5): 24 or 32 bits a pixel,
// uncompressed or with bit fields, bottom-up or top-down.
func fromDIB(data []byte) (image.Image, error) {
	var hd win32.BitmapInfoHeader
	if err := binary.Read(bytes.NewReader(data), binary.LittleEndian, &hd); err != nil {
		return nil, err
	}
	w, h := int(hd.Width), int(hd.Height)
	topDown := h < 0
	if topDown {
		h = -h
	}
	if w <= 0 || h <= 0 || w*h > maxDIBPixels {
		return nil, fmt.Errorf("a %d×%d bitmap", w, h)
	}
	off := int(hd.Size)
	masks := [4]uint32{0xff0000, 0xff00, 0xff, 0xff000000}
	switch {
	case hd.Compression == biBitfields && hd.Size == 40:
		if len(data) < off+12 {
			return nil, errors.New("short bitmap")
		}
		for i := range 3 {
			masks[i] = binary.LittleEndian.Uint32(data[off+4*i:])
		}
		masks[3] = 0
		off += 12
	case hd.Compression == biBitfields && hd.Size >= 56:
		for i := range 4 {
			masks[i] = binary.LittleEndian.Uint32(data[40+4*i:])
		}
	case hd.Compression != biRGB:
		return nil, fmt.Errorf("compressed bitmaps (%d) are not read", hd.Compression)
	}
	if hd.BitCount != 24 && hd.BitCount != 32 {
		return nil, fmt.Errorf("%d-bit bitmaps are not read", hd.BitCount)
	}
	bpp := int(hd.BitCount) / 8
	stride := (w*bpp + 3) &^ 3
	if len(data) < off+stride*h {
		return nil, errors.New("short bitmap")
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	anyAlpha := false
	for y := 0; y < h; y++ {
		src := data[off+stride*y:]
		dy := h - 1 - y
		if topDown {
			dy = y
		}
		dst := img.Pix[dy*img.Stride:]
		for x := 0; x < w; x++ {
			if bpp == 3 {
				dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = src[x*3+2], src[x*3+1], src[x*3], 255
				continue
			}
			v := binary.LittleEndian.Uint32(src[x*4:])
			dst[x*4], dst[x*4+1], dst[x*4+2] = field(v, masks[0]), field(v, masks[1]), field(v, masks[2])
			dst[x*4+3] = 255
			if masks[3] != 0 {
				dst[x*4+3] = field(v, masks[3])
				anyAlpha = anyAlpha || dst[x*4+3] != 0
			}
		}
	}
	if bpp == 4 && masks[3] != 0 && !anyAlpha {
		// Most programs leave the fourth byte 0: an opaque image.
		for i := 3; i < len(img.Pix); i += 4 {
			img.Pix[i] = 255
		}
	}
	return img, nil
}

// field extracts the 8 bits under mask.
func field(v, mask uint32) uint8 {
	if mask == 0 {
		return 0
	}
	shift := 0
	for mask&1 == 0 {
		mask >>= 1
		shift++
	}
	v = (v >> shift) & mask
	if mask > 0xff {
		return uint8(v >> (bitsLen(mask) - 8))
	}
	return uint8(v * 255 / mask)
}

func bitsLen(m uint32) int {
	n := 0
	for m != 0 {
		m >>= 1
		n++
	}
	return n
}
