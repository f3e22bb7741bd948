package daemon

import (
	"context"
	"imagecx/clipboard"
	"strconv"
	"strings"
	"sync"
	"time"

	"imagecx/action"
	"imagecx/hotkeys"
	"imagecx/i18n"
	"imagecx/notify"
	"imagecx/outbox"
	"imagecx/tray"
)

// The upload queue is the outbox's (the history's table): a capture is
// recorded before it is queued, its upload is recorded as it goes, and
// what is saved, cut off or failed for a passing reason is found there
// again — at the next start after a crash, when a planned try comes due,
// when the network comes back, or when the person asks to retry. In
// memory are only the batches of this session waiting for the one upload
// at a time: the daemon's loop decides when, the outbox does the rest.

// batch is jobs that go to the server together: one action's captures, or
// the entries of the history that came due together.
type batch struct {
	jobs []outbox.Job
	// Of the batch being uploaded, owned by the loop: how far it is, and
	// its cancel ("Cancel the rest"); key names its notifications.
	progress outbox.Progress
	cancel   context.CancelCauseFunc
	key      string
	// late marks uploads the app tries again by itself (a planned try,
	// the network back, the next start): their links replace only what
	// the app itself last put on the clipboard.
	late bool
}

// many says whether b is shown as a batch: its progress, and the rest
// may be cancelled.
func (b *batch) many() bool { return len(b.jobs) > 1 }

// progressEvery is how often a batch's progress is shown at most (a file
// finished is shown at once).
const progressEvery = time.Second

// inMemory is how many waiting batches keep their bytes in memory; the
// others are read from their files when their turn comes.
const inMemory = 4

// enqueue queues jobs for upload: a capture during an upload waits, it is
// not dropped.
func (d *Daemon) enqueue(jobs []outbox.Job) { d.enqueueAs(jobs, false) }

// enqueueAs is enqueue, for uploads tried again by the app itself when
// late.
func (d *Daemon) enqueueAs(jobs []outbox.Job, late bool) {
	b := batch{late: late}
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

// next starts the next upload when none runs: the outbox sends it, the
// links go to the clipboard, and what the tray shows is read again.
func (d *Daemon) next() {
	if d.uploading != nil || len(d.pending) == 0 {
		d.show()
		return
	}
	b := d.pending[0]
	d.pending = d.pending[1:]
	d.batches++
	b.key = "batch-" + strconv.Itoa(d.batches)
	stopped, cancel := context.WithCancelCause(context.Background())
	b.cancel = cancel
	d.uploading = &b
	link := d.snap.Delivery.Link
	deliveries := deliveriesOf(d.snap)
	d.inHand.add()
	d.sends <- func(ctx context.Context) event { // the worker is free: nothing else sends to it
		sctx, stop := context.WithCancelCause(ctx) // the daemon's, or the person's cancel
		defer stop(nil)
		defer context.AfterFunc(stopped, func() { stop(context.Cause(stopped)) })()
		var watch func(outbox.Progress)
		if b.many() {
			watch = d.watchBatch(ctx)
		}
		out := d.out.SendWatched(sctx, deliveries, b.jobs, watch)
		if ctx.Err() != nil {
			return nil // quitting: the captures are on disk and in the history
		}
		switch {
		case len(out.Jobs) == 0:
		case b.late && len(out.Links) > 0 && !d.clipStillOurs(ctx), len(out.Links) > 0 && d.imageChosen(out.Jobs):
			// The person copied something since (or the capture itself,
			// from its thumbnail): the link waits for them (the
			// notification's Copy link) instead.
			out.NotCopied = true
		default:
			d.out.Copy(d.deps.Clip, &out)
			if len(out.Links) > 0 && out.CopyErr == nil {
				d.copied(strings.Join(out.Links, "\n"))
			}
		}
		sum := d.out.Summary(ctx, tray.MaxRecent, link)
		return func(d *Daemon) { d.delivered(b, out, sum) }
	}
	d.show()
}

// watchBatch hands a batch's progress to the loop, a file finished at
// once, the bytes at most every progressEvery.
func (d *Daemon) watchBatch(ctx context.Context) func(outbox.Progress) {
	var mu sync.Mutex
	var last time.Time
	done := -1
	return func(p outbox.Progress) {
		mu.Lock()
		now := d.clock.Now()
		show := p.Done != done || now.Sub(last) >= progressEvery
		if show {
			done, last = p.Done, now
		}
		mu.Unlock()
		if show {
			d.post(ctx, func(d *Daemon) { d.progressed(p) })
		}
	}
}

// progressed shows how far the batch being uploaded is: on the tray, and
// in one notification updated in place, with Cancel the rest.
func (d *Daemon) progressed(p outbox.Progress) {
	b := d.uploading
	if b == nil || p.Done >= p.All {
		return // its outcome is on its way
	}
	b.progress = p
	d.show()
	d.say(progressNote(p, b.key, tag("batch", idsOf(b.jobs))))
}

// cancelRest cancels what the batch being uploaded has not sent: the file
// on its way is cut off, and the rest wait in the history for Retry.
func (d *Daemon) cancelRest() {
	if b := d.uploading; b != nil && b.many() {
		d.log.Info("the rest of the batch cancelled", "files", len(b.jobs))
		b.cancel(outbox.ErrCancelled)
	}
}

// deliveriesOf is what each destination's uploads take: the settings'
// destination's Delivery, and the others' as the snapshot makes them.
func deliveriesOf(s Snapshot) outbox.Deliveries {
	current := s.Config.Upload.Destination
	return func(ctx context.Context, dest string) (outbox.Delivery, error) {
		if dest == current || s.DeliveryTo == nil {
			return s.Delivery, nil
		}
		return s.DeliveryTo(ctx, dest)
	}
}

// delivered records an upload's outcome and tells the person.
func (d *Daemon) delivered(b batch, out outbox.Outcome, sum outbox.Books) {
	d.uploading = nil
	b.cancel(nil)
	for _, j := range b.jobs {
		delete(d.queued, j.ID)
	}
	d.took(sum)
	if len(out.Jobs) > 0 { // else every entry had been sent already
		d.st.uploaded, d.st.last, d.st.copyErr = true, out.Err, out.CopyErr
		cfg := d.snap.Config
		note, ok := resultNote(out, cfg.Notify, cfg.Sound)
		if len(out.Jobs) == 1 && out.Jobs[0].ID != 0 {
			// In the place of the capture's earlier note (a failure that
			// said it would try again): that news is stale.
			note.Replace = "entry-" + strconv.FormatInt(out.Jobs[0].ID, 10)
		}
		if b.many() {
			// In the progress note's place, shown whatever the settings:
			// the progress said a result would come.
			note.Replace, ok = b.key, true
		}
		if ok {
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
func (d *Daemon) took(sum outbox.Books) {
	if sum.Err != nil {
		d.log.Warn("history not read", "err", sum.Err)
	} else {
		d.recent = sum.Recent
	}
	d.failed, d.retrying = sum.Failed, sum.Waiting
	d.wake.Stop()
	if sum.Planned {
		d.wake.Reset(max(sum.Next.Sub(d.clock.Now()), 0))
	}
	d.show()
}

// drain queues what the outbox says is due now: at the start (what a
// crash left), when a planned try comes due, after first doing what prep
// does (retry the failed ones, wake the planned ones).
func (d *Daemon) drain(ctx context.Context, why string, prep func(ctx context.Context) (int, error)) {
	link := d.snap.Delivery.Link
	d.submit(ctx, d.books, "", func(ctx context.Context) event {
		if prep != nil {
			if n, err := prep(ctx); err != nil {
				d.log.Warn("history not updated", "why", why, "err", err)
			} else if n > 0 {
				d.log.Info("queued again", "why", why, "entries", n)
			}
		}
		due, err := d.out.Due(ctx)
		if err != nil {
			d.log.Warn("history not read", "err", err)
		}
		sum := d.out.Summary(ctx, tray.MaxRecent, link)
		return func(d *Daemon) {
			d.took(sum)
			var jobs []outbox.Job
			for _, j := range due {
				if !d.queued[j.ID] {
					jobs = append(jobs, j)
				}
			}
			if len(jobs) > 0 {
				d.log.Info("uploads from the history", "why", why, "entries", len(jobs))
				d.enqueueAs(jobs, why == "planned try" || why == "network back" || why == "start")
			}
		}
	})
}

// retryFailed sends every failed upload again (the menu's "Retry failed
// uploads", a notification's Retry, `imagecx retry`).
func (d *Daemon) retryFailed(ctx context.Context) {
	d.drain(ctx, "retry asked", d.out.RetryFailed)
}

// networkUp tries the planned uploads now: the network came back.
func (d *Daemon) networkUp(ctx context.Context) {
	d.drain(ctx, "network back", d.out.Wake)
}

// show puts the state on the tray.
func (d *Daemon) show() {
	d.st.busy = d.uploading != nil
	d.st.uploads = len(d.pending)
	d.st.batch = outbox.Progress{}
	if b := d.uploading; b != nil {
		d.st.uploads++
		d.st.current = b.jobs[0].Name
		if b.many() {
			d.st.batch = b.progress
			d.st.batch.All = len(b.jobs)
		}
	}
	d.st.retrying = d.retrying
	d.st.noKey, d.st.keyErr = d.snap.NoKey, d.snap.KeyErr
	d.st.recordOn, d.st.saving, d.st.recording = d.rec != nil && !d.rec.stopping, d.rec != nil && d.rec.stopping, 0
	if d.rec != nil && d.rec.r != nil {
		d.st.recording = d.clock.Now().Sub(d.rec.started)
	}
	icon, text := trayStatus(d.st)
	d.deps.Tray.Set(tray.State{Icon: icon, Status: text, Recent: d.recent, Failed: d.failed, Hotkeys: d.workingHotkeys(),
		Batch: d.uploading != nil && d.uploading.many(), Recording: d.rec != nil && !d.rec.stopping})
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

// chooseImage remembers that the person put job id's image on the
// clipboard (the thumbnail's Copy): its link, when it comes, does not
// take its place.
func (d *Daemon) chooseImage(id int64) {
	d.clipMu.Lock()
	defer d.clipMu.Unlock()
	if d.imageCopied == nil {
		d.imageCopied = map[int64]bool{}
	}
	d.imageCopied[id] = true
}

// imageChosen reports (once) whether one of jobs' images was put on the
// clipboard by the person.
func (d *Daemon) imageChosen(jobs []outbox.Job) bool {
	d.clipMu.Lock()
	defer d.clipMu.Unlock()
	chosen := false
	for _, j := range jobs {
		if d.imageCopied[j.ID] {
			chosen = true
			delete(d.imageCopied, j.ID)
		}
	}
	return chosen
}

// copied remembers what the app last put on the clipboard.
func (d *Daemon) copied(text string) {
	d.clipMu.Lock()
	defer d.clipMu.Unlock()
	d.lastCopy = text
}

// clipStillOurs reports whether the clipboard still holds what the app
// last put there: on X11, whether it still owns it; elsewhere, whether
// its text is that.
func (d *Daemon) clipStillOurs(ctx context.Context) bool {
	d.clipMu.Lock()
	mine := d.lastCopy
	d.clipMu.Unlock()
	if mine == "" {
		return false // nothing of ours there yet: what is there is the person's
	}
	if o, ok := d.deps.Clip.(clipboard.Owner); ok {
		lost := o.Lost()
		if lost == nil {
			return false
		}
		select {
		case <-lost:
			return false
		default:
			return true
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c, err := d.deps.Clip.Read(ctx)
	return err == nil && c.Text == mine
}
