package daemon

import (
	"context"
	"image"
	"os"
	"time"

	"imagecx/record"
	"imagecx/shot"
	"imagecx/uploader"
)

// screenRecorder records the X11 screen with package record, into the
// state folder (the recording is fitted to the host's limit when it
// stops).
type screenRecorder struct {
	dir  string
	pipe *shot.Pipeline
}

func (s screenRecorder) Start(ctx context.Context, area image.Rectangle, outline bool, o record.Options) (Recording, error) {
	dir := s.dir
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	sess, err := record.StartX11(ctx, "", area, outline, dir, o)
	if err != nil {
		return nil, err
	}
	return screenRecording{sess: sess, dir: dir, pipe: s.pipe}, nil
}

type screenRecording struct {
	sess *record.Session
	dir  string
	pipe *shot.Pipeline
}

func (r screenRecording) Done() <-chan struct{} { return r.sess.Done() }

func (r screenRecording) Stop(ctx context.Context) (shot.Job, string, error) {
	v, err := record.Finish(ctx, r.sess, uploader.MaxSize, r.dir)
	if err != nil {
		return shot.Job{}, "", err
	}
	return r.pipe.Video(v.Data, v.Size, v.First), v.How, nil
}

// recordOptions are the recording settings of the snapshot now.
func recordOptions(fps, maxSeconds int) record.Options {
	return record.Options{FPS: fps, Max: time.Duration(maxSeconds) * time.Second}
}
