package record

import (
	"image"
	"image/color"
	"slices"
)

// histogram counts the colours of frames, at 5 bits a channel, with the
// sums of the colours that fell in each bin (a bin's colour is their
// mean, not its centre).
type histogram struct {
	n       [1 << 15]uint32
	r, g, b [1 << 15]uint64
}

func newHistogram() *histogram { return &histogram{} }

func key(r, g, b uint8) int { return int(r>>3)<<10 | int(g>>3)<<5 | int(b>>3) }

// add counts the pixels of an RGBA frame.
func (h *histogram) add(pix []byte) {
	for i := 0; i+3 < len(pix); i += 4 {
		k := key(pix[i], pix[i+1], pix[i+2])
		h.n[k]++
		h.r[k] += uint64(pix[i])
		h.g[k] += uint64(pix[i+1])
		h.b[k] += uint64(pix[i+2])
	}
}

// box is a set of bins, cut in two along its widest channel.
type box struct {
	bins  []int
	count uint64
}

// cut is at most n colours (0xRRGGBB) for the counted pixels: median cut,
// the box with the most pixels over the widest range cut first.
func (h *histogram) cut(n int) []uint32 {
	var all []int
	var total uint64
	for k, c := range h.n {
		if c > 0 {
			all = append(all, k)
			total += uint64(c)
		}
	}
	if len(all) == 0 {
		return []uint32{0}
	}
	boxes := []box{{bins: all, count: total}}
	for len(boxes) < n {
		best, bestScore := -1, uint64(0)
		for i, b := range boxes {
			if len(b.bins) < 2 {
				continue
			}
			_, width := widest(b.bins)
			if s := b.count * uint64(width+1); s > bestScore {
				best, bestScore = i, s
			}
		}
		if best < 0 {
			break
		}
		b := boxes[best]
		ch, _ := widest(b.bins)
		slices.SortFunc(b.bins, func(x, y int) int { return channel(x, ch) - channel(y, ch) })
		var acc uint64
		cut := 1
		for i, k := range b.bins {
			acc += uint64(h.n[k])
			if acc*2 >= b.count {
				cut = min(max(i+1, 1), len(b.bins)-1)
				break
			}
		}
		lo, hi := box{bins: b.bins[:cut]}, box{bins: b.bins[cut:]}
		for _, k := range lo.bins {
			lo.count += uint64(h.n[k])
		}
		hi.count = b.count - lo.count
		boxes[best] = lo
		boxes = append(boxes, hi)
	}
	pal := make([]uint32, 0, len(boxes))
	for _, b := range boxes {
		var r, g, bl, c uint64
		for _, k := range b.bins {
			r, g, bl, c = r+h.r[k], g+h.g[k], bl+h.b[k], c+uint64(h.n[k])
		}
		pal = append(pal, uint32(r/c)<<16|uint32(g/c)<<8|uint32(bl/c))
	}
	return pal
}

// channel is a bin's 5-bit red (0), green (1) or blue (2).
func channel(k, ch int) int { return k >> (10 - 5*ch) & 31 }

// widest is the channel over which bins spread most, and how far.
func widest(bins []int) (int, int) {
	var lo, hi [3]int
	for ch := range 3 {
		lo[ch], hi[ch] = 31, 0
	}
	for _, k := range bins {
		for ch := range 3 {
			v := channel(k, ch)
			lo[ch], hi[ch] = min(lo[ch], v), max(hi[ch], v)
		}
	}
	best := 0
	for ch := 1; ch < 3; ch++ {
		if hi[ch]-lo[ch] > hi[best]-lo[best] {
			best = ch
		}
	}
	return best, hi[best] - lo[best]
}

func colors(pal []uint32) color.Palette {
	out := make(color.Palette, len(pal))
	for i, c := range pal {
		out[i] = color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 0xFF}
	}
	return out
}

// mapper maps colours to their nearest palette entry, remembering each
// 5-bit bin's answer.
type mapper struct {
	pal   []uint32
	cache [1 << 15]int16
}

func newMapper(pal []uint32) *mapper {
	m := &mapper{pal: pal}
	for i := range m.cache {
		m.cache[i] = -1
	}
	return m
}

// indices writes img's palette indices into out (img's width a row).
func (m *mapper) indices(img *image.RGBA, out []byte) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		o := out[y*w : (y+1)*w]
		for x := range w {
			r, g, b := row[4*x], row[4*x+1], row[4*x+2]
			k := key(r, g, b)
			i := m.cache[k]
			if i < 0 {
				i = int16(m.nearest(r, g, b))
				m.cache[k] = i
			}
			o[x] = byte(i)
		}
	}
}

func (m *mapper) nearest(r, g, b uint8) int {
	best, bestD := 0, 1<<30
	for i, c := range m.pal {
		dr, dg, db := int(r)-int(c>>16&0xFF), int(g)-int(c>>8&0xFF), int(b)-int(c&0xFF)
		if d := 3*dr*dr + 4*dg*dg + 2*db*db; d < bestD {
			best, bestD = i, d
		}
	}
	return best
}
