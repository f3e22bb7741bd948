package record

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"sync"
	"time"

	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/internal/shrink"
)

// Grabber reads a rectangle of the screen (capture.Screen's Capture):
// the GIF recorder needs no other program.
type Grabber func(ctx context.Context, r image.Rectangle) (*image.RGBA, error)

// GIF's defaults: a GIF is big for what it shows, so fewer frames and a
// smaller size than a video's.
const (
	gifFPS      = 10
	gifMaxWidth = 1280
)

// GIFSession is a GIF recording under way: frames are read from the
// screen at the frame rate, made smaller, and kept compressed in a file
// (no minutes of frames in memory) until Finish makes the GIF.
type GIFSession struct {
	stop    chan struct{}
	done    chan struct{}
	started time.Time
	file    *os.File
	size    image.Point // of the kept frames

	mu     sync.Mutex
	err    error
	frames []keptFrame
}

// keptFrame is a frame in the file: where, and how long it shows.
type keptFrame struct {
	off, n int64
	shows  time.Duration
}

// StartGIF starts reading area through grab into a file in dir, at
// most o's cap (the frame rate is GIF's own, lower than a video's).
func StartGIF(ctx context.Context, grab Grabber, area image.Rectangle, dir string, o Options) (*GIFSession, error) {
	if area.Dx() < 2 || area.Dy() < 2 {
		return nil, fmt.Errorf("the area %v is too small to record", area)
	}
	f, err := os.CreateTemp(dir, "imagecx-recording-*.frames")
	if err != nil {
		return nil, fmt.Errorf("make the recording's file: %w", err)
	}
	size := gifSize(area.Size())
	s := &GIFSession{stop: make(chan struct{}), done: make(chan struct{}), started: time.Now(), file: f, size: size}
	fps := min(o.fps(), gifFPS)
	go s.run(ctx, grab, area, time.Second/time.Duration(fps), o.max())
	return s, nil
}

// gifSize is the size of a GIF's frames of an area of size: at most
// gifMaxWidth wide.
func gifSize(size image.Point) image.Point {
	if size.X > gifMaxWidth {
		return image.Pt(gifMaxWidth, max(1, size.Y*gifMaxWidth/size.X))
	}
	return size
}

// run reads frames until stopped, ctx ends or max has passed.
func (s *GIFSession) run(ctx context.Context, grab Grabber, area image.Rectangle, every, max time.Duration) {
	defer close(s.done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	cap := time.NewTimer(max)
	defer cap.Stop()
	var prev []byte
	last := time.Now()
	var zw *flate.Writer
	// The frame on show shows until the next read, and the last until
	// the end.
	shown := func(now time.Time) {
		s.mu.Lock()
		if n := len(s.frames); n > 0 {
			s.frames[n-1].shows += now.Sub(last)
		}
		s.mu.Unlock()
		last = now
	}
	defer func() { shown(time.Now()) }()
	for {
		img, err := grab(ctx, area)
		if err != nil {
			if ctx.Err() == nil {
				s.fail(fmt.Errorf("read the screen: %w", err))
			}
			return
		}
		if img.Rect.Size() != s.size {
			img = shrink.To(img, s.size.X, s.size.Y)
		}
		shown(time.Now())
		if prev != nil && bytes.Equal(prev, img.Pix) {
			// The same picture: the one before shows longer.
		} else {
			off, _ := s.file.Seek(0, io.SeekCurrent)
			var buf bytes.Buffer
			if zw == nil {
				zw, _ = flate.NewWriter(&buf, flate.BestSpeed)
			} else {
				zw.Reset(&buf)
			}
			zw.Write(img.Pix)
			zw.Close()
			if _, err := s.file.Write(buf.Bytes()); err != nil {
				s.fail(fmt.Errorf("keep the recording's frames: %w", err))
				return
			}
			s.mu.Lock()
			s.frames = append(s.frames, keptFrame{off: off, n: int64(buf.Len())})
			s.mu.Unlock()
			prev = append(prev[:0], img.Pix...)
		}
		select {
		case <-tick.C:
		case <-s.stop:
			return
		case <-ctx.Done():
			return
		case <-cap.C:
			return
		}
	}
}

func (s *GIFSession) fail(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// Done is closed when the recording has ended: stopped, at the cap, or
// failed.
func (s *GIFSession) Done() <-chan struct{} { return s.done }

// Elapsed is how long it has been recording.
func (s *GIFSession) Elapsed() time.Duration { return time.Since(s.started) }

// Finish stops the recording and makes the GIF, fitted to limit: fewer
// frames a second, then a smaller size, until it fits. The frames' file
// is removed.
func (s *GIFSession) Finish(ctx context.Context, limit int64) (Video, error) {
	select {
	case <-s.done:
	default:
		close(s.stop)
		<-s.done
	}
	defer func() {
		s.file.Close()
		os.Remove(s.file.Name())
	}()
	s.mu.Lock()
	err, frames := s.err, s.frames
	s.mu.Unlock()
	if err != nil {
		return Video{}, err
	}
	if len(frames) == 0 {
		return Video{}, ErrTooShort
	}
	if n := len(frames); frames[n-1].shows == 0 {
		frames[n-1].shows = time.Second / gifFPS
	}
	var total time.Duration
	for _, f := range frames {
		total += f.shows
	}
	pal, err := s.palette(frames)
	if err != nil {
		return Video{}, err
	}
	scale, step := 1.0, 1
	for try := 0; try < 8; try++ {
		size := image.Pt(max(2, int(float64(s.size.X)*scale)), max(2, int(float64(s.size.Y)*scale)))
		var out bytes.Buffer
		first, err := s.encode(&out, frames, pal, size, step, limit)
		if err != nil && !errors.Is(err, errOverLimit) {
			return Video{}, err
		}
		if err == nil {
			v := Video{Data: out.Bytes(), MIME: "image/gif", Size: size, Duration: total, First: shrink.Thumbnail(first, thumbSide)}
			if try > 0 {
				v.How = i18n.T("Made smaller to fit {{.limit}}: {{.width}}×{{.height}}, {{.fps}} frames a second.",
					"limit", explain.Size(limit), "width", size.X, "height", size.Y, "fps", max(1, gifFPS/step))
			}
			return v, nil
		}
		// Over: fewer frames first (down to 5 a second), then smaller.
		if step < 2 {
			step *= 2
		} else {
			scale *= 0.75
		}
	}
	return Video{}, i18n.Errorf("the recording could not be made to fit {{.limit}}", "limit", explain.Size(limit))
}

// errOverLimit stops an encoding as soon as it is over the limit.
var errOverLimit = errors.New("over the limit")

// read is the kept frame f.
func (s *GIFSession) read(f keptFrame, into []byte) ([]byte, error) {
	r := flate.NewReader(io.NewSectionReader(s.file, f.off, f.n))
	defer r.Close()
	into = into[:0]
	buf := bytes.NewBuffer(into)
	if _, err := io.Copy(buf, r); err != nil {
		return nil, fmt.Errorf("read the recording's frames: %w", err)
	}
	return buf.Bytes(), nil
}

// palette is one palette for every frame: the colours they use most,
// by median cut.
func (s *GIFSession) palette(frames []keptFrame) ([]uint32, error) {
	h := newHistogram()
	var pix []byte
	var err error
	// Every frame when there are few, an even sample of them when many.
	stride := max(1, len(frames)/64)
	for i := 0; i < len(frames); i += stride {
		if pix, err = s.read(frames[i], pix); err != nil {
			return nil, err
		}
		h.add(pix)
	}
	return h.cut(255), nil
}

// encode writes the GIF of the frames at size, every step-th frame
// (showing as long as the ones it stands for); it stops with
// errOverLimit once more than limit is written. first is the first
// frame.
func (s *GIFSession) encode(w *bytes.Buffer, frames []keptFrame, pal []uint32, size image.Point, step int, limit int64) (image.Image, error) {
	gw, err := newGIFWriter(w, size, colors(pal))
	if err != nil {
		return nil, err
	}
	m := newMapper(pal)
	var raw []byte
	var first image.Image
	prev := make([]byte, size.X*size.Y) // the indices on show
	cur := make([]byte, size.X*size.Y)
	for i := 0; i < len(frames); i += step {
		var shows time.Duration
		for j := i; j < min(i+step, len(frames)); j++ {
			shows += frames[j].shows
		}
		if raw, err = s.read(frames[i], raw); err != nil {
			return nil, err
		}
		img := &image.RGBA{Pix: raw, Stride: 4 * s.size.X, Rect: image.Rectangle{Max: s.size}}
		if size != s.size {
			img = shrink.To(img, size.X, size.Y)
		}
		if first == nil {
			first = cloneRGBA(img)
		}
		m.indices(img, cur)
		r := changed(prev, cur, size, i == 0)
		if r.Empty() {
			r = image.Rect(0, 0, 1, 1) // a frame must have a pixel: one shown as it was
		}
		sub := make([]byte, 0, r.Dx()*r.Dy())
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				k := y*size.X + x
				if i > 0 && cur[k] == prev[k] {
					sub = append(sub, transparent)
				} else {
					sub = append(sub, cur[k])
				}
			}
		}
		if err := gw.frame(r, sub, max(2, int((shows+5*time.Millisecond)/(10*time.Millisecond)))); err != nil {
			return nil, err
		}
		prev, cur = cur, prev
		copy(cur, prev)
		if int64(w.Len()) > limit {
			return nil, errOverLimit
		}
	}
	if err := gw.close(); err != nil {
		return nil, err
	}
	if int64(w.Len()) > limit {
		return nil, errOverLimit
	}
	return first, nil
}

// changed is the rectangle where cur differs from prev (all of it for
// the first frame).
func changed(prev, cur []byte, size image.Point, first bool) image.Rectangle {
	if first {
		return image.Rectangle{Max: size}
	}
	r := image.Rectangle{}
	for y := 0; y < size.Y; y++ {
		row := y * size.X
		if bytes.Equal(prev[row:row+size.X], cur[row:row+size.X]) {
			continue
		}
		x0, x1 := 0, size.X
		for x0 < x1 && prev[row+x0] == cur[row+x0] {
			x0++
		}
		for x1 > x0 && prev[row+x1-1] == cur[row+x1-1] {
			x1--
		}
		r = r.Union(image.Rect(x0, y, x1, y+1))
	}
	return r
}

func cloneRGBA(img *image.RGBA) *image.RGBA {
	c := image.NewRGBA(img.Rect)
	copy(c.Pix, img.Pix)
	return c
}
