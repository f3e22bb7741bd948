package daemon

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"time"

	"imagecx/action"
	"imagecx/capture"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/notify"
	"imagecx/record"
	"imagecx/shot"
)

// Recorder records the screen (package record); nil where it cannot.
type Recorder interface {
	// Start records area; with outline, a frame around it on the screen
	// (not in the video) shows what is recorded. On is the size of the
	// desktop's screenshot area was chosen on, if it was (Wayland: see
	// record.Screen's AreaOn). The recording ends when ctx does (the app
	// quits), kept up to then.
	Start(ctx context.Context, area image.Rectangle, on image.Point, outline bool, o record.Options) (Recording, error)
	// Leftovers are the videos of recordings that were cut off (the app
	// stopped while recording), made from what they hold.
	Leftovers(ctx context.Context, o record.Options) ([]shot.Job, []error)
}

// Recording is a recording under way.
type Recording interface {
	// Done is closed when it ended by itself (its cap, a failure).
	Done() <-chan struct{}
	// Stop ends it and returns the video, fitted to the host, as a job to
	// save and upload; how says what was done to fit it ("" for nothing).
	Stop(ctx context.Context) (job shot.Job, how string, err error)
}

// recording is the one recording under way (owned by the loop).
type recording struct {
	id       action.ID
	src      history.Source
	r        Recording // nil while it starts
	started  time.Time
	stopping bool
	tick     Timer // the tooltip's clock
	gen      int   // the recording's number, to name its notes
}

// record starts recording (the screen's area, or a region from the
// overlay), or stops the recording under way: the record actions and
// their hotkey toggle.
func (d *Daemon) record(ctx context.Context, id action.ID, src history.Source) {
	if d.rec != nil {
		d.stopRecording(ctx)
		return
	}
	if d.deps.Recorder == nil {
		d.say(failureNote(id, errNoRecording))
		return
	}
	if d.deps.Pipe.Screen == nil { // Wayland: the desktop's screen cast
		if id != action.RecordRegion {
			d.startRecording(ctx, id, src, image.Rectangle{}, image.Point{}, false)
			return
		}
		choose := d.deps.ChooseArea
		if choose == nil {
			d.say(failureNote(id, errNoRegionRecording))
			return
		}
		if d.picking { // one chooser at a time, as the overlay
			return
		}
		d.picking = true
		d.go_(ctx, func(ctx context.Context) {
			area, on, err := choose(ctx)
			d.post(ctx, func(d *Daemon) {
				d.picking = false
				switch {
				case ctx.Err() != nil:
				case errors.Is(err, capture.ErrCancelled):
					d.log.Info("region cancelled")
				case err != nil:
					d.say(failureNote(id, err))
				default:
					d.startRecording(ctx, id, src, area, on, false)
				}
			})
		})
		return
	}
	if id == action.RecordRegion {
		d.pick(ctx, id, src, true)
		return
	}
	setup := d.snap.Setup
	screen := d.deps.Pipe.Screen
	d.submit(ctx, d.screen, id, func(ctx context.Context) event {
		area, err := capture.Area(screen, setup.Mode)
		return func(d *Daemon) {
			if err != nil {
				d.say(failureNote(id, err))
				return
			}
			d.startRecording(ctx, id, src, area, image.Point{}, false)
		}
	})
}

// recordChoice is what Record starts: as the last recording did, the
// screen before any; the screen where regions cannot be recorded.
func (d *Daemon) recordChoice() action.ID {
	if d.lastRec == action.RecordRegion && (d.deps.Pipe.Screen != nil || d.deps.ChooseArea != nil) {
		return action.RecordRegion
	}
	return action.RecordScreen
}

// lastRecordingFile keeps the last recording's choice in the state folder.
const lastRecordingFile = "last-recording"

// LastRecording is the choice the last recording made (RecordScreen or
// RecordRegion), kept in dir; "" when none is kept.
func LastRecording(dir string) action.ID {
	if dir == "" {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(dir, lastRecordingFile))
	if err != nil {
		return ""
	}
	switch id := action.ID(strings.TrimSpace(string(data))); id {
	case action.RecordScreen, action.RecordRegion:
		return id
	}
	return ""
}

// rememberRecording keeps id as the choice Record starts next time, in
// the state folder as well when it changed.
func (d *Daemon) rememberRecording(ctx context.Context, id action.ID) {
	if d.lastRec == id {
		return
	}
	d.lastRec = id
	dir := d.deps.StateDir
	if dir == "" {
		return
	}
	d.go_(ctx, func(context.Context) {
		err := os.MkdirAll(dir, 0o700)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, lastRecordingFile), []byte(string(id)+"\n"), 0o600)
		}
		if err != nil {
			d.log.Warn("last recording's choice not kept", "err", err)
		}
	})
}

var (
	errNoRecording       error = i18n.Errorf("recording the screen is not available on this desktop yet")
	errNoRegionRecording error = i18n.Errorf("recording a region is not available on this desktop yet: Record screen… records the whole monitor")
)

// startRecording starts the recorder on area (chosen on a screenshot of
// size on, if it was).
func (d *Daemon) startRecording(ctx context.Context, id action.ID, src history.Source, area image.Rectangle, on image.Point, outline bool) {
	if d.rec != nil {
		return
	}
	d.recordings++
	d.rememberRecording(ctx, id)
	rec := &recording{id: id, src: src, gen: d.recordings}
	d.rec = rec
	d.log.Info("recording starts", "area", area.String())
	o := recordOptions(d.snap.Config.Record)
	d.go_(ctx, func(ctx context.Context) {
		r, err := d.deps.Recorder.Start(ctx, area, on, outline, o)
		d.post(ctx, func(d *Daemon) {
			if err != nil {
				d.rec = nil
				d.log.Error("recording not started", "err", err)
				d.say(failureNote(id, err))
				d.show()
				return
			}
			rec.r, rec.started = r, d.clock.Now()
			d.say(recordingNote(rec, cmp.Or(d.snap.Config.Hotkeys[action.Record], d.snap.Config.Hotkeys[id]), d.snap.Config.Record.MaxSeconds))
			d.tickRecording(ctx, rec)
			// Ended by itself (the cap): saved and uploaded as if stopped.
			// It waits as long as the recording runs: served, not work
			// in hand.
			d.serve(ctx, func(ctx context.Context) {
				select {
				case <-r.Done():
					d.post(ctx, func(d *Daemon) {
						if d.rec == rec {
							d.stopRecording(ctx)
						}
					})
				case <-ctx.Done():
				}
			})
		})
	})
	d.show()
}

// tickRecording shows the recording's time in the tooltip, every second.
func (d *Daemon) tickRecording(ctx context.Context, rec *recording) {
	d.show()
	rec.tick = d.clock.AfterFunc(time.Second, func() {
		d.post(ctx, func(d *Daemon) {
			if d.rec == rec && !rec.stopping {
				d.tickRecording(ctx, rec)
			}
		})
	})
}

// stopRecording ends the recording, then saves it, records it in the
// history and queues its upload as a capture is.
func (d *Daemon) stopRecording(ctx context.Context) {
	rec := d.rec
	if rec == nil || rec.stopping || rec.r == nil {
		return
	}
	rec.stopping = true
	if rec.tick != nil {
		rec.tick.Stop()
	}
	d.show()
	setup := d.snap.Setup
	// Fitting takes seconds: not on the screen worker, which captures.
	d.go_(ctx, func(ctx context.Context) {
		job, how, err := rec.r.Stop(ctx)
		d.post(ctx, func(d *Daemon) {
			if d.rec == rec {
				d.rec = nil
				d.show()
			}
			if err != nil {
				d.log.Error("recording failed", "err", err)
				d.say(failureNote(rec.id, err))
				return
			}
			d.log.Info("recording stopped", "bytes", len(job.Data), "fitted", how != "")
			if how != "" {
				d.say(notify.Note{Title: i18n.T("Recording made to fit"), Body: how, Replace: recordingPlace(rec)})
			}
			d.shoot(ctx, rec.id, rec.src, func(context.Context) ([]shot.Job, error) {
				return []shot.Job{d.deps.Pipe.Save(setup, job)}, nil
			})
		})
	})
}

// recordingPlace is the recording's notes' place: each takes the one
// before's.
func recordingPlace(rec *recording) string { return fmt.Sprintf("rec-%d", rec.gen) }

// recordingNote says the recording runs, with a button that stops it.
func recordingNote(rec *recording, hotkey string, maxSeconds int) notify.Note {
	body := i18n.T("Stop recording in the tray menu ends it.")
	if hotkey != "" {
		body = i18n.T("{{.hotkey}} or Stop recording in the tray menu ends it.", "hotkey", hotkey)
	}
	if maxSeconds > 0 {
		body += " " + i18n.T("It stops by itself after {{.n}} s.", "n", maxSeconds)
	}
	return notify.Note{Title: i18n.T("Recording the screen"), Body: body, Urgency: notify.Low,
		Replace: recordingPlace(rec), Tag: tag("rec", []int64{int64(rec.gen)}),
		Timeout: time.Duration(max(maxSeconds, 1)) * time.Second,
		Actions: []notify.Action{{Key: actStop, Label: i18n.T("Stop")}}}
}

// elapsed is a recording's time as a clock shows it: "0:07", "1:02".
func elapsed(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// recoverRecordings keeps what recordings cut off by the app's end hold:
// saved in the captures folder and in the history, not uploaded (the
// person did not stop them), and said.
func (d *Daemon) recoverRecordings(ctx context.Context) {
	if d.deps.Recorder == nil {
		return
	}
	setup, dest, o := d.snap.Setup, d.snap.Config.Upload.Destination, recordOptions(d.snap.Config.Record)
	d.go_(ctx, func(ctx context.Context) {
		jobs, errs := d.deps.Recorder.Leftovers(ctx, o)
		for i := range jobs {
			jobs[i] = d.deps.Pipe.Save(setup, jobs[i])
		}
		var recErr error
		if len(jobs) > 0 {
			_, recErr = d.out.Add(ctx, jobs, dest, history.FromHotkey, history.Recovered)
		}
		d.post(ctx, func(d *Daemon) {
			for _, err := range errs {
				d.log.Warn("a cut-off recording could not be kept", "err", err)
			}
			for _, j := range jobs {
				d.log.Info("cut-off recording kept", "file", j.File)
				body := i18n.T("imagecx stopped while it was recording. What was recorded is saved at {{.file}} and in the history, not uploaded.", "file", j.File)
				if j.SaveErr != nil {
					body = explain.Error(j.SaveErr)
				}
				d.say(notify.Note{Title: i18n.T("A recording was kept"), Body: body})
			}
			if recErr != nil {
				d.say(unrecordedNote(recErr))
			}
		})
	})
}
