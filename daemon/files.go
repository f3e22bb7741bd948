package daemon

import (
	"context"
	"time"

	"imagecx/action"
	"imagecx/choose"
	"imagecx/programs"
	"strings"

	"imagecx/explain"
	"imagecx/filetype"
	"imagecx/fromlink"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/notify"
	"imagecx/outbox"
	"imagecx/shot"
	"imagecx/uploader"
)

// givenMax is the most a file or link given to the tray app may hold: an
// image over the host's limit is fitted as a capture is.
const givenMax = 200 << 20

// fitsOrFitted refuses what is over image.cx's limit and cannot be fitted
// (a video): only images are converted to fit.
func fitsOrFitted(data []byte) error {
	if n := int64(len(data)); n > uploader.MaxSize && !strings.HasPrefix(filetype.Sniff(data), "image/") {
		return uploader.TooLarge(n, uploader.MaxSize)
	}
	return nil
}

// Files handed over one hand-off after another are one batch when each
// comes within gatherFor of the one before (Windows Explorer runs its
// verb once per selected file), up to gatherMost after the first.
const (
	gatherFor  = 600 * time.Millisecond
	gatherMost = 3 * time.Second
)

// gather holds handed files a moment for more to join them, then
// uploads them all as one batch.
func (d *Daemon) gather(ctx context.Context, files []string) {
	if len(d.gathered) == 0 {
		d.gatherFrom = d.clock.Now()
	}
	d.gathered = append(d.gathered, files...)
	d.gatherGen++
	gen := d.gatherGen
	flush := func(d *Daemon) {
		if gen != d.gatherGen || len(d.gathered) == 0 {
			return // more came since: the later one flushes
		}
		all := d.gathered
		d.gathered = nil
		d.uploadFiles(ctx, all)
	}
	if d.clock.Now().Sub(d.gatherFrom) >= gatherMost {
		flush(d)
		return
	}
	d.inHand.add() // a moment's wait, not a planned try: work in hand
	d.clock.AfterFunc(gatherFor, func() {
		defer d.inHand.done()
		d.post(ctx, flush)
	})
}

// uploadFiles reads the files and links the person gave (a file
// manager's Open With, through `imagecx open`) and uploads them as one
// batch. What cannot be read is said, the rest goes ahead.
func (d *Daemon) uploadFiles(ctx context.Context, files []string) {
	dest := d.snap.Config.Upload.Destination
	pipe := d.deps.Pipe
	d.log.Info("files to upload as one batch", "files", len(files))
	d.submit(ctx, d.reads, "", func(ctx context.Context) event {
		var paths, said []string
		var jobs []shot.Job
		var titles []string
		for _, f := range files {
			if !fromlink.Is(f) {
				paths = append(paths, f)
				continue
			}
			got, err := fromlink.Fetch(ctx, f, givenMax, nil)
			if err == nil {
				err = fitsOrFitted(got.Data)
			}
			if err != nil {
				said = append(said, explain.Error(err))
				continue
			}
			jobs = append(jobs, pipe.Described(shot.Job{Name: got.Name, Data: got.Data, MIME: got.MIME, Given: true}))
			titles = append(titles, got.Title)
		}
		if len(paths) > 0 {
			read, errs := pipe.ReadFiles(paths)
			jobs = append(jobs, read...)
			titles = append(titles, make([]string, len(read))...)
			for _, err := range errs {
				said = append(said, explain.Error(err))
			}
		}
		var added []outbox.Job
		var recErr error
		if len(jobs) > 0 {
			added, recErr = d.out.Add(ctx, jobs, dest, history.FromFiles, history.Saved)
			for i := range added {
				added[i].Title = titles[i]
			}
		}
		return func(d *Daemon) {
			if len(said) > 0 {
				title := i18n.T("Not every file can be uploaded")
				if len(jobs) == 0 {
					title = i18n.T("Nothing to upload")
				}
				d.say(notify.Note{Title: title, Body: strings.Join(said, "\n"), Urgency: notify.Normal})
			}
			if recErr != nil {
				d.say(unrecordedNote(recErr))
			}
			d.enqueue(added)
		}
	})
}

// chooseFiles asks for files with the desktop's file chooser and uploads
// them as one batch; one chooser at a time.
func (d *Daemon) chooseFiles(ctx context.Context) {
	if d.deps.ChooseFiles == nil {
		d.say(failureNote(action.UploadFiles, choose.ErrUnavailable))
		return
	}
	if d.choosing {
		return
	}
	d.choosing = true
	d.go_(ctx, func(ctx context.Context) {
		files, err := d.deps.ChooseFiles(ctx)
		d.post(ctx, func(d *Daemon) {
			d.choosing = false
			switch {
			case err != nil:
				d.log.Error("no files chosen", "err", err)
				d.say(failureNote(action.UploadFiles, err))
			case len(files) > 0:
				d.log.Info("files chosen", "files", len(files))
				d.uploadFiles(ctx, files)
			}
		})
	})
}

// askLink opens the window that asks for an image's link (the
// clipboard's, if it holds one); it hands the link back as `imagecx open`
// does.
func (d *Daemon) askLink(ctx context.Context) {
	if d.deps.OpenWindow == nil {
		d.say(failureNote(action.UploadLink, i18n.Errorf("the link window is not available here")))
		return
	}
	d.go_(ctx, func(ctx context.Context) {
		if err := d.deps.OpenWindow(ctx, programs.History, "--link"); err != nil && ctx.Err() == nil {
			d.log.Error("link window not opened", "err", err)
			d.post(ctx, d.sayLater(failureNote(action.UploadLink, err)))
		}
	})
}
