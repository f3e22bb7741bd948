package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"imagecx/action"
	"imagecx/capture"
	"imagecx/editing"
	"imagecx/history"
	"imagecx/hotkeys"
	"imagecx/hotkeys/global"
	"imagecx/i18n"
	"imagecx/instance"
	"imagecx/notify"
	"imagecx/ocr"
	"imagecx/outbox"
	"imagecx/pin"
	"imagecx/quick"
	"imagecx/region"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/tray"
)

// What the tray app works with, each behind the small interface it needs,
// so tests can give fakes.

// Tray shows the state and reports menu clicks (tray.Icon).
type Tray interface {
	Set(tray.State)
	Clicks() <-chan tray.Click
}

// Notifier shows notifications (notify).
type Notifier interface {
	Notify(ctx context.Context, n notify.Note) error
	// Invoked delivers the notification actions the person chose; nil
	// where there are none.
	Invoked() <-chan notify.Invoked
}

// Shortcuts is a hotkey session bound through the desktop (the
// GlobalShortcuts portal on Wayland).
type Shortcuts interface {
	Events() <-chan hotkeys.Event
	Close() error
}

// Snapshot is the settings as one value, with what the pipeline takes from
// them worked out (the captures folder found, the client built). The tray
// app works from it until the settings are reloaded, so a hotkey press
// reads nothing from disk.
type Snapshot struct {
	Config   settings.Config
	Setup    shot.Setup      // what a capture takes
	Delivery outbox.Delivery // what an upload takes; its Client is nil when no key is stored (or the site is unusable)
	// NoKey says no key is stored; KeyErr that the key store could not be
	// read; ConfigErr that config.json could not be used (defaults are
	// in Config); ClientErr that the site address is not usable.
	NoKey                        bool
	KeyErr, ConfigErr, ClientErr error
	ConfigPath                   string
	// Destination is the custom uploader captures go to; "" for image.cx.
	Destination string
	// Lang is the language to speak ("": leave it as it is).
	Lang i18n.Lang
	// DeliveryTo is what an upload to another destination than the
	// settings' takes (a capture waits with the destination chosen when it
	// was taken); nil sends everything as Delivery.
	DeliveryTo outbox.Deliveries
}

// Clipboard is what the tray app reads and writes of the clipboard.
type Clipboard interface {
	shot.Clipboard
	outbox.Clipboard
}

// Deps are the tray app's parts. Only Tray, Clip, Notes, Pipe and Load
// are required.
type Deps struct {
	Tray  Tray
	Clip  Clipboard
	Notes Notifier
	Pipe  *shot.Pipeline // its Screen is nil where only Picker reads the screen
	// Picker is the region overlay (X11) or the desktop's screenshot
	// dialog (Wayland); with no Pipe.Screen, full-screen captures go
	// through it too.
	Picker shot.Picker
	// Hotkeys is the X11 registry; nil where there is none, and then
	// HotkeysErr says why (unless BindShortcuts stands in).
	Hotkeys    hotkeys.Registry
	HotkeysErr error
	// BindShortcuts binds hotkeys through the desktop (Wayland); nil where
	// there is no such thing. It may wait for the person to confirm.
	BindShortcuts func(ctx context.Context, list []global.Shortcut) (Shortcuts, error)
	// Requests are commands handed over by other imagecx processes.
	Requests <-chan instance.Request
	// DisplayGone is closed when the X display goes away; nil where there
	// is none to watch.
	DisplayGone <-chan struct{}
	// Load reads the settings and the key (called at start, and on a
	// worker at every reload).
	Load func(ctx context.Context) Snapshot
	// Settings opens the settings window and returns when it is closed.
	Settings func(ctx context.Context) error
	// OpenWindow runs one of the window programs (programs.History) with
	// args and returns when it is closed; nil where there are none.
	OpenWindow func(ctx context.Context, program string, args ...string) error
	// Recorder records the screen; nil where it cannot.
	Recorder Recorder
	// ChooseArea lets the person drag a region to record where imagecx
	// cannot read the screen itself (Wayland): in the desktop's layout
	// (wlroots: slurp), or on the desktop's screenshot of size on
	// (imagecx's overlay); nil where regions cannot be recorded there.
	ChooseArea func(ctx context.Context) (area image.Rectangle, on image.Point, err error)
	// StartPin starts `imagecx pin` with args (a pin is a process of its
	// own); nil where pins cannot be shown.
	StartPin func(args ...string) error
	// PrivateDir holds files handed to imagecx's own processes (the
	// session's runtime folder); "" is the system's temporary folder.
	PrivateDir string
	// Quick shows the quick-access thumbnail until the person chooses
	// (package quick); nil where there is none.
	Quick func(ctx context.Context, t quick.Thumb) (quick.Choice, error)
	// OCR finds the engine that reads text (ocr.Find; looked for at each
	// use, so one installed meanwhile is used); nil where there is none.
	OCR func() (ocr.Engine, error)
	// ChooseFiles asks for files to upload with the desktop's file
	// chooser (package choose); nothing and no error when the person
	// closed it; nil where there is none.
	ChooseFiles func(ctx context.Context) ([]string, error)
	// Hints remembers which hints this user has seen; nil shows them
	// every time.
	Hints Hints
	// Portal is the Screenshot portal where captures go through it
	// (Wayland), nil elsewhere: the app says when GNOME is about to ask
	// whether it may take screenshots, and allows them again after a
	// Deny when the person asks.
	Portal *capture.Portal
	// TrayHost reports whether anything shows tray icons; nil means yes.
	TrayHost func(ctx context.Context) bool
	// Edit opens the annotation editor on a capture and waits for the
	// person (package editing); nil where there is none.
	Edit func(ctx context.Context, img *image.RGBA) (editing.Choice, *image.RGBA, error)
	// StateDir keeps the last region; "" keeps nothing.
	StateDir string
	// LastRegion is the region remembered from the last run.
	LastRegion image.Rectangle
	// LastRecording is what the last recording recorded (RecordScreen or
	// RecordRegion; "" for none yet), which Record starts again.
	LastRecording action.ID
	// History records every capture and upload, and is the upload queue.
	History *history.Store
	// HistoryErr says the history file could not be used: a
	// *history.CorruptError (a new one was started), or any other error
	// (History then lives in memory only).
	HistoryErr error
	// NetworkUp reports the network coming back (NetworkManager); nil
	// where nothing says so (planned tries come due on their own).
	NetworkUp <-chan struct{}
	// Launch opens a link in the browser or a file's folder (package
	// launch); nil offers neither.
	Launch Launcher
	// RetryDelays are the waits before a failed upload is tried again, by
	// try (outbox.RetryDelay); nil means the default.
	RetryDelays []time.Duration
	// Clock is the daemon's time (nil: the system's).
	Clock Clock
	Log   *slog.Logger
}

// Daemon is the tray app's core: one loop that owns the state and
// dispatches, and workers that do what blocks.
type Daemon struct {
	deps Deps
	log  *slog.Logger
	out  *outbox.Outbox // records, uploads, copies: the queue's one owner

	events chan event // from workers to the loop
	screen chan task  // captures, encoding, saving, hotkey grabs: one at a time, in order
	reads  chan task  // clipboard reads (they may wait for the owner)
	sends  chan task  // uploads: one batch at a time
	books  chan task  // reading and changing the history's queue
	notes  chan saying
	desk   deskFacts
	wg     sync.WaitGroup // every goroutine of the daemon
	// lastCopy is what the app last put on the clipboard (guarded: the
	// workers copy).
	clipMu   sync.Mutex
	lastCopy string
	// imageCopied are the captures whose image the person copied from
	// their thumbnail: their links do not replace it.
	imageCopied map[int64]bool
	inHand      counter // the work in hand (idle waits for none)
	clock       Clock
	quit        context.CancelFunc

	// Owned by the loop.
	snap       Snapshot
	recent     []string
	lastRegion image.Rectangle
	lastRec    action.ID // what Record starts: the last recording's choice
	picking    bool
	thumbStop  context.CancelFunc // closes the quick-access thumbnail on the screen, if any
	choosing   bool               // the file chooser is open
	rec        *recording         // the recording under way; nil when none
	unsaved    *unsavedEdit
	edits      int // captures kept after their editor died, to name the notes
	recordings int // recordings so far, to name each one's notes
	// Files handed over in quick succession (Explorer runs a verb once
	// per selected file), waiting to go as one batch.
	gathered   []string
	gatherGen  int
	gatherFrom time.Time
	// paused is a deadline while the settings window records a hotkey
	// (the hotkeys are let go until then, or until it says it is done).
	paused    Timer
	uploading *batch         // the batch being uploaded; nil when none
	batches   int            // batches sent so far, to name each one's notes
	pending   []batch        // batches waiting
	queued    map[int64]bool // history ids waiting or being uploaded
	retrying  int            // failed uploads planned to be tried again
	failed    int            // failed uploads in the history
	wake      Timer          // the next planned try
	failures  map[action.ID]string
	held      map[action.ID]string // the hotkeys grabbed, as configured; nil while unknown (let go, or being grabbed)
	dropped   int                  // actions not taken in the current burst
	burst     Timer                // says the burst's dropped actions
	shortcuts Shortcuts
	st        status
	release   Timer
}

// event is what a worker hands back: it runs on the loop.
type event func(d *Daemon)

// task runs on a worker; the event it returns (if any) runs on the loop.
type task func(ctx context.Context) event

// releaseAfter is how long capture buffers are kept for the next capture.
const releaseAfter = 5 * time.Second

// New makes a daemon from its parts.
func New(deps Deps) *Daemon {
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.Clock == nil {
		deps.Clock = realClock{}
	}
	d := &Daemon{clock: deps.Clock,
		deps: deps, log: deps.Log,
		out:    &outbox.Outbox{History: deps.History, Log: deps.Log, Now: deps.Clock.Now, RetryDelays: deps.RetryDelays, Uplink: deps.Pipe.Observe},
		events: make(chan event, 16), screen: make(chan task, 16), reads: make(chan task, 4), sends: make(chan task, 1), books: make(chan task, 8),
		notes: make(chan saying, 32), failures: map[action.ID]string{}, lastRegion: deps.LastRegion, lastRec: deps.LastRecording, queued: map[int64]bool{},
	}
	if deps.Portal != nil && deps.Portal.Asking == nil {
		deps.Portal.Asking = func() { d.say(askingNote()) }
	}
	return d
}

// ErrDisplayGone is why Run returns when the X display went away: with
// it went the hotkeys, the clipboard and the screen; a session manager
// starts the tray app again in the next session.
var ErrDisplayGone = errors.New("the X display went away")

// Run runs the tray app until Quit or ctx ends, then stops every
// goroutine it started (an upload in flight is cancelled; its capture is
// on disk) and returns; ErrDisplayGone when it stopped because the
// display went away.
func (d *Daemon) Run(ctx context.Context) error {
	ctx, d.quit = context.WithCancel(ctx)
	defer d.quit()
	d.release = d.clock.AfterFunc(time.Hour, func() { d.post(ctx, func(*Daemon) { debug.FreeOSMemory() }) })
	d.release.Stop()
	d.wake = d.clock.AfterFunc(time.Hour, func() { d.post(ctx, func(d *Daemon) { d.drain(ctx, "planned try", nil) }) })
	d.wake.Stop()
	d.snap = d.deps.Load(ctx)
	d.serve(ctx, func(ctx context.Context) { d.work(ctx, d.screen) })
	d.serve(ctx, func(ctx context.Context) { d.work(ctx, d.reads) })
	d.serve(ctx, func(ctx context.Context) { d.work(ctx, d.sends) })
	d.serve(ctx, func(ctx context.Context) { d.work(ctx, d.books) })
	d.serve(ctx, d.notify)
	d.applied(ctx, true)
	d.drain(ctx, "start", nil) // what the last run left: saved, cut off, or due
	d.recoverRecordings(ctx)
	if d.deps.TrayHost != nil {
		d.serve(ctx, d.checkTrayHost)
	} else {
		d.desk.trayKnown, d.desk.tray = true, true
	}
	err := d.loop(ctx)
	d.stop()
	return err
}

// go_ starts an owned goroutine for one piece of work (it counts as work
// in hand until it returns): it gets the daemon's context and is waited
// for at the end.
func (d *Daemon) go_(ctx context.Context, fn func(ctx context.Context)) {
	d.inHand.add()
	d.serve(ctx, func(ctx context.Context) {
		defer d.inHand.done()
		fn(ctx)
	})
}

// serve starts an owned goroutine that runs until the daemon stops (a
// worker, a watcher): it gets the daemon's context and is waited for at
// the end.
func (d *Daemon) serve(ctx context.Context, fn func(ctx context.Context)) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		fn(ctx)
	}()
}

// stop waits for the goroutines; one that does not end within two seconds
// (a library call that takes no context) is left to the process's exit.
func (d *Daemon) stop() {
	d.quit()
	for _, t := range []Timer{d.release, d.wake, d.burst} {
		if t != nil {
			t.Stop()
		}
	}
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		d.log.Warn("goroutines still running at exit")
	}
	if d.shortcuts != nil {
		d.shortcuts.Close()
	}
	if d.paused != nil {
		d.paused.Stop()
	}
}

// pauseMax is how long the hotkeys stay let go when the settings window
// does not say it is done (it crashed, say).
const pauseMax = 2 * time.Minute

// pauseHotkeys lets go of the hotkeys while the settings window records
// one: the keys then reach it instead of taking a screenshot. It returns
// once they are let go.
func (d *Daemon) pauseHotkeys(ctx context.Context) {
	if d.paused != nil {
		d.paused.Reset(pauseMax)
		return
	}
	d.log.Info("hotkeys let go while the settings record one")
	d.paused = d.clock.AfterFunc(pauseMax, func() { d.post(ctx, func(d *Daemon) { d.resumeHotkeys(ctx) }) })
	if keys := d.deps.Hotkeys; keys != nil {
		done := make(chan struct{})
		plan := hotkeyPlan(d.snap.Config.Hotkeys)
		d.submit(ctx, d.screen, "", func(ctx context.Context) event {
			defer close(done)
			for _, p := range plan {
				keys.Unregister(string(p.id))
			}
			return nil
		})
		d.held = nil // every one let go: all are taken again
		select {     // a capture on the worker comes first; then the grabs go
		case <-done:
		case <-time.After(2 * time.Second):
		case <-ctx.Done():
		}
	}
}

// resumeHotkeys takes the hotkeys back.
func (d *Daemon) resumeHotkeys(ctx context.Context) {
	if d.paused == nil {
		return
	}
	d.paused.Stop()
	d.paused = nil
	d.log.Info("hotkeys taken back")
	if d.deps.Hotkeys != nil {
		d.grab(ctx, d.snap.Config.Hotkeys, d.snap.ConfigPath)
	}
}

func (d *Daemon) loop(ctx context.Context) error {
	var keys, portalKeys <-chan hotkeys.Event
	if d.deps.Hotkeys != nil {
		keys = d.deps.Hotkeys.Events()
	}
	requests := d.deps.Requests
	for {
		if d.shortcuts != nil && portalKeys == nil {
			portalKeys = d.shortcuts.Events()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-d.deps.DisplayGone:
			d.log.Error("the X display went away; stopping")
			// Said at once, not queued: the notifier stops with the rest.
			nctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			d.deps.Notes.Notify(nctx, notify.Note{Title: i18n.T("imagecx stopped"), Body: i18n.T("The X display went away, and with it the hotkeys and the clipboard. Start imagecx again in the new session."), Urgency: notify.Critical})
			cancel()
			return ErrDisplayGone
		case ev := <-d.events:
			ev(d)
			d.inHand.done()
		case ev, ok := <-keys:
			if !ok {
				keys = nil
				continue
			}
			d.hotkey(ctx, ev)
		case ev, ok := <-portalKeys:
			if !ok {
				portalKeys = nil
				d.rebind(ctx)
				continue
			}
			d.hotkey(ctx, ev)
		case c := <-d.deps.Tray.Clicks():
			d.click(ctx, c)
		case req, ok := <-requests:
			if !ok {
				requests = nil
				continue
			}
			d.handOff(ctx, req)
		case inv := <-d.deps.Notes.Invoked():
			d.log.Info("notification action", "tag", inv.Tag, "key", inv.Key)
			d.invoked(ctx, inv)
		case <-d.deps.NetworkUp:
			d.log.Info("the network is back")
			d.networkUp(ctx)
		}
	}
}

// hotkey acts on a press; presses the hotkey backend had to drop are
// counted as not taken.
func (d *Daemon) hotkey(ctx context.Context, ev hotkeys.Event) {
	if d.paused != nil {
		d.log.Info("hotkey ignored while the settings record one", "action", ev.Name)
		return
	}
	d.log.Info("hotkey", "action", ev.Name)
	if ev.Missed > 0 {
		d.log.Warn("hotkey presses dropped", "count", ev.Missed)
		d.notTaken(ctx, ev.Missed)
	}
	d.act(ctx, action.ID(ev.Name), history.FromHotkey)
}

// notTaken counts actions that were dropped and says so once for a
// burst, a second after its first.
func (d *Daemon) notTaken(ctx context.Context, n int) {
	d.dropped += n
	if d.dropped > n {
		return // the burst's note is on its way
	}
	d.burst = d.clock.AfterFunc(time.Second, func() {
		d.post(ctx, func(d *Daemon) {
			d.say(droppedNote(d.dropped))
			d.dropped = 0
		})
	})
}

func (d *Daemon) click(ctx context.Context, c tray.Click) {
	switch {
	case c.Quit:
		d.log.Info("quit from the menu")
		d.quit()
	case c.Recent > 0 && c.Recent <= len(d.recent):
		d.copyLink(ctx, d.recent[c.Recent-1])
	case c.Retry:
		d.retryFailed(ctx)
	case c.Cancel:
		d.cancelRest()
	case c.Stop:
		d.stopRecording(ctx)
	case c.Action != "":
		d.act(ctx, c.Action, history.FromMenu)
	}
}

// handOff answers a command from another imagecx process.
func (d *Daemon) handOff(ctx context.Context, req instance.Request) {
	switch req.Cmd {
	case instance.Status:
		req.Answer("ready", nil)
		return
	case instance.Reload:
		req.Answer("settings applied", nil)
		d.reload(ctx)
		return
	case instance.Saved:
		req.Answer("settings applied", nil)
		d.say(notify.Note{Title: i18n.T("Settings saved"), Body: i18n.T("imagecx uses them from now on."), Urgency: notify.Low, Timeout: 3 * time.Second})
		d.reload(ctx)
		return
	case instance.HotkeyStatus:
		data, _ := json.Marshal(d.failures)
		req.Answer(string(data), nil)
		return
	case instance.Retry:
		req.Answer(fmt.Sprintf("the running imagecx tries the %d failed uploads again", d.failed), nil)
		d.retryFailed(ctx)
		return
	case instance.Queue:
		req.Answer("the running imagecx uploads what waits", nil)
		d.drain(ctx, "asked", nil)
		return
	case instance.PauseHotkeys:
		d.pauseHotkeys(ctx)
		req.Answer("hotkeys let go", nil) // after the grabs are gone
		return
	case instance.ResumeHotkeys:
		req.Answer("hotkeys back", nil)
		d.resumeHotkeys(ctx)
		return
	case instance.Quit:
		d.log.Info("quit from another process")
		req.Answer("the running imagecx quits", nil)
		d.quit()
		return
	}
	if files, ok := instance.UploadedFiles(req.Cmd); ok {
		d.log.Info("files from another process", "count", len(files))
		d.gather(ctx, files) // before the answer: what asked may go on at once
		req.Answer(i18n.N(len(files), "the running imagecx uploads the file; the link goes to the clipboard",
			"the running imagecx uploads the {{.n}} files as one batch; the links go to the clipboard"), nil)
		return
	}
	a, ok := action.ByVerb(req.Cmd)
	if !ok {
		req.Answer("", fmt.Errorf("unknown command %q", req.Cmd))
		return
	}
	d.log.Info("command from another process", "cmd", req.Cmd)
	if a.ID == action.CopyText {
		req.Answer(i18n.T("the running imagecx took “{{.action}}”; the text goes to the clipboard", "action", a.Name()), nil)
	} else {
		req.Answer(i18n.T("the running imagecx took “{{.action}}”; the link goes to the clipboard", "action", a.Name()), nil)
	}
	d.act(ctx, a.ID, history.FromHandOff)
}

// act performs an action, from a hotkey, the menu or another process.
// Nothing here waits: the work goes to a worker or a goroutine of its own.
func (d *Daemon) act(ctx context.Context, id action.ID, src history.Source) {
	setup := d.snap.Setup
	switch id {
	case action.FullScreen:
		if d.deps.Pipe.Screen == nil {
			d.pick(ctx, id, src, false)
			return
		}
		d.shoot(ctx, id, src, func(ctx context.Context) ([]shot.Job, error) {
			job, err := d.deps.Pipe.Capture(ctx, setup, image.Rectangle{})
			if err != nil {
				return nil, err
			}
			return []shot.Job{d.deps.Pipe.Save(setup, job)}, nil
		})
	case action.FullEdit:
		if d.deps.Pipe.Screen == nil {
			d.pick(ctx, id, src, false)
			return
		}
		d.submit(ctx, d.screen, id, func(ctx context.Context) event {
			img, err := d.deps.Pipe.Grab(ctx, setup)
			return d.grabbed(ctx, id, src, setup, img, err)
		})
	case action.Region, action.RegionEdit, action.CopyText:
		d.pick(ctx, id, src, true)
	case action.PinRegion:
		if !pin.Supported {
			d.say(failureNote(id, pin.ErrUnsupported))
			return
		}
		d.pick(ctx, id, src, true)
	case action.RepeatRegion:
		if d.deps.Pipe.Screen == nil {
			d.pick(ctx, id, src, true) // the desktop chooses the region every time
			return
		}
		if d.lastRegion.Empty() {
			d.say(failureNote(id, region.ErrNoLast))
			return
		}
		r := d.lastRegion
		d.shoot(ctx, id, src, func(ctx context.Context) ([]shot.Job, error) {
			job, err := d.deps.Pipe.Capture(ctx, setup, r)
			if err != nil {
				return nil, err
			}
			return []shot.Job{d.deps.Pipe.Save(setup, job)}, nil
		})
	case action.UploadClipboard:
		dest, keep := d.snap.Config.Upload.Destination, d.snap.Config.Capture.KeepLocal
		d.submit(ctx, d.reads, id, func(ctx context.Context) event {
			ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			defer cancel()
			taken, err := d.deps.Pipe.FromClipboard(ctx, d.deps.Clip)
			for i, j := range taken {
				if keep && j.File == "" { // an image on no disk: kept as a capture is
					taken[i] = d.deps.Pipe.Save(setup, j)
				}
			}
			var jobs []outbox.Job
			var recErr error
			if err == nil {
				jobs, recErr = d.out.Add(ctx, taken, dest, history.FromClipboard, history.Saved)
			}
			return d.captured(ctx, id, jobs, err, recErr)
		})
	case action.EditClipboard:
		d.submit(ctx, d.reads, id, func(ctx context.Context) event {
			rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			defer cancel()
			jobs, err := d.deps.Pipe.FromClipboard(rctx, d.deps.Clip)
			var img *image.RGBA
			if err == nil {
				img, err = shot.ImageOf(jobs)
			}
			return d.grabbed(ctx, id, history.FromClipboard, setup, img, err)
		})
	case action.RecordScreen, action.RecordRegion:
		d.record(ctx, id, src)
	case action.Record:
		d.record(ctx, d.recordChoice(), src)
	case action.UploadFiles:
		d.chooseFiles(ctx)
	case action.UploadLink:
		d.askLink(ctx)
	case action.OpenSettings:
		d.openSettings(ctx)
	case action.OpenHistory:
		d.openHistory(ctx)
	case action.CopyLastLink:
		d.copyLastLink(ctx)
	case action.OpenFolder:
		d.openFolder(ctx)
	default:
		d.log.Warn("unknown action", "action", string(id))
	}
}

// grabbed is the event of an image read for the editor (the screen, or
// the clipboard's image).
func (d *Daemon) grabbed(ctx context.Context, id action.ID, src history.Source, setup shot.Setup, img *image.RGBA, err error) event {
	return func(d *Daemon) {
		if !d.captureFailed(id, err) {
			d.edit(ctx, id, src, setup, img)
		}
	}
}

// captureFailed says why a capture failed (a cancelled one needs no
// word); it reports whether there was a failure.
func (d *Daemon) captureFailed(id action.ID, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, context.Canceled):
	default:
		d.log.Error("capture failed", "action", string(id), "err", err)
		d.say(failureNote(id, err))
	}
	return true
}

// shoot runs a capture on the screen worker; its jobs are recorded in
// the history and join the upload queue.
func (d *Daemon) shoot(ctx context.Context, id action.ID, src history.Source, take func(ctx context.Context) ([]shot.Job, error)) {
	dest := d.snap.Config.Upload.Destination // where it goes, whatever the settings say when it is sent
	d.submit(ctx, d.screen, id, func(ctx context.Context) event {
		taken, err := take(ctx)
		var jobs []outbox.Job
		var recErr error
		if err == nil {
			jobs, recErr = d.out.Add(ctx, taken, dest, src, history.Saved)
		}
		return d.captured(ctx, id, jobs, err, recErr)
	})
}

// submit queues t on a worker, or counts it as not taken when too much is
// waiting.
func (d *Daemon) submit(ctx context.Context, worker chan task, id action.ID, t task) {
	d.inHand.add()
	select {
	case worker <- t:
	default:
		d.inHand.done()
		d.log.Warn("too much waiting; the action was dropped", "action", string(id))
		d.notTaken(ctx, 1)
	}
}

// captured is the event of a finished capture; recErr says it could not
// be recorded in the history (it is uploaded all the same).
func (d *Daemon) captured(ctx context.Context, id action.ID, jobs []outbox.Job, err, recErr error) event {
	return func(d *Daemon) {
		if d.captureFailed(id, err) {
			return
		}
		if recErr != nil {
			d.say(unrecordedNote(recErr))
		}
		if len(jobs) == 1 && d.snap.Config.Capture.Thumbnail && d.deps.Quick != nil && (id == action.FullScreen || id == action.Region || id == action.RepeatRegion || id == action.RegionEdit || id == action.FullEdit) {
			d.thumbnail(ctx, jobs[0])
		}
		d.enqueue(jobs)
	}
}

// pick lets the person choose (the overlay, or the desktop's dialog) on a
// goroutine of its own, so the loop keeps serving the menu; one at a time.
func (d *Daemon) pick(ctx context.Context, id action.ID, src history.Source, interactive bool) {
	if d.picking || d.deps.Picker == nil {
		if d.deps.Picker == nil {
			d.say(failureNote(id, i18n.Errorf("region selection is not available on this desktop")))
		}
		return
	}
	d.picking = true
	setup := d.snap.Setup
	picker := d.deps.Picker
	if r, ok := picker.(interface{ ToRecord() shot.Picker }); ok && id == action.RecordRegion {
		picker = r.ToRecord() // its hints say that it records
	}
	if r, ok := picker.(interface{ ToRead() shot.Picker }); ok && id == action.CopyText {
		picker = r.ToRead() // its hints say that its text is read
	}
	if r, ok := picker.(interface{ ToPin() shot.Picker }); ok && id == action.PinRegion {
		picker = r.ToPin() // its hints say that it is pinned
	}
	d.go_(ctx, func(ctx context.Context) {
		ch, err := picker.Pick(ctx, interactive)
		d.post(ctx, func(d *Daemon) {
			d.picking = false
			var colour *region.ColourPicked
			switch {
			case errors.Is(err, context.Canceled) && ctx.Err() != nil:
			case errors.Is(err, capture.ErrCancelled):
				d.log.Info("region cancelled")
			case errors.As(err, &colour):
				d.copyColour(colour.Hex())
			case err != nil:
				d.log.Error("region selection failed", "err", err)
				d.say(failureNote(action.Region, err))
			case ch.Text: // T in the overlay: its text, not a capture
				d.readText(ctx, ch.Image)
			default:
				if ch.Edit && id == action.Region { // E in the overlay
					id = action.RegionEdit
				}
				d.picked(ctx, id, src, setup, ch.Rect, ch.Image)
			}
		})
	})
}

// picked encodes and saves a picked image on the screen worker (after the
// editor, when the person asked for it); a region chosen in the overlay
// is remembered for "repeat last region".
func (d *Daemon) picked(ctx context.Context, id action.ID, src history.Source, setup shot.Setup, r image.Rectangle, img *image.RGBA) {
	if !r.Empty() {
		d.log.Info("region chosen", "rect", r.String())
		d.lastRegion = r
	}
	if id == action.RecordRegion {
		d.startRecording(ctx, id, src, r, image.Point{}, true)
		return
	}
	if id == action.CopyText {
		d.readText(ctx, img)
		return
	}
	if id == action.PinRegion {
		d.pin(ctx, img, r)
		return
	}
	if id == action.RegionEdit || id == action.FullEdit || (id == action.Region && d.snap.Config.Capture.AfterRegion == settings.AfterRegionEdit) {
		d.edit(ctx, id, src, setup, img)
		return
	}
	d.keep(ctx, id, src, setup, r, img)
}

// keep saves a picked (or edited) image, records it and queues its
// upload.
func (d *Daemon) keep(ctx context.Context, id action.ID, src history.Source, setup shot.Setup, r image.Rectangle, img *image.RGBA) {
	state := d.deps.StateDir
	d.shoot(ctx, id, src, func(ctx context.Context) ([]shot.Job, error) {
		if err := shot.RememberRegion(state, r); err != nil {
			d.log.Warn("last region not saved", "err", err)
		}
		job, err := d.deps.Pipe.Encode(setup, img, "")
		if err != nil {
			return nil, err
		}
		return []shot.Job{d.deps.Pipe.Save(setup, job)}, nil
	})
}

// post hands an event to the loop, unless the daemon is stopping; it
// reports whether the loop got it.
func (d *Daemon) post(ctx context.Context, ev event) bool {
	d.inHand.add()
	select {
	case d.events <- ev:
		return true
	case <-ctx.Done():
		d.inHand.done()
		return false
	}
}

// say queues a notification; the notifier shows them in order.
func (d *Daemon) say(n notify.Note) { d.sayThen(n, nil) }

// Hints remembers the hints a user has seen.
type Hints interface {
	Seen(name string) bool
	Saw(name string)
}

// saying is a notification on its way, and what to do once it was shown.
type saying struct {
	note  notify.Note
	shown func()
}

// sayThen shows n and runs shown (on the notification worker) once the
// server took it.
func (d *Daemon) sayThen(n notify.Note, shown func()) {
	d.inHand.add()
	select {
	case d.notes <- saying{n, shown}:
	default:
		d.inHand.done()
		d.log.Warn("notification dropped: too many waiting", "title", n.Title, "body", n.Body)
	}
}

// work runs a worker's tasks in order until ctx ends.
func (d *Daemon) work(ctx context.Context, tasks <-chan task) {
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-tasks:
			if ev := t(ctx); ev != nil {
				d.post(ctx, ev)
			}
			d.inHand.done()
		}
	}
}

// notify shows the queued notifications, each bounded in time: a
// notification server that hangs delays the next note, never the app.
func (d *Daemon) notify(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-d.notes:
			n := s.note
			nctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if err := d.deps.Notes.Notify(nctx, n); err != nil {
				d.log.Warn("notification not shown", "title", n.Title, "body", n.Body, "err", err)
			} else if s.shown != nil {
				s.shown()
			}
			cancel()
			d.inHand.done()
		}
	}
}
