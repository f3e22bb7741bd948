package daemon

import (
	"context"
	"time"

	"imagecx/action"
	"imagecx/history"
	"imagecx/hotkeys"
	"imagecx/i18n"
	"imagecx/notify"
	"imagecx/shot"
	"imagecx/tray"
	"imagecx/uploader"
)

// The upload queue is the history's table: a capture is recorded before it
// is queued, its upload is recorded as it goes, and what is saved, cut off
// or failed for a passing reason is found there again — at the next start
// after a crash, when a planned try comes due, when the network comes
// back, or when the person asks to retry. In memory are only the batches
// of this session waiting for the one upload at a time.

// batch is jobs that go to the server together: one action's captures, or
// the entries of the history that came due together.
type batch struct {
	jobs []shot.Job
}

// inMemory is how many waiting batches keep their bytes in memory; the
// others are read from their files when their turn comes.
const inMemory = 4

// enqueue queues jobs for upload: a capture during an upload waits, it is
// not dropped.
func (d *Daemon) enqueue(jobs []shot.Job) {
	var b batch
	for _, j := range jobs {
		if j.ID != 0 {
			if d.queued[j.ID] {
				continue // already waiting or on its way
			}
			d.queued[j.ID] = true
			if len(d.pending) >= inMemory && j.File != "" {
				j.Data, j.Thumb = nil, nil
			}
		}
		b.jobs = append(b.jobs, j)
	}
	if len(b.jobs) == 0 {
		d.show()
		return
	}
	d.pending = append(d.pending, b)
	d.next()
}

// next starts the next upload when none runs.
func (d *Daemon) next() {
	if d.uploading != nil || len(d.pending) == 0 {
		d.show()
		return
	}
	b := d.pending[0]
	d.pending = d.pending[1:]
	d.uploading = &b
	delivery := d.snap.Delivery
	deliveries := deliveriesOf(d.snap)
	d.sends <- func(ctx context.Context) event { // the worker is free: nothing else sends to it
		jobs, unread := d.load(ctx, b.jobs)
		if len(jobs) == 0 && len(unread) == 0 {
			// Every entry was sent since it was found due.
			sum := d.summary(ctx, delivery.Link)
			return func(d *Daemon) { d.delivered(b, shot.Outcome{}, 0, sum) }
		}
		out := d.deps.Pipe.DeliverEach(ctx, deliveries, jobs)
		if ctx.Err() != nil {
			return nil // quitting: the captures are on disk and in the history
		}
		out.Jobs = append(out.Jobs, jobsOf(unread)...)
		out.Failed = append(out.Failed, unread...)
		if out.Err == nil && len(unread) > 0 {
			out.Err = unread[0].Err
		}
		d.deps.Pipe.Copy(d.deps.Clip, &out)
		retryIn := d.plan(ctx, out)
		sum := d.summary(ctx, delivery.Link)
		return func(d *Daemon) { d.delivered(b, out, retryIn, sum) }
	}
	d.show()
}

// deliveriesOf is what each destination's uploads take: the settings'
// destination's Delivery, and the others' as the snapshot makes them.
func deliveriesOf(s Snapshot) func(context.Context, string) (shot.Delivery, error) {
	current := s.Config.Upload.Destination
	return func(ctx context.Context, dest string) (shot.Delivery, error) {
		if dest == current || s.DeliveryTo == nil {
			return s.Delivery, nil
		}
		return s.DeliveryTo(ctx, dest)
	}
}

// load reads the bytes of jobs that waited without them (entries found in
// the history); one whose file is gone fails for good, in the history too.
// An entry that no longer waits is left out: a drain that found it due
// can reach the loop after this worker sent it (the uploads and the
// reading of the history are different workers), and it is sent once.
func (d *Daemon) load(ctx context.Context, jobs []shot.Job) ([]shot.Job, []shot.Failure) {
	var ready []shot.Job
	var unread []shot.Failure
	for _, j := range jobs {
		if j.Data != nil {
			ready = append(ready, j)
			continue
		}
		e, err := d.deps.History.Get(ctx, j.ID)
		if err == nil && !e.Waits(time.Now()) {
			d.log.Info("no longer waiting", "id", j.ID, "state", string(e.State))
			continue
		}
		if err == nil {
			var loaded shot.Job
			if loaded, err = shot.JobFrom(e); err == nil {
				ready = append(ready, loaded)
				continue
			}
		}
		d.log.Warn("queued capture not readable", "id", j.ID, "err", err)
		d.deps.History.Fail(ctx, j.ID, err.Error(), true, time.Time{})
		unread = append(unread, shot.Failure{Job: j, Err: err})
	}
	return ready, unread
}

func jobsOf(fs []shot.Failure) []shot.Job {
	var out []shot.Job
	for _, f := range fs {
		out = append(out, f.Job)
	}
	return out
}

// plan sets when each passing failure of a delivery is tried again, in the
// history, and returns the soonest wait (0 when none is planned).
func (d *Daemon) plan(ctx context.Context, out shot.Outcome) time.Duration {
	var soonest time.Duration
	for _, f := range out.Failed {
		if f.Job.ID == 0 || !uploader.IsTemporary(f.Err) {
			continue
		}
		e, err := d.deps.History.Get(ctx, f.Job.ID)
		if err != nil {
			continue
		}
		wait := retryDelay(e.Attempts, d.retryDelays, uploader.RetryAfter(f.Err))
		if err := d.deps.History.Plan(ctx, e.ID, time.Now().Add(wait)); err != nil {
			d.log.Warn("next try not planned", "id", e.ID, "err", err)
			continue
		}
		d.log.Info("upload to be tried again", "id", e.ID, "in", wait.String())
		if soonest == 0 || wait < soonest {
			soonest = wait
		}
	}
	return soonest
}

// books is what the tray shows from the history.
type books struct {
	recent   []string // formatted links, newest first
	failed   int      // failed entries: "Retry failed uploads (N)"
	waiting  int      // passing failures planned to be tried again
	next     time.Time
	planned  bool // next is set
	readErrs error
}

// summary reads the history for the tray.
func (d *Daemon) summary(ctx context.Context, format uploader.LinkFormat) books {
	var b books
	h := d.deps.History
	recent, err := h.Recent(ctx, tray.MaxRecent)
	for _, e := range recent {
		b.recent = append(b.recent, uploader.FormatLink(e.Result(), format))
	}
	b.failed, _ = h.Failed(ctx)
	b.waiting, _ = h.Waiting(ctx)
	b.next, b.planned, _ = h.NextTry(ctx)
	b.readErrs = err
	return b
}

// delivered records an upload's outcome and tells the person.
func (d *Daemon) delivered(b batch, out shot.Outcome, retryIn time.Duration, sum books) {
	d.uploading = nil
	for _, j := range b.jobs {
		delete(d.queued, j.ID)
	}
	d.took(sum)
	if len(out.Jobs) > 0 { // else every entry had been sent already
		d.st.uploaded, d.st.last, d.st.copyErr = true, out.Err, out.CopyErr
		cfg := d.snap.Config
		if note, ok := resultNote(out, cfg.Notify, cfg.Sound, retryIn); ok {
			d.say(note)
		}
	}
	if len(d.pending) == 0 {
		// A 4K capture costs tens of MB: kept for a few seconds, they
		// make the next capture faster; then an idle tray app gives them
		// back.
		d.release.Reset(releaseAfter)
	}
	d.next()
}

// took puts what the history says on the tray and sets the timer for the
// next planned try.
func (d *Daemon) took(sum books) {
	if sum.readErrs != nil {
		d.log.Warn("history not read", "err", sum.readErrs)
	} else {
		d.recent = sum.recent
	}
	d.failed, d.retrying = sum.failed, sum.waiting
	d.wake.Stop()
	if sum.planned {
		d.wake.Reset(max(time.Until(sum.next), 0))
	}
	d.show()
}

// drain queues what the history says is due now: at the start (what a
// crash left), when a planned try comes due, after first doing what prep
// does to the history (retry the failed ones, wake the planned ones).
func (d *Daemon) drain(ctx context.Context, why string, prep func(ctx context.Context, h *history.Store) (int, error)) {
	format := d.snap.Delivery.Link
	d.submit(ctx, d.books, "", func(ctx context.Context) event {
		if prep != nil {
			if n, err := prep(ctx, d.deps.History); err != nil {
				d.log.Warn("history not updated", "why", why, "err", err)
			} else if n > 0 {
				d.log.Info("queued again", "why", why, "entries", n)
			}
		}
		due, err := d.deps.History.Due(ctx, time.Now())
		if err != nil {
			d.log.Warn("history not read", "err", err)
		}
		sum := d.summary(ctx, format)
		return func(d *Daemon) {
			d.took(sum)
			var jobs []shot.Job
			for _, e := range due {
				if !d.queued[e.ID] {
					jobs = append(jobs, shot.Job{ID: e.ID, Name: e.Name, File: e.File, FromClipboard: e.Source == history.FromClipboard})
				}
			}
			if len(jobs) > 0 {
				d.log.Info("uploads from the history", "why", why, "entries", len(jobs))
				d.enqueue(jobs)
			}
		}
	})
}

// retryFailed sends every failed upload again (the menu's "Retry failed
// uploads", a notification's Retry, `imagecx retry`).
func (d *Daemon) retryFailed(ctx context.Context) {
	d.drain(ctx, "retry asked", func(ctx context.Context, h *history.Store) (int, error) { return h.RetryFailed(ctx) })
}

// networkUp tries the planned uploads now: the network came back.
func (d *Daemon) networkUp(ctx context.Context) {
	d.drain(ctx, "network back", func(ctx context.Context, h *history.Store) (int, error) { return h.Wake(ctx, time.Now()) })
}

// show puts the state on the tray.
func (d *Daemon) show() {
	d.st.busy = d.uploading != nil
	d.st.uploads = len(d.pending)
	if d.uploading != nil {
		d.st.uploads++
		d.st.current = d.uploading.jobs[0].Name
	}
	d.st.retrying = d.retrying
	d.st.noKey, d.st.keyErr = d.snap.NoKey, d.snap.KeyErr
	icon, text := trayStatus(d.st)
	d.deps.Tray.Set(tray.State{Icon: icon, Status: text, Recent: d.recent, Failed: d.failed, Hotkeys: d.workingHotkeys()})
}

// workingHotkeys are the hotkeys to show in the menu: those that work,
// none while the desktop gives none (or has not said yet).
func (d *Daemon) workingHotkeys() map[action.ID]string {
	if !d.desk.keys {
		return nil
	}
	out := map[action.ID]string{}
	for id, combo := range d.snap.Config.Hotkeys {
		if combo != "" && d.failures[id] == "" {
			if h, err := hotkeys.Parse(combo); err == nil {
				out[id] = h.String()
			}
		}
	}
	return out
}

// copied confirms a link copied from Recent uploads.
func copiedNote(link string) notify.Note {
	return notify.Note{Title: i18n.T("Link copied"), Body: link, Urgency: notify.Low, Timeout: 3 * time.Second}
}
