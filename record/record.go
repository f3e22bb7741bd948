// Package record records the screen, or a region of it, to a video that
// image.cx takes: frames stream to an encoder while the person records
// (nothing but the encoder's buffers is in memory), into a file that a
// crash leaves readable up to its last second (Matroska); Fit then makes
// of it an H.264 MP4 under the host's size limit, scaled down when the
// limit leaves too few bits for the size.
//
// On X11 the frames come from ffmpeg's x11grab (MIT-SHM, the pointer
// drawn, the region outlined on screen outside what is recorded).
package record

import (
	"errors"
	"fmt"
	"image"
	"os/exec"
	"time"

	"imagecx/i18n"
)

// Defaults.
const (
	DefaultFPS = 30
	DefaultMax = 60 * time.Second
)

// Options are what a recording takes from the settings.
type Options struct {
	FPS int           // frames a second; 0 is DefaultFPS
	Max time.Duration // the recording stops by itself after Max; 0 is DefaultMax
}

func (o Options) fps() int {
	if o.FPS <= 0 {
		return DefaultFPS
	}
	return min(o.FPS, 60)
}

func (o Options) max() time.Duration {
	if o.Max <= 0 {
		return DefaultMax
	}
	return o.Max
}

// Raw is a finished recording, before it is fitted.
type Raw struct {
	File     string        // Matroska, H.264
	Size     image.Point   // its frames' size
	Duration time.Duration // as measured while recording
	FPS      int           // the frames a second it was recorded at
}

// ErrNoEncoder means the program that encodes video is not installed.
var ErrNoEncoder error = i18n.Errorf("recording needs ffmpeg, which is not installed: install the ffmpeg package (sudo apt install ffmpeg)")

// ErrTooShort is a recording stopped before it had a frame.
var ErrTooShort error = i18n.Errorf("the recording was stopped before it had a frame")

// ffmpeg is the encoder's path, or ErrNoEncoder.
func ffmpeg() (string, error) {
	p, err := exec.LookPath("ffmpeg")
	if err != nil {
		return "", ErrNoEncoder
	}
	return p, nil
}

// even is r made of an even width and height (H.264's 4:2:0 needs them),
// cut at its right and bottom edges.
func even(r image.Rectangle) image.Rectangle {
	return image.Rectangle{Min: r.Min, Max: r.Min.Add(image.Pt(r.Dx()&^1, r.Dy()&^1))}
}

// failed is an encoder failure with what it said last.
func failed(what string, err error, said []byte) error {
	if len(said) > 0 {
		return fmt.Errorf("%s: %w: %s", what, err, lastLine(said))
	}
	return fmt.Errorf("%s: %w", what, err)
}

// lastLine is the last line of text that is not empty.
func lastLine(b []byte) string {
	end := len(b)
	for end > 0 && (b[end-1] == '\n' || b[end-1] == '\r' || b[end-1] == ' ') {
		end--
	}
	start := end
	for start > 0 && b[start-1] != '\n' && b[start-1] != '\r' {
		start--
	}
	return string(b[start:end])
}

var errStopped = errors.New("stopped")
