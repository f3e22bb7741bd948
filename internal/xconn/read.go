//go:build linux || freebsd || openbsd || netbsd

package xconn

import (
	"context"
	"fmt"
	"image"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/internal/bgrx"
)

// stripBytes bounds one read from the server; smaller strips let a caller
// (the encoder) start on the first rows sooner.
const stripBytes = 1 << 20

// shmSlots is how many strips can be in flight through shared memory.
const shmSlots = 4

// Reader reads areas of a window or pixmap (24 or 32 bits deep) into
// opaque RGBA images: through MIT-SHM while the server shares memory with
// this process, else in pipelined GetImage strips over the socket.
type Reader struct {
	conn  *xgb.Conn
	noShm bool // the socket: a remote server, or shared memory failed once
}

// NewReader reads over conn; local says the server runs on this machine
// (Local), so shared memory is worth trying.
func NewReader(conn *xgb.Conn, local bool) *Reader {
	return &Reader{conn: conn, noShm: !local}
}

// Shared reports whether reads still go through shared memory.
func (r *Reader) Shared() bool { return !r.noShm }

// Read reads area of d into img, whose size must be area's, calling rows,
// if not nil, each time more rows from the top are in place. It stops
// between strips when ctx ends.
func (r *Reader) Read(ctx context.Context, d xproto.Drawable, img *image.RGBA, area image.Rectangle, rows func(n int)) error {
	w, h := area.Dx(), area.Dy()
	if w <= 0 || h <= 0 || img.Rect.Dx() != w || img.Rect.Dy() != h {
		return fmt.Errorf("read %v into an image of %v", area, img.Rect)
	}
	per := max(1, stripBytes/(w*4))
	if !r.noShm {
		ring, err := openShm(r.conn, d, per*w*4, shmSlots)
		if err == nil {
			defer ring.close()
			return ring.strips(ctx, d, img.Pix, img.Stride, xrect{area.Min.X, area.Min.Y, w, h}, per, rows)
		}
		r.noShm = true // the socket from now on
	}
	// All requests go out first, so the server reads strips while earlier
	// ones are converted here.
	var cookies []xproto.GetImageCookie
	for y := 0; y < h; y += per {
		cookies = append(cookies, xproto.GetImage(r.conn, xproto.ImageFormatZPixmap, d,
			int16(area.Min.X), int16(area.Min.Y+y), uint16(w), uint16(min(per, h-y)), 0xffffffff))
	}
	for i, cookie := range cookies {
		y := i * per
		n := min(per, h-y)
		if err := ctx.Err(); err != nil {
			for _, c := range cookies[i:] {
				c.Reply() // drain: the replies are on their way
			}
			return err
		}
		rep, err := cookie.Reply()
		if err != nil {
			return fmt.Errorf("read rows %d–%d: %w", y, y+n, Gone(err))
		}
		if len(rep.Data) < w*n*4 {
			return fmt.Errorf("short image data (%d bytes for %d×%d)", len(rep.Data), w, n)
		}
		bgrx.ToRGBA(img.Pix[y*img.Stride:(y+n)*img.Stride], rep.Data[:w*n*4])
		if rows != nil {
			rows(y + n)
		}
	}
	return nil
}

// xrect is an area in X's terms.
type xrect struct{ x, y, w, h int }
