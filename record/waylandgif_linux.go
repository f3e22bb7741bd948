package record

import (
	"context"
	"fmt"
	"image"
	"io"
	"os/exec"
	"strconv"
	"sync"

	"github.com/godbus/dbus/v5"

	"imagecx/i18n"
)

// StartWaylandGIF records a GIF of the monitor the ScreenCast portal
// gives, or of area of it (as StartWayland): GStreamer reads the stream,
// ffmpeg cuts the area out of its frames and makes them the GIF's size,
// and the GIF recorder takes the latest at its own rate. The session's
// new restore token is returned to be kept.
func StartWaylandGIF(ctx context.Context, conn *dbus.Conn, restore string, area CastArea, dir string, o Options) (Recorder, string, error) {
	enc, err := FindEncoder(o.FFmpeg)
	if err != nil {
		return nil, "", err
	}
	c, err := openCast(ctx, conn, restore, area, gifFPS)
	if err != nil {
		return nil, "", err
	}
	logical := c.area
	if logical.Empty() {
		logical = c.monitor
	}
	if logical.Dx() < 2 || logical.Dy() < 2 {
		c.close()
		return nil, "", i18n.Errorf("the desktop did not say the size of the monitor it shares: record an MP4 instead")
	}
	size := gifSize(logical.Size())
	dec := exec.Command(enc.FFmpeg, "-hide_banner", "-loglevel", "error", "-nostats", "-f", "matroska", "-i", "pipe:0",
		"-vf", c.crop+",scale="+strconv.Itoa(size.X)+":"+strconv.Itoa(size.Y)+":flags=area", "-f", "rawvideo", "-pix_fmt", "rgba", "pipe:1")
	dec.Stdin = c.out
	said := &tail{max: 4096}
	dec.Stderr = said
	frames, err := dec.StdoutPipe()
	if err == nil {
		err = dec.Start()
	}
	c.out.Close() // ffmpeg has its own
	if err != nil {
		c.close()
		return nil, "", fmt.Errorf("start ffmpeg: %w", err)
	}
	l := &latest{ready: make(chan struct{}), ended: make(chan struct{})}
	go l.read(frames, size, func() error {
		if err := dec.Wait(); err != nil {
			return failed("ffmpeg", err, said.bytes())
		}
		return nil
	})
	s, err := StartGIF(ctx, l.grab, image.Rectangle{Max: size}, dir, o)
	if err != nil {
		c.close()
		return nil, "", err
	}
	w := &waylandGIF{s: s, cast: c, frames: l, done: make(chan struct{})}
	go func() {
		select {
		case <-s.Done():
		case <-l.ended:
		}
		close(w.done)
	}()
	return w, c.cast.RestoreToken, nil
}

// latest is the latest frame the stream gave.
type latest struct {
	mu    sync.Mutex
	frame *image.RGBA
	ready chan struct{} // closed at the first frame
	ended chan struct{} // closed when the stream has ended
	err   error         // why, when it failed
}

// read reads frames of size until the stream ends; wait is the
// decoder's end.
func (l *latest) read(r io.Reader, size image.Point, wait func() error) {
	first := true
	for {
		img := image.NewRGBA(image.Rectangle{Max: size})
		if _, err := io.ReadFull(r, img.Pix); err != nil {
			break
		}
		l.mu.Lock()
		l.frame = img
		l.mu.Unlock()
		if first {
			close(l.ready)
			first = false
		}
	}
	io.Copy(io.Discard, r)
	err := wait()
	l.mu.Lock()
	l.err = err
	l.mu.Unlock()
	close(l.ended)
}

// grab is the GIF recorder's Grabber: the latest frame, waiting for the
// first.
func (l *latest) grab(ctx context.Context, _ image.Rectangle) (*image.RGBA, error) {
	select {
	case <-l.ready:
	case <-l.ended:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.frame == nil {
		if l.err != nil {
			return nil, l.err
		}
		return nil, ErrNoFrames
	}
	return l.frame, nil // never written again: each frame is new
}

// waylandGIF is a GIF recording of a screen cast.
type waylandGIF struct {
	s      *GIFSession
	cast   *castReader
	frames *latest
	done   chan struct{} // the GIF recorder's end, or the stream's
}

// Done is closed when the recording has ended by itself: at the cap, or
// when the stream ended (the person stopped sharing the screen).
func (w *waylandGIF) Done() <-chan struct{} { return w.done }

// Finish ends the stream and makes the GIF of what it gave.
func (w *waylandGIF) Finish(ctx context.Context, limit int64, _ string) (Video, error) {
	w.cast.stop()
	<-w.frames.ended
	w.cast.close()
	if err := w.cast.failure(); err != nil {
		w.s.Finish(ctx, limit) // removes its frames
		return Video{}, err
	}
	return w.s.Finish(ctx, limit)
}
