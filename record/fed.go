package record

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"

	"imagecx/internal/shrink"
)

// StartFed records area of the screen through grab, read as captures
// are, its frames fed to ffmpeg as they come (Windows: no reader of
// ffmpeg's own is needed) and encoded as StartX11's are. Each frame goes
// with the time it was read (rawMatroska): one read late shows until the
// next, so the video lasts as long as the recording did, and a screen too
// big to read (or pipe) at the frame rate gets fewer frames, not a
// shorter video. Stop, ctx's end and o's cap each end the feed, and
// ffmpeg then finishes the file.
func StartFed(ctx context.Context, enc Encoder, grab Grabber, area image.Rectangle, dir string, o Options) (*Session, error) {
	if grab == nil {
		return nil, errors.New("no screen to record")
	}
	area, err := videoArea(area)
	if err != nil {
		return nil, err
	}
	fps := o.fps()
	in := []string{"-f", "matroska", "-i", "pipe:0"}
	// The feed, not a signal, ends ffmpeg (Windows has none to send),
	// and its clock the recording: ffmpeg's own cap is later, so as not
	// to drop the last frame, which comes at the cap.
	late := o
	late.Max = o.max() + 5*time.Second
	s, err := start(context.WithoutCancel(ctx), enc, in, nil, dir, late)
	if err != nil {
		return nil, err
	}
	// Stopped, the feed ends after the frame it is writing (one that
	// ffmpeg never takes is ended by Stop's kill).
	stop := make(chan struct{})
	s.mu.Lock()
	s.stopWith = func() { close(stop) }
	s.mu.Unlock()
	go func() {
		defer s.stdin.Close()
		mkv, err := newRawMatroska(s.stdin, area.Dx(), area.Dy())
		if err != nil {
			return // ffmpeg ended (its own words are the failure)
		}
		err = feed(ctx, grab, area, area.Size(), time.Second/time.Duration(fps), o.max(), stop, func(at time.Duration, _ *image.RGBA, pix []byte) error {
			if err := mkv.frame(at, pix); err != nil {
				return errEncoderGone
			}
			return nil
		})
		if err != nil && !errors.Is(err, errEncoderGone) {
			s.mu.Lock()
			s.feedErr = err
			s.mu.Unlock()
		}
	}()
	return s, nil
}

// errEncoderGone is ffmpeg ended while frames were fed to it: its own
// words are the failure.
var errEncoderGone = errors.New("the encoder ended")

// feed reads area's frames, one every every, made size, and hands each to
// sink with its time from the first (pix: its pixels row after row),
// until stop, ctx's end or limit; then the last frame once more, timed
// then, so that it shows until the recording stopped. A sink's error
// ends it.
func feed(ctx context.Context, grab Grabber, area image.Rectangle, size image.Point, every, limit time.Duration, stop <-chan struct{},
	sink func(at time.Duration, img *image.RGBA, pix []byte) error) error {
	var t0 time.Time
	var deadline <-chan time.Time
	n := 0 // the frame's place in time
	var buf []byte
	for {
		img, err := grab(ctx, area)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("read the screen: %w", err)
		}
		if img.Rect.Size() != size {
			img = shrink.To(img, size.X, size.Y)
		}
		if deadline == nil {
			t0 = time.Now()
			cap := time.NewTimer(limit)
			defer cap.Stop()
			deadline = cap.C
		}
		last := rows(img, &buf)
		if err := sink(time.Since(t0), img, last); err != nil {
			return err
		}
		// The next frame's time; those that reading this one took are
		// skipped.
		n = max(n+1, int(time.Since(t0)/every)+1)
		wait := time.NewTimer(time.Until(t0.Add(time.Duration(n) * every)))
		select {
		case <-wait.C:
			continue
		case <-stop:
		case <-ctx.Done():
		case <-deadline:
		}
		wait.Stop()
		return sink(min(time.Since(t0), limit), img, last)
	}
}

// rows are img's pixels, row after row with nothing between (buf when
// img's rows are apart).
func rows(img *image.RGBA, buf *[]byte) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if img.Stride == 4*w {
		return img.Pix[:4*w*h]
	}
	*buf = (*buf)[:0]
	for y := range h {
		*buf = append(*buf, img.Pix[y*img.Stride:y*img.Stride+4*w]...)
	}
	return *buf
}
