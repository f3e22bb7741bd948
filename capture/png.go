package capture

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"image/png"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// PNG encoding, built for screenshots: lossless, fast on several cores.
//
// The image is cut into horizontal bands that are filtered and deflated in
// parallel (pigz-style): every band's deflate stream ends with a sync flush
// (the last with the final block), so the bands concatenate into one zlib
// stream, whose Adler-32 is combined from the bands'. Each band becomes one
// IDAT chunk. Opaque images are written as 8-bit RGB (a quarter smaller
// than RGBA before compression).
//
// Filters are chosen per band: bands that are mostly flat (UI, text) get
// the standard per-row choice of the five PNG filters, which shrinks them
// most; photo-like bands use Avg on every row, which measured both faster
// and smaller there (docs/performance-notes.md).

// PNGOptions tune EncodePNGWith.
type PNGOptions struct {
	Level   int // deflate level for photo-like bands, 1–9 (default 6)
	Flat    int // deflate level for flat bands (default 7)
	Workers int // default GOMAXPROCS
	Bands   int // default 16, at least one per worker
	// Fast trades about 12 % more bytes for about half the time: Avg on
	// every band at level 1. Worth it when the uplink is fast.
	Fast bool
}

// EncodePNG encodes img losslessly with the default options.
func EncodePNG(img image.Image) ([]byte, error) {
	return EncodePNGWith(img, PNGOptions{})
}

// EncodePNGWith encodes img losslessly. *image.RGBA and *image.NRGBA take
// the fast path; other images go through image/png.
func EncodePNGWith(img image.Image, o PNGOptions) ([]byte, error) {
	return encodeImage(img, o, nil)
}

// encodeRGBA encodes an opaque capture whose rows arrive while it works.
func encodeRGBA(img *image.RGBA, o PNGOptions, rows *rowGate) ([]byte, error) {
	return encodeImage(img, o, rows)
}

func encodeImage(img image.Image, o PNGOptions, rows *rowGate) ([]byte, error) {
	var pix []byte
	var stride int
	switch m := img.(type) {
	case *image.RGBA:
		pix, stride = m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.Stride
		if rows == nil && !opaqueRGBA(m) {
			// Premultiplied alpha must be undone; image/png does that.
			// (A capture, arriving by rows, is opaque.)
			return stdPNG(img)
		}
	case *image.NRGBA:
		pix, stride = m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.Stride
	default:
		return stdPNG(img)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return stdPNG(img)
	}
	bpp := 3
	if n, ok := img.(*image.NRGBA); ok && !n.Opaque() {
		bpp = 4
	}
	o = o.withDefaults(h)
	e := &encoder{pix: pix, stride: stride, w: w, h: h, bpp: bpp, rows: rows}
	return e.encode(o)
}

func (o PNGOptions) withDefaults(h int) PNGOptions {
	if o.Fast {
		o.Level = 1
	}
	if o.Level < 1 || o.Level > 9 {
		o.Level = 6
	}
	if o.Flat < 1 || o.Flat > 9 {
		o.Flat = 7
	}
	if o.Workers < 1 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Bands < 1 {
		o.Bands = 16
	}
	o.Bands = min(max(o.Bands, o.Workers), h)
	return o
}

func stdPNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func opaqueRGBA(m *image.RGBA) bool {
	w := m.Rect.Dx() * 4
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		row := m.Pix[m.PixOffset(m.Rect.Min.X, y):][:w]
		for i := 3; i < len(row); i += 4 {
			if row[i] != 0xff {
				return false
			}
		}
	}
	return true
}

type encoder struct {
	pix    []byte // RGBA or NRGBA rows, 4 bytes a pixel
	stride int
	w, h   int
	bpp    int      // 3 (RGB) or 4 (RGBA) in the file
	rows   *rowGate // nil when every row is there from the start
}

type band struct {
	data  []byte // deflate stream
	adler uint32 // of the filtered bytes
	n     int    // filtered bytes
	err   error
}

func (e *encoder) encode(o PNGOptions) ([]byte, error) {
	rowsPer := (e.h + o.Bands - 1) / o.Bands
	nb := (e.h + rowsPer - 1) / rowsPer
	bands := make([]band, nb)
	next := make(chan int, nb)
	for i := range nb {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(o.Workers, nb) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := scratchPool.Get().(*scratch)
			defer scratchPool.Put(s)
			for i := range next {
				y0 := i * rowsPer
				y1 := min(y0+rowsPer, e.h)
				if err := e.rows.wait(y1); err != nil {
					bands[i] = band{err: err}
					continue
				}
				bands[i] = e.band(s, y0, y1, i == nb-1, o)
			}
		}()
	}
	wg.Wait()

	size := 8 + 25 + 12 + 12*nb + 6
	for _, b := range bands {
		if b.err != nil {
			return nil, b.err
		}
		size += len(b.data)
	}
	out := make([]byte, 0, size)
	out = append(out, "\x89PNG\r\n\x1a\n"...)
	colorType := byte(2)
	if e.bpp == 4 {
		colorType = 6
	}
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(e.w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(e.h))
	ihdr[8], ihdr[9] = 8, colorType
	out = chunk(out, "IHDR", ihdr[:])
	var adler uint32 = 1
	for i, b := range bands {
		data := b.data
		if i == 0 {
			data = append([]byte{0x78, 0x9c}, data...) // zlib header: deflate, 32K window
		}
		adler = adler32Combine(adler, b.adler, b.n)
		if i == nb-1 {
			data = binary.BigEndian.AppendUint32(data, adler)
		}
		out = chunk(out, "IDAT", data)
	}
	out = chunk(out, "IEND", nil)
	return out, nil
}

func chunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

// scratchPool keeps workers' buffers and deflate state between captures
// (until the garbage collector takes them).
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// scratch is a worker's reusable buffers.
type scratch struct {
	prev, cur []byte    // unfiltered rows in file layout
	cand      [5][]byte // candidate filtered rows
	filtered  []byte
	zbuf      bytes.Buffer
	zw        map[int]*flate.Writer
}

// band filters and deflates rows [y0, y1).
func (e *encoder) band(s *scratch, y0, y1 int, last bool, o PNGOptions) band {
	rowLen := e.w * e.bpp
	if len(s.cur) != rowLen {
		s.prev, s.cur = make([]byte, rowLen), make([]byte, rowLen)
		for i := range s.cand {
			s.cand[i] = make([]byte, rowLen)
		}
	}
	need := (y1 - y0) * (rowLen + 1)
	if cap(s.filtered) < need {
		s.filtered = make([]byte, need)
	}
	f := s.filtered[:need]
	if y0 > 0 {
		e.row(s.prev, y0-1)
	} else {
		clear(s.prev)
	}
	flat := !o.Fast && e.flat(y0, y1)
	for y := y0; y < y1; y++ {
		e.row(s.cur, y)
		dst := f[(y-y0)*(rowLen+1):][:rowLen+1]
		if flat {
			dst[0] = bestFilter(s, e.bpp)
			copy(dst[1:], s.cand[dst[0]])
		} else {
			dst[0] = 3
			filterAvg(dst[1:], s.cur, s.prev, e.bpp)
		}
		s.prev, s.cur = s.cur, s.prev
	}
	level := o.Level
	if flat {
		level = o.Flat
	}
	if s.zw == nil {
		s.zw = map[int]*flate.Writer{}
	}
	s.zbuf.Reset()
	zw, ok := s.zw[level]
	if !ok {
		var err error
		if zw, err = flate.NewWriter(&s.zbuf, level); err != nil {
			return band{err: err}
		}
		s.zw[level] = zw
	} else {
		zw.Reset(&s.zbuf)
	}
	if _, err := zw.Write(f); err != nil {
		return band{err: err}
	}
	var err error
	if last {
		err = zw.Close()
	} else {
		err = zw.Flush()
	}
	if err != nil {
		return band{err: err}
	}
	return band{data: bytes.Clone(s.zbuf.Bytes()), adler: adler32.Checksum(f), n: need}
}

// row copies row y into dst in file layout (RGB or RGBA).
func (e *encoder) row(dst []byte, y int) {
	src := e.pix[y*e.stride:][:e.w*4]
	if e.bpp == 4 {
		copy(dst, src)
		return
	}
	d := dst[:e.w*3]
	for x := 0; x < e.w; x++ {
		s, t := src[x*4:x*4+3:x*4+3], d[x*3:x*3+3:x*3+3]
		t[0], t[1], t[2] = s[0], s[1], s[2]
	}
}

// flat reports whether rows [y0, y1) are mostly flat: most pixels repeat
// the one to their left or above (UI, text); photo-like content does not.
// It samples every fourth row.
func (e *encoder) flat(y0, y1 int) bool {
	same, total := 0, 0
	for y := max(y0, 1); y < y1; y += 4 {
		cur := e.pix[y*e.stride:][:e.w*4]
		up := e.pix[(y-1)*e.stride:][:e.w*4]
		for i := 4; i < len(cur); i += 4 {
			if cur[i] == cur[i-4] && cur[i+1] == cur[i-3] && cur[i+2] == cur[i-2] ||
				cur[i] == up[i] && cur[i+1] == up[i+1] && cur[i+2] == up[i+2] {
				same++
			}
		}
		total += e.w - 1
	}
	return total > 0 && same*10 > total*6
}

// bestFilter fills s.cand with the five filtered versions of s.cur and
// returns the one with the smallest sum of absolute values (the libpng
// heuristic).
func bestFilter(s *scratch, bpp int) byte {
	cur, prev := s.cur, s.prev
	if bytes.Equal(cur, prev) { // common in UI: Up makes it all zeros
		clear(s.cand[2])
		return 2
	}
	best, bestSum := byte(0), int(^uint(0)>>1)
	try := func(f byte, fill func(dst []byte)) {
		dst := s.cand[f]
		fill(dst)
		sum := 0
		for i, v := range dst {
			sum += absSigned(v)
			if i&63 == 63 && sum >= bestSum {
				return // already worse
			}
		}
		if sum < bestSum {
			best, bestSum = f, sum
		}
	}
	try(2, func(d []byte) { filterUp(d, cur, prev) })
	try(1, func(d []byte) { filterSub(d, cur, bpp) })
	try(0, func(d []byte) { copy(d, cur) })
	try(3, func(d []byte) { filterAvg(d, cur, prev, bpp) })
	try(4, func(d []byte) { filterPaeth(d, cur, prev, bpp) })
	return best
}

func absSigned(v byte) int {
	if v < 128 {
		return int(v)
	}
	return 256 - int(v)
}

// The filters slice their inputs to one length so the compiler drops the
// bounds checks from the loops.

func filterSub(dst, cur []byte, bpp int) {
	n := len(cur)
	dst = dst[:n]
	copy(dst[:bpp], cur[:bpp])
	left, c, d := cur[:n-bpp], cur[bpp:], dst[bpp:]
	for i := range c {
		d[i] = c[i] - left[i]
	}
}

func filterUp(dst, cur, prev []byte) {
	n := len(cur)
	dst, prev = dst[:n], prev[:n]
	for i := range cur {
		dst[i] = cur[i] - prev[i]
	}
}

func filterAvg(dst, cur, prev []byte, bpp int) {
	n := len(cur)
	dst, prev = dst[:n], prev[:n]
	for i := 0; i < bpp; i++ {
		dst[i] = cur[i] - prev[i]>>1
	}
	left, c, up, d := cur[:n-bpp], cur[bpp:], prev[bpp:], dst[bpp:]
	up, d = up[:len(c)], d[:len(c)]
	for i := range c {
		d[i] = c[i] - byte((uint(left[i])+uint(up[i]))>>1)
	}
}

func filterPaeth(dst, cur, prev []byte, bpp int) {
	for i := 0; i < bpp; i++ {
		dst[i] = cur[i] - prev[i]
	}
	for i := bpp; i < len(cur); i++ {
		a, b, c := int(cur[i-bpp]), int(prev[i]), int(prev[i-bpp])
		pa, pb, pc := b-c, a-c, a+b-2*c
		if pa < 0 {
			pa = -pa
		}
		if pb < 0 {
			pb = -pb
		}
		if pc < 0 {
			pc = -pc
		}
		p := c
		if pa <= pb && pa <= pc {
			p = a
		} else if pb <= pc {
			p = b
		}
		dst[i] = cur[i] - byte(p)
	}
}

// adler32Combine is zlib's adler32_combine: the checksum of A+B from those
// of A and B and B's length.
func adler32Combine(a1, a2 uint32, len2 int) uint32 {
	const base = 65521
	rem := uint32(len2 % base)
	sum1 := a1 & 0xffff
	sum2 := (rem * sum1) % base
	sum1 += (a2 & 0xffff) + base - 1
	sum2 += (a1 >> 16) + (a2 >> 16) + base - rem
	if sum1 >= base {
		sum1 -= base
	}
	if sum1 >= base {
		sum1 -= base
	}
	if sum2 >= 2*base {
		sum2 -= 2 * base
	}
	if sum2 >= base {
		sum2 -= base
	}
	return sum1 | sum2<<16
}

// rowGate tells the encoder how many rows from the top have arrived.
type rowGate struct {
	mu   sync.Mutex
	cond *sync.Cond
	done int
	err  error
}

func newRowGate() *rowGate {
	g := &rowGate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *rowGate) set(n int) {
	g.mu.Lock()
	g.done = max(g.done, n)
	g.mu.Unlock()
	g.cond.Broadcast()
}

func (g *rowGate) fail(err error) {
	g.mu.Lock()
	g.err = err
	g.mu.Unlock()
	g.cond.Broadcast()
}

// wait blocks until rows [0, n) are in place; a nil gate has them all.
func (g *rowGate) wait(n int) error {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.done < n && g.err == nil {
		g.cond.Wait()
	}
	return g.err
}
