// Package shrink makes images smaller by area averaging, a row at a time,
// for the fit-to-size chain and for thumbnails.
package shrink

import (
	"encoding/binary"
	"image"
	"image/draw"
)

// To scales src down to w×h by area averaging: each new pixel is the
// mean of the part of src it covers (what OpenCV calls INTER_AREA), the
// right filter for making an image smaller. It works a row at a time, so
// it needs one row of sums besides the result; golang.org/x/image/draw's
// Catmull-Rom kernel keeps float64 sums for a whole w × src-height
// intermediate, 200 MB for a 4K capture at 75 %.
func To(src image.Image, w, h int) *image.RGBA {
	s := asRGBA(src)
	sw, sh := s.Rect.Dx(), s.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	cols := spans(sw, w)
	rows := spans(sh, h)
	sum := make([]float32, sw*4) // one destination row's worth of source rows, summed
	var whole rowSums
	for y := 0; y < h; y++ {
		clear(sum)
		// The source rows a destination row covers whole all weigh the
		// same: they are added as integers, eight bytes at a time, and
		// weighed once; only the two partly covered rows at its edges
		// are weighed byte by byte.
		whole.reset(sw * 4)
		var wholeW float32
		for _, part := range rows[y] {
			line := s.Pix[(part.i)*s.Stride : (part.i)*s.Stride+sw*4]
			if part.whole {
				wholeW = part.w
				if whole.add(line) {
					whole.weigh(sum, wholeW)
				}
				continue
			}
			for i, v := range line {
				sum[i] += float32(v) * part.w
			}
		}
		whole.weigh(sum, wholeW)
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
		for x := 0; x < w; x++ {
			var r, g, b, a float32
			for _, part := range cols[x] {
				p := sum[part.i*4 : part.i*4+4]
				r += p[0] * part.w
				g += p[1] * part.w
				b += p[2] * part.w
				a += p[3] * part.w
			}
			out[x*4], out[x*4+1], out[x*4+2], out[x*4+3] = clamp8(r), clamp8(g), clamp8(b), clamp8(a)
		}
	}
	return dst
}

// rowSums adds rows of bytes as integers: each uint64 of even (odd) holds
// four 16-bit sums of the bytes at even (odd) places of 8 bytes, so 255
// rows fit before they must be weighed.
type rowSums struct {
	even, odd []uint64
	tail      []uint32 // the bytes after the last whole 8
	n         int      // rows added since the last weighing
}

const maxRows = 255 // 255 × 255 < 65536

func (s *rowSums) reset(n int) {
	if cap(s.even) < n/8 {
		s.even, s.odd = make([]uint64, n/8), make([]uint64, n/8)
	}
	s.even, s.odd = s.even[:n/8], s.odd[:n/8]
	if cap(s.tail) < n%8 {
		s.tail = make([]uint32, n%8)
	}
	s.tail = s.tail[:n%8]
	clear(s.even)
	clear(s.odd)
	clear(s.tail)
	s.n = 0
}

// add adds line; it reports whether the sums are full and must be
// weighed before the next row.
func (s *rowSums) add(line []byte) bool {
	const lo = 0x00ff00ff00ff00ff
	even, odd := s.even, s.odd[:len(s.even)]
	for q := range even {
		v := binary.LittleEndian.Uint64(line[q*8:])
		even[q] += v & lo
		odd[q] += v >> 8 & lo
	}
	for i := range s.tail {
		s.tail[i] += uint32(line[len(even)*8+i])
	}
	s.n++
	return s.n == maxRows
}

// weigh adds the sums, each times w, to sum, and starts them again.
func (s *rowSums) weigh(sum []float32, w float32) {
	if s.n == 0 {
		return
	}
	for q, e := range s.even {
		o := s.odd[q]
		p := sum[q*8 : q*8+8]
		p[0] += float32(e&0xffff) * w
		p[1] += float32(o&0xffff) * w
		p[2] += float32(e>>16&0xffff) * w
		p[3] += float32(o>>16&0xffff) * w
		p[4] += float32(e>>32&0xffff) * w
		p[5] += float32(o>>32&0xffff) * w
		p[6] += float32(e>>48) * w
		p[7] += float32(o>>48) * w
	}
	for i, t := range s.tail {
		sum[len(s.even)*8+i] += float32(t) * w
	}
	clear(s.even)
	clear(s.odd)
	clear(s.tail)
	s.n = 0
}

// part is a source row or column and its weight in one destination
// pixel; whole when the pixel covers all of it.
type part struct {
	i     int
	w     float32
	whole bool
}

// spans maps each of n destination positions to the source positions
// (of src in all) it covers, with weights summing to 1.
func spans(src, n int) [][]part {
	out := make([][]part, n)
	scale := float64(src) / float64(n)
	for d := range n {
		lo, hi := float64(d)*scale, float64(d+1)*scale
		for i := int(lo); i < src && float64(i) < hi; i++ {
			cover := min(hi, float64(i+1)) - max(lo, float64(i))
			if cover > 0 {
				out[d] = append(out[d], part{i, float32(cover / scale), cover == 1})
			}
		}
	}
	return out
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// asRGBA is img as an *image.RGBA with its origin at 0,0, copied only
// when it is not one already.
func asRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, img, b.Min, draw.Src)
	return m
}

// Thumbnail is img made at most max pixels wide and high, its shape kept
// (a small image is copied as it is).
func Thumbnail(img image.Image, max int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= max && h <= max {
		return asRGBA(img)
	}
	if w >= h {
		w, h = max, (h*max+w/2)/w
	} else {
		w, h = (w*max+h/2)/h, max
	}
	return To(img, max1(w), max1(h))
}

func max1(n int) int { return max(n, 1) }
