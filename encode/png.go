package encode

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"image/png"
	"runtime"
	"sync"

	"imagecx/encode/internal/deflate"
	"imagecx/internal/hugemem"
)

// PNG encoding, built for screenshots: lossless, small, fast on several
// cores.
//
// The image is cut into horizontal bands that are filtered and deflated in
// parallel (pigz-style): every band's deflate stream ends with a sync flush
// (the last with the final block), so the bands concatenate into one zlib
// stream, whose Adler-32 is combined from the bands'. Each band becomes one
// IDAT chunk, and each band's compressor is primed with the last 32 KB of
// the band above (filtered again by the worker), so nothing is lost at the
// seams. Opaque images are written as 8-bit RGB (a quarter smaller than
// RGBA before compression).
//
// Rows where pixels repeat (text, UI) are left unfiltered, the others get
// Paeth (flatRow). The deflate coding is internal/deflate's, which takes a
// match only when it is cheaper than the literals it replaces: a photo
// next to text comes out smaller than with zlib at level 9, and UI
// screenshots 10–20 % smaller than libpng's, at the speed of a general
// purpose compressor's default level (docs/performance.md).

// PNGOptions tune EncodePNGWith.
type PNGOptions struct {
	Workers int // default GOMAXPROCS
	Bands   int // default 16, at least one per worker
	// Fast trades about 16 % more bytes for half the time: Sub instead of
	// Paeth, and a shallower match search. Worth it when the uplink is
	// fast (shot/uplink.go).
	Fast bool
}

// PNG encodes img losslessly. *image.RGBA and *image.NRGBA take the fast
// path; other images go through image/png.
func PNG(img image.Image, o PNGOptions) ([]byte, error) {
	return encodeImage(img, o, nil)
}

// PNGStream encodes an opaque image while its rows arrive (a capture read
// from the screen in strips): each band is filtered and deflated as soon
// as its rows are in place, so the encoder does not wait for the whole
// screen.
type PNGStream struct {
	rows *rowGate
	done chan pngResult
}

type pngResult struct {
	data []byte
	err  error
}

// StartPNG starts encoding img, whose rows are filled in from the top by
// the caller, who calls Rows as they arrive and then Wait.
func StartPNG(img *image.RGBA, o PNGOptions) *PNGStream {
	s := &PNGStream{rows: newRowGate(), done: make(chan pngResult, 1)}
	go func() {
		data, err := encodeImage(img, o, s.rows)
		s.done <- pngResult{data, err}
	}()
	return s
}

// Rows says rows [0, n) of the image are in place.
func (s *PNGStream) Rows(n int) { s.rows.set(n) }

// Fail says the rows will not all arrive; Wait then returns err.
func (s *PNGStream) Fail(err error) { s.rows.fail(err) }

// Wait returns the PNG once every row has arrived and been encoded.
func (s *PNGStream) Wait() ([]byte, error) {
	r := <-s.done
	return r.data, r.err
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
	// The bands' deflate streams are written into one buffer, each into
	// its own stretch as large as the coder reserves (a band that needs
	// more moves out): fresh memory is touched once, in huge pages
	// where the system has them. Band 0 starts with the zlib header.
	reserve := func(i int) int { return deflate.Reserve((min((i+1)*rowsPer, e.h)-i*rowsPer)*(e.w*e.bpp+1)) + 2 }
	total := 0
	for i := range nb {
		total += reserve(i)
	}
	outs := hugemem.Bytes(total)
	dsts := make([][]byte, nb)
	for i, off := 0, 0; i < nb; i++ {
		dsts[i] = outs[off : off : off+reserve(i)]
		off += reserve(i)
	}
	dsts[0] = append(dsts[0], 0x78, 0x9c) // zlib header: deflate, 32K window
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
				bands[i] = e.band(s, dsts[i], y0, y1, i == nb-1, o)
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
	out := hugemem.Written(size)[:0]
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
	zero     []byte // the row above the first: zeros, in source layout
	filtered []byte
	z        *deflate.Encoder
	zrow     int // the row length z was made for
}

// band filters and deflates rows [y0, y1). The rows above it that the
// deflate window reaches are filtered too, as history.
func (e *encoder) band(s *scratch, dst []byte, y0, y1 int, last bool, o PNGOptions) band {
	stride := e.w*e.bpp + 1
	hist := min(y0, (deflate.Window+stride-1)/stride)
	first := y0 - hist
	need := (y1 - first) * stride
	if cap(s.filtered) < need {
		s.filtered = hugemem.Written(need)
	}
	f := s.filtered[:need]
	if len(s.zero) != e.w*4 {
		s.zero = make([]byte, e.w*4)
	}
	prev := s.zero
	if first > 0 {
		prev = e.src(first - 1)
	}
	for y := first; y < y1; y++ {
		cur := e.src(y)
		dst := f[(y-first)*stride:][:stride]
		switch {
		case flatRow(cur, prev):
			dst[0] = 0
			if e.bpp == 3 {
				copyRGB(dst[1:], cur)
			} else {
				copy(dst[1:], cur)
			}
		case o.Fast && e.bpp == 3:
			dst[0] = 1
			filterSubRGB(dst[1:], cur)
		case o.Fast:
			dst[0] = 1
			filterSub(dst[1:], cur, 4)
		case e.bpp == 3:
			dst[0] = 4
			filterPaethRGB(dst[1:], cur, prev)
		default:
			dst[0] = 4
			filterPaeth(dst[1:], cur, prev, 4)
		}
		prev = cur
	}
	if s.z == nil || s.zrow != stride || s.z.Fast() != o.Fast {
		s.z = deflate.New(deflate.Options{RowLen: stride, Fast: o.Fast})
		s.zrow = stride
	}
	start := hist * stride
	data := s.z.Encode(dst, f, start, last)
	return band{data: data, adler: adler32.Checksum(f[start:]), n: need - start}
}

// flatRow reports whether most pixels of cur repeat the one to their left
// or the one above (text, UI): such rows are left unfiltered, because the
// deflate coder finds repeated glyphs and icons whole in the raw pixels,
// where a predictor's residuals would differ with what surrounds them.
// Photo-like rows get Paeth (Sub when fast). docs/performance.md has what
// this choice is worth.
func flatRow(cur, prev []byte) bool {
	w := len(cur) / 4
	cur, prev = cur[:w*4], prev[:w*4]
	same := 0
	left := binary.LittleEndian.Uint32(cur)
	for x := 4; x < len(cur); x += 4 {
		p := binary.LittleEndian.Uint32(cur[x:])
		if p == left || p == binary.LittleEndian.Uint32(prev[x:]) {
			same++
		}
		left = p
	}
	return same*100 >= w*flatPercent
}

// flatPercent is the share of repeated pixels from which a row counts as
// flat; rows half text, half photo (a browser beside a wallpaper) must not.
const flatPercent = 65

// copyRGB copies a row of 4-byte pixels as 3-byte RGB.
func copyRGB(dst, cur []byte) {
	w := len(cur) / 4
	dst = dst[:w*3]
	for x := 0; x < w; x++ {
		c, d := cur[x*4:x*4+3:x*4+3], dst[x*3:x*3+3:x*3+3]
		d[0], d[1], d[2] = c[0], c[1], c[2]
	}
}

// src is row y of the image, 4 bytes a pixel.
func (e *encoder) src(y int) []byte {
	return e.pix[y*e.stride:][:e.w*4]
}

// filterSubRGB and filterPaethRGB filter a row of 4-byte pixels into the
// file's 3-byte RGB, so the row is read once.

func filterSubRGB(dst, cur []byte) {
	w := len(cur) / 4
	dst = dst[:w*3]
	dst[0], dst[1], dst[2] = cur[0], cur[1], cur[2]
	for x := 1; x < w; x++ {
		c := cur[x*4-4 : x*4+3 : x*4+3] // left pixel, then this one
		d := dst[x*3 : x*3+3 : x*3+3]
		d[0], d[1], d[2] = c[4]-c[0], c[5]-c[1], c[6]-c[2]
	}
}

func filterPaethRGB(dst, cur, prev []byte) {
	w := len(cur) / 4
	dst, prev = dst[:w*3], prev[:w*4]
	// The first pixel has no left neighbours: Paeth predicts the one above.
	dst[0], dst[1], dst[2] = cur[0]-prev[0], cur[1]-prev[1], cur[2]-prev[2]
	for x := 1; x < w; x++ {
		c := cur[x*4-4 : x*4+3 : x*4+3] // left pixel, then this one
		p := prev[x*4-4 : x*4+3 : x*4+3]
		d := dst[x*3 : x*3+3 : x*3+3]
		d[0] = c[4] - byte(paeth(int(c[0]), int(p[4]), int(p[0])))
		d[1] = c[5] - byte(paeth(int(c[1]), int(p[5]), int(p[1])))
		d[2] = c[6] - byte(paeth(int(c[2]), int(p[6]), int(p[2])))
	}
}

// paeth is the PNG Paeth predictor of a (left), b (above) and c (above
// left). This form, with the threshold 3c−(a+b) compared with the smaller
// and the larger of a and b, is equivalent to the specification's (the
// test checks all 2^24 inputs). It is written with masks rather than ifs:
// the compiler turns the ifs into branches, which photo-like rows make
// unpredictable, and that tripled the filter's time.
func paeth(a, b, c int) int {
	t := 3*c - a - b
	d := a - b
	m := d >> 63 // all ones when a < b
	lo, hi := b+d&m, a-d&m
	p := lo ^ (lo^c)&((t-hi)>>63)   // c when t < hi, else lo
	return hi ^ (hi^p)&((lo-t)>>63) // hi when t <= lo
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

func filterPaeth(dst, cur, prev []byte, bpp int) {
	n := len(cur)
	dst, prev = dst[:n], prev[:n]
	for i := 0; i < bpp; i++ {
		dst[i] = cur[i] - prev[i]
	}
	c := cur[bpp:]
	left, up, upLeft, d := cur[:len(c)], prev[bpp:][:len(c)], prev[:len(c)], dst[bpp:][:len(c)]
	for i, x := range c {
		d[i] = x - byte(paeth(int(left[i]), int(up[i]), int(upLeft[i])))
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
