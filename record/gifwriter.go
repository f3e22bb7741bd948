package record

import (
	"bufio"
	"compress/lzw"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io"
)

// gifWriter writes an animated GIF one frame at a time (image/gif wants
// every frame in memory at once): one palette for the whole animation,
// each frame the rectangle that changed, drawn over the one before.
type gifWriter struct {
	w   *bufio.Writer
	err error
}

// transparent is the palette index left for "as the frame before".
const transparent = 255

// newGIFWriter starts a GIF of size with palette (at most 255 colours:
// index 255 is transparent), looping for ever.
func newGIFWriter(w io.Writer, size image.Point, palette color.Palette) (*gifWriter, error) {
	if len(palette) > 255 {
		return nil, errors.New("gif: more than 255 colours")
	}
	g := &gifWriter{w: bufio.NewWriterSize(w, 64<<10)}
	g.bytes([]byte("GIF89a"))
	g.u16(size.X)
	g.u16(size.Y)
	g.bytes([]byte{0xF7, 0, 0}) // a global table of 256 colours; background 0; square pixels
	for i := range 256 {
		var r, gr, b uint32
		if i < len(palette) {
			r, gr, b, _ = palette[i].RGBA()
		}
		g.bytes([]byte{byte(r >> 8), byte(gr >> 8), byte(b >> 8)})
	}
	// NETSCAPE2.0: loop for ever.
	g.bytes([]byte{0x21, 0xFF, 0x0B})
	g.bytes([]byte("NETSCAPE2.0"))
	g.bytes([]byte{3, 1, 0, 0, 0})
	return g, g.err
}

// frame writes the palette indices of r (pix: r's width a row) to show
// for delay hundredths of a second; index 255 shows the frame before.
func (g *gifWriter) frame(r image.Rectangle, pix []byte, delay int) error {
	if g.err != nil {
		return g.err
	}
	// Graphic control: disposal "leave it", transparency on, the delay.
	g.bytes([]byte{0x21, 0xF9, 4, 1<<2 | 1})
	g.u16(min(delay, 0xFFFF))
	g.bytes([]byte{transparent, 0})
	// Image descriptor: no local table, not interlaced.
	g.bytes([]byte{0x2C})
	g.u16(r.Min.X)
	g.u16(r.Min.Y)
	g.u16(r.Dx())
	g.u16(r.Dy())
	g.bytes([]byte{0, 8}) // flags; the LZW code size
	if g.err != nil {
		return g.err
	}
	bw := &blockWriter{w: g.w}
	lz := lzw.NewWriter(bw, lzw.LSB, 8)
	if _, err := lz.Write(pix); err != nil {
		return err
	}
	if err := lz.Close(); err != nil {
		return err
	}
	g.err = bw.close()
	return g.err
}

// close ends the GIF.
func (g *gifWriter) close() error {
	g.bytes([]byte{0x3B})
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}

func (g *gifWriter) bytes(b []byte) {
	if g.err == nil {
		_, g.err = g.w.Write(b)
	}
}

func (g *gifWriter) u16(n int) {
	var b [2]byte
	binary.LittleEndian.PutUint16(b[:], uint16(n))
	g.bytes(b[:])
}

// blockWriter cuts the LZW stream into GIF's sub-blocks of at most 255
// bytes, and ends them with an empty one.
type blockWriter struct {
	w   *bufio.Writer
	buf [255]byte
	n   int
}

func (b *blockWriter) Write(p []byte) (int, error) {
	done := 0
	for len(p) > 0 {
		c := copy(b.buf[b.n:], p)
		b.n += c
		p = p[c:]
		done += c
		if b.n == len(b.buf) {
			if err := b.flush(); err != nil {
				return done, err
			}
		}
	}
	return done, nil
}

func (b *blockWriter) flush() error {
	if b.n == 0 {
		return nil
	}
	if err := b.w.WriteByte(byte(b.n)); err != nil {
		return err
	}
	_, err := b.w.Write(b.buf[:b.n])
	b.n = 0
	return err
}

func (b *blockWriter) close() error {
	if err := b.flush(); err != nil {
		return err
	}
	return b.w.WriteByte(0)
}
