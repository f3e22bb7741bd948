// Package record records the screen, or a region of it, to a video that
// image.cx takes: frames stream to an encoder while the person records
// (nothing but the encoder's buffers is in memory), into a file that a
// crash leaves readable up to its last second (Matroska); Fit then makes
// of it an H.264 MP4 under the host's size limit, scaled down when the
// limit leaves too few bits for the size.
//
// On X11 the frames come from ffmpeg's x11grab (MIT-SHM, the pointer
// drawn, the region outlined on screen outside what is recorded). On
// Wayland (StartWayland) they come from the ScreenCast portal's PipeWire
// stream, read by GStreamer; the tests record a headless sway through the
// real xdg-desktop-portal-wlr this way.
package record

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/i18n"
	"imagecx/internal/wlglobals"
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
	GIF bool          // a GIF (StartGIF) instead of an MP4
	// FFmpeg is the ffmpeg program the person chose (Windows: an
	// ffmpeg.exe they downloaded); "" looks for it on the PATH.
	FFmpeg string
	// Limit is the most the video may be: Media Foundation's MP4 is
	// encoded for it from the start. 0 is DefaultLimit.
	Limit int64
}

// DefaultLimit is the host's limit on a file (uploader.MaxSize).
const DefaultLimit = 5 << 20

func (o Options) limit() int64 {
	if o.Limit <= 0 {
		return DefaultLimit
	}
	return o.Limit
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
	Enc      Encoder       // what made it; zero: the one on the PATH
}

// ErrNoEncoder means the program that encodes video is not installed.
var ErrNoEncoder error = i18n.Errorf("recording needs ffmpeg, which is not installed: install the ffmpeg package (sudo apt install ffmpeg)")

// ErrTooShort is a recording stopped before it had a frame.
var ErrTooShort error = i18n.Errorf("the recording was stopped before it had a frame")

// even is r made of an even width and height (H.264's 4:2:0 needs them),
// cut at its right and bottom edges.
func even(r image.Rectangle) image.Rectangle {
	return image.Rectangle{Min: r.Min, Max: r.Min.Add(image.Pt(r.Dx()&^1, r.Dy()&^1))}
}

// videoArea is area made even, or why it cannot be recorded as a video.
func videoArea(area image.Rectangle) (image.Rectangle, error) {
	area = even(area)
	if area.Dx() < 2 || area.Dy() < 2 {
		return area, fmt.Errorf("the area %v is too small to record", area)
	}
	return area, nil
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

// Recorder is a recording under way, MP4 or GIF.
type Recorder interface {
	// Done is closed when it ended by itself (the cap, a failure).
	Done() <-chan struct{}
	// Finish stops it and makes the video, fitted to limit, working in
	// dir; the files it made are removed.
	Finish(ctx context.Context, limit int64, dir string) (Video, error)
}

// Screen is where a recording's frames come from.
type Screen struct {
	// Grab reads the screen as captures do (X11, Windows): a GIF's
	// frames; nil on Wayland.
	Grab Grabber
	// Portal, on Wayland, is the session bus the ScreenCast portal is on;
	// TokenFile keeps its restore token, so that it asks once.
	Portal    *dbus.Conn
	TokenFile string
	// Outputs, where the compositor says them (wlroots desktops), places
	// a region on the cast's monitor; nil trusts the portal's report.
	Outputs func(ctx context.Context) ([]wlglobals.Output, error)
	// AreaOn, on Wayland, is the size of the desktop's screenshot a
	// region was chosen on (imagecx's overlay there), whose pixels may be
	// more than the layout's; zero when it was chosen in the layout.
	AreaOn image.Point
}

// Start records area of scr (all of it when area is empty, on Wayland):
// on Wayland from the ScreenCast portal's stream (a GIF or an MP4), else
// a GIF through scr.Grab when o.GIF, or an MP4 with ffmpeg's x11grab
// (with outline, the area framed on the screen).
func Start(ctx context.Context, scr Screen, area image.Rectangle, outline bool, dir string, o Options) (Recorder, error) {
	switch {
	case scr.Portal != nil:
		restore := ""
		if b, err := os.ReadFile(scr.TokenFile); err == nil && scr.TokenFile != "" {
			restore = strings.TrimSpace(string(b))
		}
		var outs []wlglobals.Output
		if scr.Outputs != nil && !area.Empty() {
			outs, _ = scr.Outputs(ctx) // without them, the portal's report
		}
		var rec Recorder
		var token string
		var err error
		where := CastArea{Rect: area, On: scr.AreaOn, Outputs: outs}
		if o.GIF {
			rec, token, err = StartWaylandGIF(ctx, scr.Portal, restore, where, dir, o)
		} else {
			var s *Session
			s, token, err = StartWayland(ctx, scr.Portal, restore, where, dir, o)
			rec = mp4Recorder{s}
		}
		if err != nil {
			return nil, err
		}
		if token != "" && scr.TokenFile != "" {
			os.WriteFile(scr.TokenFile, []byte(token+"\n"), 0o600)
		}
		return rec, nil
	case o.GIF:
		s, err := StartGIF(ctx, scr.Grab, area, dir, o)
		if err != nil {
			return nil, err
		}
		return gifRecorder{s}, nil
	case runtime.GOOS != "linux":
		// Windows: the frames read as captures are, encoded by the
		// ffmpeg.exe the person downloaded, else by Media Foundation.
		enc, err := FindEncoder(o.FFmpeg)
		if err != nil {
			if o.FFmpeg != "" {
				return nil, err // the chosen one is not there: said, not passed over
			}
			return startMF(ctx, scr.Grab, area, dir, o)
		}
		s, err := StartFed(ctx, enc, scr.Grab, area, dir, o)
		if err != nil {
			return nil, err
		}
		return mp4Recorder{s}, nil
	}
	s, err := StartX11(ctx, "", area, outline, dir, o)
	if err != nil {
		return nil, err
	}
	return mp4Recorder{s}, nil
}

// ErrNoH264 is an MP4 asked for where no ffmpeg was found (Windows,
// macOS): what to get, and the GIF that needs nothing.
var ErrNoH264 error = i18n.Errorf("MP4 recordings need ffmpeg (no H.264 encoder was found): download it from ffmpeg.org and choose ffmpeg.exe in Settings → General, or record a GIF instead (GIF in the same place, or --gif), which needs nothing else")

type gifRecorder struct{ s *GIFSession }

func (g gifRecorder) Done() <-chan struct{} { return g.s.Done() }
func (g gifRecorder) Finish(ctx context.Context, limit int64, _ string) (Video, error) {
	return g.s.Finish(ctx, limit)
}

type mp4Recorder struct{ s *Session }

func (m mp4Recorder) Done() <-chan struct{} { return m.s.Done() }
func (m mp4Recorder) Finish(ctx context.Context, limit int64, dir string) (Video, error) {
	return Finish(ctx, m.s, limit, dir)
}
