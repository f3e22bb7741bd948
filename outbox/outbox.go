// Package outbox alone takes a job from recorded to link: Add records
// captures in the history (the queue that outlives the app), Due and
// Load find what waits, Send fits each job to its host's size limit,
// paces it to what its host takes, uploads it and records the outcome —
// Done, or Fail with one explained error and, for a passing failure, the
// next try (the retry policy is here) —, Copy puts the links on the
// clipboard, and Summary tells what the tray shows. The tray app's queue
// and the command line's capture, upload and retry all go through it.
//
// It knows nothing of the screen: package shot takes the images (capture,
// encode, save, the pickers), and hands them here.
package outbox

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"imagecx/explain"
	"imagecx/filetype"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/internal/regular"
	"imagecx/shot"
	"imagecx/uploader"
)

// Uploader is what the outbox needs of a host's client (image.cx's, or a
// custom uploader's).
type Uploader interface {
	Upload(ctx context.Context, name string, data []byte, o uploader.Options) (uploader.Result, error)
}

// Clipboard is what Copy needs of the clipboard.
type Clipboard interface {
	SetText(text string) error
	SetImage(mime string, data []byte) error
}

// Delivery is what uploads to one destination take from the settings.
type Delivery struct {
	Client  Uploader // nil when no key is set
	Link    uploader.LinkFormat
	Options uploader.Options
	// Title names uploads from a template ("{window} {date}"); "" lets
	// the server take the file name.
	Title string
	// Lossless refuses to convert a capture over the size limit to JPEG.
	Lossless bool
	// DropLocal deletes a saved capture once it is uploaded.
	DropLocal bool
	// Host is where the uploads go, and PerMinute how many a minute it
	// takes (0: no pacing; the host says when it wants a pause, and the
	// retry policy waits that long).
	Host      string
	PerMinute int
}

// Deliveries says how to deliver to a destination ("" : image.cx).
type Deliveries func(ctx context.Context, destination string) (Delivery, error)

// One is Deliveries that are d whatever the destination.
func One(d Delivery) Deliveries {
	return func(context.Context, string) (Delivery, error) { return d, nil }
}

// Job is a capture in the outbox: the image, and its entry.
type Job struct {
	shot.Job
	// ID is its entry in the history; 0 when it is not recorded.
	ID int64
	// Destination is where it goes: the custom uploader chosen when it
	// was taken, "" for image.cx.
	Destination string
	// Title, if set, is its title on the site, whatever the template
	// says (the command line's --title).
	Title string
}

// Outcome is what a Send did.
type Outcome struct {
	Jobs    []Job
	Results []uploader.Result
	Links   []string // formatted, one per uploaded job
	Fitted  []string // what was done to fit the size limit, per converted job
	Err     error    // the first failure; Results holds the successes
	Failed  []Failure
	CopyErr error // Copy could not put the links on the clipboard
	// NotCopied: the links were left off the clipboard on purpose (the
	// person copied something since the app last did): "link ready".
	NotCopied bool
	// RetryIn is when the soonest passing failure is tried again; 0 when
	// none is.
	RetryIn time.Duration
}

// Failure is a job that was not uploaded, and why.
type Failure struct {
	Job Job
	Err error
}

// Outbox is the queue's one owner. One Send runs at a time per Outbox;
// Add, Due and Summary may run beside it.
type Outbox struct {
	// History records every job and its upload; nil records nothing
	// (it could not be opened): jobs are then sent from memory only.
	History *history.Store
	Log     *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Uplink, if set, is told the size and time of each upload (the
	// capture's encoder picks its PNG setting by the link's speed).
	Uplink func(n int, took time.Duration)
	// RetryDelays are the waits before the tries of a passing failure
	// (nil: DefaultRetryDelays).
	RetryDelays []time.Duration

	mu     sync.Mutex
	pacers map[string]*pace
}

func (o *Outbox) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Add records jobs in the history, from source, in state (history.Saved:
// queued for upload; history.Uploading: this process's to upload, which
// no tray app takes over while it runs; history.Local: not to be
// uploaded), for destination, and returns them with their ids. An image
// that exists nowhere else (from the clipboard) is spooled to disk first,
// so the queue outlives the app. A job that cannot be recorded still goes
// on in memory; the first error says why.
func (o *Outbox) Add(ctx context.Context, jobs []shot.Job, destination string, source history.Source, state history.State) ([]Job, error) {
	out := make([]Job, len(jobs))
	var first error
	for i, sj := range jobs {
		j := Job{Job: sj, Destination: destination}
		if o.History == nil {
			o.logSaved(j)
			out[i] = j
			continue
		}
		// A clipboard image, or a capture the captures folder could not
		// take (full, gone): kept in the history's folder until it is
		// uploaded, so a crash or a dead network loses nothing.
		if j.File == "" && (j.FromClipboard || j.SaveErr != nil) {
			if path, err := o.History.Spool(j.Name, j.Data); err == nil {
				j.File = path
			} else {
				o.Log.Warn("capture not spooled", "err", err)
			}
		}
		sum := sha256.Sum256(j.Data)
		id, err := o.History.Add(ctx, history.Entry{Source: source, Name: j.Name, File: j.File, SHA256: hex.EncodeToString(sum[:]),
			Bytes: int64(len(j.Data)), Width: j.Width, Height: j.Height, Duration: j.Duration, MIME: j.MIME, Window: j.Window, Title: j.Title,
			State: state, Destination: destination})
		if err != nil {
			o.Log.Warn("not recorded in the history", "err", err)
			first = cmp.Or(first, err)
			o.logSaved(j)
			out[i] = j
			continue
		}
		j.ID = id
		o.logSaved(j)
		if j.Thumb != nil {
			if err := o.History.SaveThumb(id, j.Thumb); err != nil {
				o.Log.Warn("thumbnail not kept", "err", err)
			}
		}
		out[i] = j
	}
	return out, first
}

// logSaved says that j is on disk (and, with an ID, in the history): a
// process killed after this line loses nothing of j.
func (o *Outbox) logSaved(j Job) {
	if j.Saved {
		o.Log.Info("saved", "file", j.File, "id", j.ID, "ms", j.SaveTook.Milliseconds())
	}
}

// Due is what waits for an upload now: what a crash left, and the planned
// tries whose time has come. Their bytes are read when they are sent.
func (o *Outbox) Due(ctx context.Context) ([]Job, error) {
	if o.History == nil {
		return nil, nil
	}
	due, err := o.History.Due(ctx, o.now())
	var jobs []Job
	for _, e := range due {
		jobs = append(jobs, Job{ID: e.ID, Job: shot.Job{Name: e.Name, File: e.File, FromClipboard: e.Source == history.FromClipboard, Given: e.Source == history.FromFiles}})
	}
	return jobs, err
}

// RetryFailed makes every failed upload due again (the menu's "Retry
// failed uploads", a notification's Retry, `imagecx retry`), and returns
// how many.
func (o *Outbox) RetryFailed(ctx context.Context) (int, error) {
	if o.History == nil {
		return 0, nil
	}
	return o.History.RetryFailed(ctx)
}

// Again makes the failed uploads ids due again (a notification's Retry),
// and returns how many.
func (o *Outbox) Again(ctx context.Context, ids ...int64) (int, error) {
	if o.History == nil {
		return 0, nil
	}
	for _, id := range ids {
		if err := o.History.Again(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Wake makes the planned tries due now (the network came back).
func (o *Outbox) Wake(ctx context.Context) (int, error) {
	if o.History == nil {
		return 0, nil
	}
	return o.History.Wake(ctx, o.now())
}

// GiveUp records that a job this process was sending will not be sent:
// it was cancelled where nothing takes it over (the command line).
func (o *Outbox) GiveUp(ctx context.Context, j Job) { o.giveUp(ctx, j) }

func (o *Outbox) giveUp(ctx context.Context, j Job) {
	o.history(j, func(h *history.Store) error {
		return h.Fail(context.WithoutCancel(ctx), j.ID, i18n.T("cancelled"), true, time.Time{})
	})
}

// load reads the bytes of jobs that waited without them (entries found
// in the history); one whose file is gone fails for good, in the history
// too. An entry that no longer waits is left out: what found it due may
// have run before the last Send sent it, and it is sent once.
func (o *Outbox) load(ctx context.Context, jobs []Job) (ready []Job, unread []Failure) {
	for _, j := range jobs {
		if j.Data != nil || o.History == nil || j.ID == 0 {
			ready = append(ready, j)
			continue
		}
		e, err := o.History.Get(ctx, j.ID)
		if err == nil && !e.Waits(o.now()) {
			o.Log.Info("no longer waiting", "id", j.ID, "state", string(e.State))
			continue
		}
		if err == nil {
			var loaded Job
			if loaded, err = jobFrom(e); err == nil {
				ready = append(ready, loaded)
				continue
			}
		}
		o.Log.Warn("queued capture not readable", "id", j.ID, "err", err)
		o.History.Fail(ctx, j.ID, explain.Error(err), true, time.Time{})
		unread = append(unread, Failure{Job: j, Err: err})
	}
	return ready, unread
}

// jobFrom is the job of a history entry that waits for an upload (after
// a restart): its bytes are read from its file.
func jobFrom(e history.Entry) (Job, error) {
	if e.File == "" {
		return Job{}, i18n.Errorf("{{.name}} was not saved anywhere, so it cannot be uploaded again", "name", e.Name)
	}
	data, err := regular.Read(e.File, maxResumed)
	if err != nil {
		return Job{}, fmt.Errorf("read %s: %w", e.Name, err)
	}
	return Job{ID: e.ID, Destination: e.Destination, Title: "", Job: shot.Job{Name: e.Name, Data: data,
		MIME: cmp.Or(e.MIME, filetype.Sniff(data)), Width: e.Width, Height: e.Height, Window: e.Window, File: e.File,
		FromClipboard: e.Source == history.FromClipboard, Given: e.Source == history.FromFiles}}, nil
}

// maxResumed bounds a file read back for an upload.
const maxResumed = 256 << 20

// Send delivers jobs, each to its own destination as deliveries says, in
// order: it reads what waited without its bytes, fits each to its host's
// limit, paces it, uploads it, records Done or Fail, and plans the next
// try of each passing failure (Outcome.RetryIn). A destination that
// cannot be used any more (its uploader was removed) fails its jobs for
// good, saying why. When ctx ends (the app quits), what was cut off is
// sent again at the next start.
func (o *Outbox) Send(ctx context.Context, deliveries Deliveries, jobs []Job) Outcome {
	return o.SendWatched(ctx, deliveries, jobs, nil)
}

// Progress is how far a Send is, for a batch's progress: the jobs done
// (uploaded or failed) of all, and the bytes sent of all their bytes.
type Progress struct {
	Done, All   int
	Sent, Total int64
}

// Percent is the share of the bytes sent, 0 to 100.
func (p Progress) Percent() int {
	if p.Total <= 0 {
		return 0
	}
	return int(min(100, p.Sent*100/p.Total))
}

// ErrCancelled is the cause (context.WithCancelCause) of a Send's context
// when the person cancelled the rest of a batch: what was not sent is
// recorded as cancelled, for Retry, instead of waiting for the next start.
var ErrCancelled error = i18n.Errorf("cancelled")

// cancelled reports whether ctx ended because the person cancelled.
func cancelled(ctx context.Context) bool {
	return ctx.Err() != nil && errors.Is(context.Cause(ctx), ErrCancelled)
}

// watcher adds up a Send's progress and tells watch.
type watcher struct {
	watch func(Progress)
	mu    sync.Mutex
	p     Progress
	job   int64 // the bytes of the job being sent, sent so far
}

func (w *watcher) sending(sent int64) {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.job = sent
	p := w.p
	p.Sent += sent
	w.mu.Unlock()
	w.watch(p)
}

func (w *watcher) done(size int) {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.p.Done++
	w.p.Sent += int64(size)
	w.job = 0
	p := w.p
	w.mu.Unlock()
	w.watch(p)
}

// SendWatched is Send telling watch (when not nil) how far it is, after
// every job and as each one's bytes go out.
func (o *Outbox) SendWatched(ctx context.Context, deliveries Deliveries, jobs []Job, watch func(Progress)) Outcome {
	ready, unread := o.load(ctx, jobs)
	var w *watcher
	if watch != nil {
		w = &watcher{watch: watch, p: Progress{All: len(ready)}}
		for _, j := range ready {
			w.p.Total += int64(len(j.Data))
		}
		watch(w.p)
	}
	var out Outcome
	for len(ready) > 0 {
		dest := ready[0].Destination
		var group, rest []Job
		for _, j := range ready {
			if j.Destination == dest {
				group = append(group, j)
			} else {
				rest = append(rest, j)
			}
		}
		ready = rest
		d, err := deliveries(ctx, dest)
		var g Outcome
		if err != nil {
			if dest != "" {
				err = fmt.Errorf("the custom uploader %q chosen when it was taken cannot be used: %w", dest, err)
			}
			g = Outcome{Jobs: group, Err: err}
			for _, j := range group {
				g.Failed = append(g.Failed, Failure{Job: j, Err: err})
				o.history(j, func(h *history.Store) error { return h.Fail(ctx, j.ID, explain.Error(err), true, time.Time{}) })
			}
		} else {
			g = o.deliver(ctx, d, group, w)
		}
		out.Jobs = append(out.Jobs, g.Jobs...)
		out.Results = append(out.Results, g.Results...)
		out.Links = append(out.Links, g.Links...)
		out.Fitted = append(out.Fitted, g.Fitted...)
		out.Failed = append(out.Failed, g.Failed...)
		out.Err = cmp.Or(out.Err, g.Err)
	}
	for _, f := range unread {
		out.Jobs = append(out.Jobs, f.Job)
		out.Failed = append(out.Failed, f)
		out.Err = cmp.Or(out.Err, f.Err)
	}
	if ctx.Err() == nil {
		out.RetryIn = o.plan(ctx, out)
	}
	return out
}

// deliver uploads jobs to one destination in order, and formats their
// links. Without a client (no key) nothing is sent and Err is
// uploader.ErrNoKey.
func (o *Outbox) deliver(ctx context.Context, d Delivery, jobs []Job, w *watcher) Outcome {
	out := Outcome{Jobs: jobs}
	if d.Client == nil {
		out.Err = &uploader.Error{Kind: uploader.ErrNoKey, Said: uploader.NoKeyHint}
		for _, job := range jobs {
			out.Failed = append(out.Failed, Failure{Job: job, Err: out.Err})
		}
		return out
	}
	fail := func(job Job, err error) {
		if cancelled(ctx) {
			err = ErrCancelled
			o.giveUp(ctx, job)
		}
		out.Err = cmp.Or(out.Err, err)
		out.Failed = append(out.Failed, Failure{Job: job, Err: err})
		w.done(len(job.Data))
	}
	for i, job := range jobs {
		if err := ctx.Err(); err != nil {
			for _, rest := range jobs[i:] {
				fail(rest, err) // on a quit they wait in the history for the next start
			}
			break
		}
		// Fitted to image.cx's limit only above the host's own: a custom
		// uploader's host takes its files as they are.
		name, data, how, err := job.Name, job.Data, "", error(nil)
		if int64(len(job.Data)) > maxSize(d.Client) {
			name, data, how, err = ForUpload(job.Job, d.Lossless)
		}
		if err != nil {
			o.Log.Warn("too large to upload", "name", job.Name, "err", err)
			o.history(job, func(h *history.Store) error {
				return h.Fail(context.WithoutCancel(ctx), job.ID, explain.Error(err), true, time.Time{})
			})
			fail(job, err)
			continue
		}
		if how != "" {
			out.Fitted = append(out.Fitted, how)
		}
		opts := d.Options
		switch {
		case job.Title != "":
			opts.Title = job.Title
		case d.Title != "" && !job.FromClipboard && !job.Given:
			opts.Title = Title(d.Title, o.now(), job.Window)
		}
		if err := o.pacer(d).wait(ctx); err != nil {
			fail(job, err)
			continue
		}
		if o.History != nil && job.ID != 0 {
			err := o.History.Uploading(ctx, job.ID, opts.Title)
			if errors.Is(err, history.ErrSetAside) {
				o.Log.Warn("upload set aside: the app stopped twice while sending it", "id", job.ID, "name", job.Name)
				fail(job, err)
				continue
			}
			if err != nil {
				o.Log.Warn("history not updated", "id", job.ID, "err", err)
			}
			id := job.ID
			opts.Answered = func() { o.History.Answering(context.WithoutCancel(ctx), id) }
		}
		start := time.Now()
		if w != nil {
			given := opts.Progress
			opts.Progress = func(sent, total int64) {
				if given != nil {
					given(sent, total)
				}
				w.sending(sent * int64(len(job.Data)) / max(total, 1)) // of the bytes before fitting
			}
		}
		res, err := d.Client.Upload(ctx, name, data, opts)
		if err != nil {
			o.Log.Warn("upload failed", "name", job.Name, "err", err)
			switch {
			case ctx.Err() == nil:
				o.history(job, func(h *history.Store) error {
					return h.Fail(context.WithoutCancel(ctx), job.ID, explain.Error(err), !uploader.IsTemporary(err), time.Time{})
				})
			case cancelled(ctx): // fail records it
			default: // quitting: sent again at the next start
				o.history(job, func(h *history.Store) error { return h.Requeue(context.WithoutCancel(ctx), job.ID) })
			}
			fail(job, err)
			continue
		}
		took := time.Since(start)
		o.history(job, func(h *history.Store) error { return h.Done(context.WithoutCancel(ctx), job.ID, name, res) })
		if o.Uplink != nil {
			o.Uplink(len(data), took)
		}
		switch {
		case o.History != nil && o.History.Spooled(job.File):
			os.Remove(job.File) // uploaded: the spooled copy of a clipboard image is done with
			o.history(job, func(h *history.Store) error { return h.Moved(ctx, job.ID, "") })
		case d.DropLocal && job.File != "" && !job.FromClipboard && !job.Given: // never the person's own file
			os.Remove(job.File) // uploaded: the person asked for no local copy
			o.history(job, func(h *history.Store) error { return h.Moved(ctx, job.ID, "") })
		}
		o.Log.Info("uploaded", "name", name, "url", res.Link(), "bytes", len(data), "ms", took.Milliseconds())
		out.Results = append(out.Results, res)
		out.Links = append(out.Links, uploader.FormatLink(res, d.Link))
		w.done(len(job.Data))
	}
	return out
}

// history runs fn on the history for a recorded job; a failure is logged
// (the upload itself goes on).
func (o *Outbox) history(job Job, fn func(*history.Store) error) {
	if o.History == nil || job.ID == 0 {
		return
	}
	if err := fn(o.History); err != nil {
		o.Log.Warn("history not updated", "id", job.ID, "err", err)
	}
}

// Title expands a title template: "{date}" → 2006-01-02, "{time}" →
// 15:04:05, "{window}" → the focused window's title.
func Title(template string, t time.Time, window string) string {
	s := strings.NewReplacer("{date}", t.Format("2006-01-02"), "{time}", t.Format("15:04:05"), "{window}", window).Replace(template)
	return strings.Join(strings.Fields(s), " ") // an empty {window} leaves no double space
}

// Copy puts what a Send produced on the clipboard: the links, one per
// line. When a single capture was not uploaded because there is no key,
// or was neither saved nor uploaded, the image itself goes there instead,
// so nothing is lost. A failed copy of the links is kept in out.CopyErr.
func (o *Outbox) Copy(clip Clipboard, out *Outcome) {
	if len(out.Links) > 0 {
		if err := clip.SetText(strings.Join(out.Links, "\n")); err != nil {
			o.Log.Warn("link not copied", "err", err)
			out.CopyErr = err
		}
		return
	}
	if out.Err == nil || len(out.Jobs) != 1 || out.Jobs[0].FromClipboard || out.Jobs[0].Given {
		return
	}
	job := out.Jobs[0]
	if job.File != "" && !errors.Is(out.Err, uploader.ErrNoKey) {
		return // saved: the notification says where
	}
	if err := clip.SetImage(job.MIME, job.Data); err != nil {
		if job.File == "" {
			o.Log.Error("capture neither saved, uploaded nor copied", "err", err)
		} else {
			o.Log.Warn("image not copied", "err", err)
		}
	}
}

// maxSize is the largest file the client's host takes.
func maxSize(c Uploader) int64 {
	if s, ok := c.(interface{ MaxSize() int64 }); ok {
		return s.MaxSize()
	}
	return uploader.MaxSize
}
