package daemon

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/capture"
	"imagecx/internal/wlglobals"
	"imagecx/record"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/uploader"
)

// screenRecorder records the screen with package record (an MP4 with
// ffmpeg on X11, or a GIF read through the screen as captures are), into
// the state folder; the recording is fitted to the host's limit when it
// stops.
type screenRecorder struct {
	dir    string
	pipe   *shot.Pipeline
	screen capture.Screen // nil on Wayland
	// portal is the session bus of the ScreenCast portal (Wayland).
	portal func() (*dbus.Conn, error)
	// outputs are the compositor's outputs, where it says them (wlroots).
	outputs func(ctx context.Context) ([]wlglobals.Output, error)
}

func (s screenRecorder) Start(ctx context.Context, area image.Rectangle, on image.Point, outline bool, o record.Options) (Recording, error) {
	dir := s.dir
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	scr := record.Screen{TokenFile: filepath.Join(dir, "screencast-token"), Outputs: s.outputs, AreaOn: on}
	if s.screen != nil {
		scr.Grab = s.screen.Capture
	}
	if s.portal != nil {
		conn, err := s.portal()
		if err != nil {
			return nil, err
		}
		scr.Portal = conn
	}
	r, err := record.Start(ctx, scr, area, outline, dir, o)
	if err != nil {
		return nil, err
	}
	return screenRecording{r: r, dir: dir, pipe: s.pipe}, nil
}

func (s screenRecorder) Leftovers(ctx context.Context, o record.Options) ([]shot.Job, []error) {
	if s.dir == "" {
		return nil, nil
	}
	var jobs []shot.Job
	var errs []error
	for _, f := range record.Leftovers(s.dir, time.Now()) {
		v, err := record.Recover(ctx, f, uploader.MaxSize, s.dir, o)
		if err != nil {
			if !errors.Is(err, record.ErrTooShort) {
				errs = append(errs, err)
			}
			continue
		}
		jobs = append(jobs, s.pipe.Video(v.Data, v.MIME, v.Size, v.Duration, v.First))
	}
	return jobs, errs
}

type screenRecording struct {
	r    record.Recorder
	dir  string
	pipe *shot.Pipeline
}

func (r screenRecording) Done() <-chan struct{} { return r.r.Done() }

func (r screenRecording) Stop(ctx context.Context) (shot.Job, string, error) {
	v, err := r.r.Finish(ctx, uploader.MaxSize, r.dir)
	if err != nil {
		return shot.Job{}, "", err
	}
	return r.pipe.Video(v.Data, v.MIME, v.Size, v.Duration, v.First), v.How, nil
}

// recordOptions are the recording settings.
func recordOptions(r settings.Record) record.Options {
	return record.Options{FPS: r.FPS, Max: time.Duration(r.MaxSeconds) * time.Second, GIF: r.GIF, FFmpeg: r.FFmpeg}
}
