// Package daemon is the tray app: `imagecx` with no arguments.
//
// One event loop owns the state (tray icon, recent links) and receives
// hotkey presses, menu clicks and upload results. Captures happen on the
// loop the moment they are asked for; their uploads wait in a queue for one
// worker, so a capture during an upload is queued, not dropped, and shows
// the screen as it was when the key was pressed. Quit cancels the upload in
// flight (the capture is already on disk), releases the hotkeys and exits.
package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/assets"
	"imagecx/capture"
	"imagecx/clipboard"
	"imagecx/explain"
	"imagecx/hotkeys"
	"imagecx/hotkeys/global"
	"imagecx/instance"
	"imagecx/internal/xconn"
	"imagecx/notify"
	"imagecx/programs"
	"imagecx/region"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/tray"
	"imagecx/uploader"
)

// Options are what main hands the daemon.
type Options struct {
	Getenv  func(string) string
	Stderr  io.Writer
	Version string
}

// releaseAfter is how long capture buffers are kept for the next capture.
const releaseAfter = 5 * time.Second

// Hotkey action names (the config's hotkey fields).
const (
	actFull      = "full screen"
	actRegion    = "region"
	actRepeat    = "repeat last region"
	actClipboard = "upload clipboard"
)

type daemon struct {
	opts  Options
	log   *slog.Logger
	logF  io.Closer
	store settings.Store
	keys  settings.Keys

	screen capture.Screen  // nil on Wayland
	portal *capture.Portal // the Screenshot portal, on Wayland
	ipc    *instance.Server
	clip   clipboard.Conn
	notes  notify.Notifier
	keysrc hotkeys.Registry
	pipe   *shot.Pipeline

	ctx      context.Context // ends at quit
	cancel   context.CancelFunc
	jobs     chan []shot.Job
	started  chan []shot.Job
	results  chan shot.Outcome
	wg       sync.WaitGroup
	tray     *tray.Icon
	stopOnce sync.Once

	regions chan regionDone
	bound   chan boundShortcuts // the GlobalShortcuts portal's answer, on Wayland
	reloads chan struct{}       // the settings window closed
	release *time.Timer         // returns idle memory to the OS

	// Owned by the loop.
	state      tray.State
	recent     []string
	selecting  bool // an overlay is up
	lastRegion image.Rectangle
}

// boundShortcuts is the outcome of binding hotkeys through the portal.
type boundShortcuts struct {
	portal *global.Portal
	err    error
}

// regionDone is the overlay's (or the portal's) answer: the rectangle and
// its pixels as they were when the hotkey was pressed.
type regionDone struct {
	rect   image.Rectangle
	img    *image.RGBA
	err    error
	portal bool
}

// Run starts the tray app and blocks until the user quits or ctx ends.
func Run(ctx context.Context, o Options) int {
	d, err := start(ctx, o)
	if errors.Is(err, instance.ErrRunning) {
		fmt.Fprintln(o.Stderr, "imagecx is already running: use its tray menu or hotkeys, or `imagecx capture region`.")
		return 0
	}
	if err != nil {
		fmt.Fprintf(o.Stderr, "imagecx: %v\n", err)
		return 1
	}
	d.log.Info("started", "version", o.Version, "display", o.Getenv("DISPLAY"))
	tray.Run(d.ready, nil)
	d.finish()
	return 0
}

func start(parent context.Context, o Options) (*daemon, error) {
	d := &daemon{opts: o, jobs: make(chan []shot.Job, 64), started: make(chan []shot.Job, 1), results: make(chan shot.Outcome, 1), regions: make(chan regionDone, 1), bound: make(chan boundShortcuts, 1), reloads: make(chan struct{}, 1)}
	var err error
	d.log, d.logF, err = openLog(o.Getenv)
	if err != nil {
		fmt.Fprintf(o.Stderr, "imagecx: logging to standard error: %v\n", err)
		d.log = slog.New(slog.NewTextHandler(o.Stderr, nil))
	}
	// Libraries that use the standard logger (systray, xgb) write to our log.
	log.SetOutput(logWriter{d.log, slog.LevelWarn})
	log.SetFlags(0)
	// xgb chats about missing Xauthority files at every connection.
	xconn.SetLogger(log.New(logWriter{d.log, slog.LevelDebug}, "xgb: ", 0))

	// One tray app per user; claimed before anything grabs keys.
	if d.ipc, err = instance.Listen(instance.Path(o.Getenv)); err != nil {
		return nil, err
	}
	dir, err := settings.DefaultDir()
	if err != nil {
		d.ipc.Close()
		return nil, err
	}
	d.store = settings.Store{Dir: dir}
	d.keys = settings.NewKeys(dir, o.Getenv)
	cfg, cfgErr := d.store.Load()

	wayland := capture.Wayland(o.Getenv)
	if wayland {
		// Only the compositor reads the screen. The clipboard goes through
		// Xwayland, which the compositor keeps in step with Wayland's.
		conn, err := dbus.ConnectSessionBus()
		if err != nil {
			d.ipc.Close()
			return nil, fmt.Errorf("%w: no D-Bus session (%v)", capture.ErrPortalUnavailable, err)
		}
		d.portal = &capture.Portal{Conn: conn, Desktop: o.Getenv("XDG_CURRENT_DESKTOP")}
	} else if d.screen, err = capture.Open(""); err != nil {
		d.ipc.Close()
		return nil, fmt.Errorf("%w\nimagecx's tray app needs an X11 session or Xwayland; `imagecx upload` works anywhere", err)
	}
	if d.clip, err = clipboard.OpenSession(o.Getenv); err != nil {
		d.closeScreen()
		d.ipc.Close()
		return nil, err
	}
	if d.notes, err = notify.Open("imagecx"); err != nil {
		d.log.Warn("notifications unavailable; messages go to the log", "err", err)
		d.notes = logNotifier{d.log}
	}
	d.ctx, d.cancel = context.WithCancel(parent)
	d.pipe = &shot.Pipeline{
		Screen: d.screen,
		Mode:   func() capture.Mode { return capture.Mode(d.config().Capture.Monitors) },
		Format: func() shot.Format {
			c := d.config().Capture
			return shot.Format{Kind: c.Format, Quality: c.Quality}
		},
		Dir:   d.saveDir,
		Clip:  d.clip,
		Notes: d.notes,
		Prefs: d.prefs,
		Log:   d.log,
		Now:   time.Now,
	}
	var ce *settings.CorruptError
	if errors.As(cfgErr, &ce) {
		d.pipe.Notify(d.ctx, notify.Note{Title: "Settings reset", Body: explain.Error(cfgErr), Urgency: notify.Critical})
	} else if cfgErr != nil {
		d.log.Warn("settings unreadable; defaults used", "err", cfgErr)
	}
	if wayland {
		// Hotkeys come from the GlobalShortcuts portal, bound once the
		// loop runs (the desktop may ask the user first).
	} else if d.keysrc, err = global.Open(""); err != nil {
		d.log.Warn("no global hotkeys", "err", err)
		d.pipe.Notify(d.ctx, notify.Note{Title: "No global hotkeys", Body: explain.Error(err) + " Use the tray menu, or bind `imagecx capture full` in your desktop's keyboard settings."})
	} else {
		d.registerHotkeys(cfg.Hotkeys)
	}
	if dir, err := settings.StateDir(o.Getenv); err == nil {
		d.lastRegion, _ = region.LoadLast(dir)
	}
	return d, nil
}

func (d *daemon) config() settings.Config {
	cfg, _ := d.store.Load()
	return cfg
}

func (d *daemon) saveDir() string {
	if dir := d.config().Capture.SaveDir; dir != "" {
		return dir
	}
	return shot.DefaultDir(d.opts.Getenv)
}

// prefs is read for every delivery, so a new key or setting applies to the
// next upload without a restart.
func (d *daemon) prefs() shot.Prefs {
	cfg := d.config()
	p := shot.Prefs{Notify: cfg.Notify, Sound: cfg.Sound, Lossless: cfg.Upload.AlwaysLossless, DropLocal: !cfg.Capture.KeepLocal, Title: cfg.Upload.TitleTemplate, Options: uploader.Options{AlbumID: cfg.Upload.AlbumID, Expiration: cfg.Upload.Expiration, NSFW: cfg.Upload.NSFW}}
	p.Format, _ = uploader.ParseLinkFormat(cfg.LinkFormat)
	key, _, err := d.keys.Get()
	if err != nil {
		d.log.Warn("API key unreadable", "err", err)
	}
	if key == "" {
		return p
	}
	endpoint := cfg.Endpoint
	if e := strings.TrimSpace(d.opts.Getenv("IMAGECX_ENDPOINT")); e != "" {
		endpoint = e
	}
	if endpoint == "" {
		endpoint = uploader.DefaultEndpoint
	}
	c, err := uploader.New(key, uploader.WithEndpoint(endpoint), uploader.WithTimeout(cfg.Upload.Timeout()))
	if err != nil {
		d.log.Warn("endpoint unusable", "endpoint", endpoint, "err", err)
		return p
	}
	p.Client = c
	return p
}

// registerHotkeys (re)registers the configured hotkeys, tells the user
// about any that cannot be had, and leaves the failures where the settings
// dialog shows them beside the rows.
func (d *daemon) registerHotkeys(h settings.Hotkeys) {
	failures := map[string]string{}
	for _, a := range []struct{ name, cfgKey, combo string }{
		{actFull, "full_screen", h.FullScreen}, {actRegion, "region", h.Region},
		{actRepeat, "repeat_region", h.RepeatRegion}, {actClipboard, "upload_clipboard", h.UploadClipboard},
	} {
		d.keysrc.Unregister(a.name)
		if a.combo == "" {
			continue
		}
		hk, err := hotkeys.Parse(a.combo)
		if err == nil {
			err = d.keysrc.Register(a.name, hk)
		}
		if err != nil {
			d.log.Warn("hotkey not registered", "action", a.name, "hotkey", a.combo, "err", err)
			d.pipe.Notify(d.ctx, shot.HotkeyNote(a.name, err, d.store.Path()))
			failures[a.cfgKey] = explain.Error(err)
			continue
		}
		d.log.Info("hotkey registered", "action", a.name, "hotkey", hk.String())
	}
	if file := settings.HotkeyErrorsFile(d.opts.Getenv); file != "" {
		data, _ := json.Marshal(failures)
		os.MkdirAll(filepath.Dir(file), 0o700)
		os.WriteFile(file, data, 0o600)
	}
}

// openSettings starts the settings window (imagecx-settings, a process of
// its own: a second one just brings the first forward). When it closes,
// the settings are applied.
func (d *daemon) openSettings() {
	cmd, err := programs.Command(programs.Settings)
	if err != nil {
		d.log.Error("settings not opened", "err", err)
		d.pipe.Notify(d.ctx, notify.Note{Title: "Settings could not be opened", Body: explain.Error(err), Urgency: notify.Critical})
		return
	}
	cmd.Stdout, cmd.Stderr = logWriter{d.log, slog.LevelInfo}, logWriter{d.log, slog.LevelWarn}
	if err := cmd.Start(); err != nil {
		d.log.Error("settings not opened", "err", err)
		d.pipe.Notify(d.ctx, notify.Note{Title: "Settings could not be opened", Body: explain.Error(err), Urgency: notify.Critical})
		return
	}
	d.log.Info("settings opened", "pid", cmd.Process.Pid)
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		// cmd.Wait cannot be cancelled; at quit this goroutine leaves it to
		// finish with the window, which saves on its own.
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
			select {
			case d.reloads <- struct{}{}:
			case <-d.ctx.Done():
			}
		case <-d.ctx.Done():
			// Quitting: the window may stay; it saves on its own.
		}
	}()
}

// reload applies changed settings: the hotkeys are registered again; the
// key, link format and upload options are read at each upload anyway.
func (d *daemon) reload() {
	d.log.Info("settings reloaded")
	if d.keysrc != nil {
		d.registerHotkeys(d.config().Hotkeys)
	}
}

// ready runs once the tray exists: it starts the loop and the worker.
func (d *daemon) ready(t *tray.Icon) {
	d.tray = t
	d.tray.Set(d.state)
	d.release = time.NewTimer(time.Hour)
	d.release.Stop()
	d.wg.Add(2)
	go d.loop()
	go d.worker()
	if d.portal != nil {
		d.wg.Add(1)
		go d.bindShortcuts()
	}
	// First run: no key anywhere yet, so the settings window opens.
	if key, _, err := d.keys.Get(); err == nil && key == "" {
		d.log.Info("no API key: opening the settings")
		d.openSettings()
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		ctx, cancel := context.WithTimeout(d.ctx, 5*time.Second)
		defer cancel()
		if !tray.HostAvailable(ctx) && d.ctx.Err() == nil {
			d.log.Warn("no tray host")
			d.pipe.Notify(d.ctx, notify.Note{Title: "imagecx is running without a tray icon", Body: tray.NoHostHelp})
		}
	}()
}

func (d *daemon) loop() {
	defer d.wg.Done()
	var keys <-chan hotkeys.Event
	if d.keysrc != nil {
		keys = d.keysrc.Events()
	}
	var shortcuts *global.Portal
	for {
		select {
		case <-d.ctx.Done():
			if shortcuts != nil {
				shortcuts.Close()
			}
			d.stop()
			return
		case ev, ok := <-keys:
			if !ok {
				keys = nil
				continue
			}
			d.log.Info("hotkey", "action", ev.Name)
			d.act(ev.Name)
		case c := <-d.tray.Clicks():
			d.click(c)
		case batch := <-d.started:
			d.state.Icon = assets.Busy
			d.state.Status = "uploading " + batch[0].Name + "…"
			d.tray.Set(d.state)
		case out := <-d.results:
			d.finished(out)
		case r := <-d.regions:
			d.regionChosen(r)
		case <-d.release.C:
			debug.FreeOSMemory()
		case req := <-d.ipc.Requests():
			d.handOff(req)
		case <-d.reloads:
			d.reload()
		case b := <-d.bound:
			if b.err != nil {
				d.log.Info("no GlobalShortcuts portal", "err", b.err)
				d.waylandHint(d.opts.Getenv)
				continue
			}
			d.log.Info("hotkeys bound through the portal")
			shortcuts = b.portal
			keys = b.portal.Events()
		}
	}
}

func (d *daemon) click(c tray.Click) {
	switch c.Action {
	case tray.CaptureFull:
		d.act(actFull)
	case tray.CaptureRegion:
		d.act(actRegion)
	case tray.RepeatRegion:
		d.act(actRepeat)
	case tray.UploadClipboard:
		d.act(actClipboard)
	case tray.CopyRecent:
		if c.Index < len(d.recent) {
			if err := d.clip.SetText(d.recent[c.Index]); err != nil {
				d.log.Warn("link not copied", "err", err)
			}
		}
	case tray.OpenSettings:
		d.openSettings()
	case tray.Quit:
		d.log.Info("quit from the menu")
		d.cancel()
	}
}

// bindShortcuts asks the GlobalShortcuts portal for the configured hotkeys.
func (d *daemon) bindShortcuts() {
	defer d.wg.Done()
	h := d.config().Hotkeys
	var list []global.Shortcut
	for _, a := range []struct{ name, combo, desc string }{
		{actFull, h.FullScreen, "Capture the full screen and upload it"},
		{actRegion, h.Region, "Capture a region and upload it"},
		{actRepeat, h.RepeatRegion, "Capture the last region again"},
		{actClipboard, h.UploadClipboard, "Upload the clipboard image"},
	} {
		hk, err := hotkeys.Parse(a.combo)
		if a.combo != "" && err != nil {
			d.log.Warn("hotkey not understood", "action", a.name, "hotkey", a.combo, "err", err)
		}
		list = append(list, global.Shortcut{Name: a.name, Description: a.desc, Hotkey: hk})
	}
	p, err := global.BindPortal(d.ctx, d.portal.Conn, list)
	select {
	case d.bound <- boundShortcuts{portal: p, err: err}:
	case <-d.ctx.Done():
		if p != nil {
			p.Close()
		}
	}
}

// handOff performs a command another imagecx process handed over.
func (d *daemon) handOff(req instance.Request) {
	if req.Cmd == "reload" {
		req.Answer("settings applied", nil)
		d.reload()
		return
	}
	actions := map[string]string{"capture full": actFull, "capture region": actRegion, "capture region --last": actRepeat, "upload clipboard": actClipboard}
	a, ok := actions[req.Cmd]
	if !ok {
		req.Answer("", fmt.Errorf("unknown command %q", req.Cmd))
		return
	}
	d.log.Info("command from another process", "cmd", req.Cmd)
	req.Answer("the running imagecx took the "+a+" capture; the link goes to the clipboard", nil)
	d.act(a)
}

// act performs a hotkey or menu action.
func (d *daemon) act(action string) {
	if d.portal != nil && (action == actFull || action == actRegion || action == actRepeat) {
		d.portalShot(action != actFull)
		return
	}
	switch action {
	case actFull:
		job, err := d.pipe.CaptureFull(d.ctx)
		if err != nil {
			d.log.Error("capture failed", "err", err)
			d.pipe.Notify(d.ctx, notify.Note{Title: "Capture failed", Body: explain.Error(err), Urgency: notify.Critical})
			return
		}
		d.enqueue([]shot.Job{job})
	case actClipboard:
		jobs, err := d.pipe.ClipboardJobs(d.ctx)
		if err != nil {
			d.log.Info("clipboard upload refused", "err", err)
			d.pipe.Notify(d.ctx, notify.Note{Title: "Nothing to upload", Body: explain.Error(err)})
			return
		}
		d.enqueue(jobs)
	case actRegion:
		d.selectRegion()
	case actRepeat:
		if d.lastRegion.Empty() {
			d.pipe.Notify(d.ctx, notify.Note{Title: "No region to repeat", Body: explain.Error(region.ErrNoLast)})
			return
		}
		job, err := d.pipe.CaptureRect(d.ctx, d.lastRegion)
		if err != nil {
			d.log.Error("capture failed", "err", err)
			d.pipe.Notify(d.ctx, notify.Note{Title: "Capture failed", Body: explain.Error(err), Urgency: notify.Critical})
			return
		}
		d.enqueue([]shot.Job{job})
	}
}

// selectRegion shows the overlay (which freezes the screen at once) on a
// goroutine of its own, so the loop keeps serving the menu; one overlay at
// a time.
func (d *daemon) selectRegion() {
	if d.selecting {
		return
	}
	d.selecting = true
	pressed := time.Now()
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		r, img, err := region.Select(d.ctx, region.Options{Shown: func() {
			d.log.Info("overlay shown", "ms", time.Since(pressed).Milliseconds())
		}})
		select {
		case d.regions <- regionDone{rect: r, img: img, err: err}:
		case <-d.ctx.Done():
		}
	}()
}

// portalShot asks the Screenshot portal on a goroutine of its own (the
// compositor may show a dialog); the answer comes back like a region's.
func (d *daemon) portalShot(interactive bool) {
	if d.selecting {
		return
	}
	d.selecting = true
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		img, err := d.portal.Screenshot(d.ctx, interactive)
		var r image.Rectangle
		if img != nil {
			r = img.Rect
		}
		select {
		case d.regions <- regionDone{rect: r, img: img, err: err, portal: true}:
		case <-d.ctx.Done():
		}
	}()
}

func (d *daemon) regionChosen(r regionDone) {
	d.selecting = false
	switch {
	case errors.Is(r.err, capture.ErrCancelled):
		d.log.Info("region cancelled")
		return
	case r.err != nil:
		d.log.Error("region selection failed", "err", r.err)
		d.pipe.Notify(d.ctx, notify.Note{Title: "Region capture failed", Body: explain.Error(r.err), Urgency: notify.Critical})
		return
	}
	if r.portal { // the compositor chose; there is nothing to repeat
		d.enqueueImage(r.img)
		return
	}
	d.lastRegion = r.rect
	if dir, err := settings.StateDir(d.opts.Getenv); err == nil {
		if err := region.SaveLast(dir, r.rect); err != nil {
			d.log.Warn("last region not saved", "err", err)
		}
	}
	d.log.Info("region chosen", "rect", r.rect.String())
	d.enqueueImage(r.img)
}

// enqueueImage encodes, saves and queues a captured image.
func (d *daemon) enqueueImage(img *image.RGBA) {
	job, err := d.pipe.Encode(img)
	if err != nil {
		d.pipe.Notify(d.ctx, notify.Note{Title: "Capture failed", Body: explain.Error(err), Urgency: notify.Critical})
		return
	}
	d.enqueue([]shot.Job{d.pipe.Keep(job)})
}

// waylandHint explains, once per user, how to get hotkeys on Wayland.
func (d *daemon) waylandHint(getenv func(string) string) {
	dir, err := settings.StateDir(getenv)
	if err != nil {
		return
	}
	marker := filepath.Join(dir, "wayland-hint-shown")
	if _, err := os.Stat(marker); err == nil {
		return
	}
	d.pipe.Notify(d.ctx, notify.Note{Title: "Hotkeys on Wayland",
		Body: "Wayland lets only the desktop grab keys. In your desktop's keyboard settings, bind a key to `imagecx capture region` and one to `imagecx capture full`: the running imagecx does the rest. The tray menu works as it is."})
	os.MkdirAll(dir, 0o700)
	os.WriteFile(marker, nil, 0o600)
}

func (d *daemon) closeScreen() {
	if d.screen != nil {
		d.screen.Close()
	}
	if d.portal != nil {
		d.portal.Conn.Close()
	}
}

func (d *daemon) enqueue(jobs []shot.Job) {
	select {
	case d.jobs <- jobs:
	default:
		d.pipe.Notify(d.ctx, notify.Note{Title: "Too many uploads waiting", Body: "This capture was saved but not queued for upload: " + jobs[0].File, Urgency: notify.Critical})
	}
}

func (d *daemon) finished(out shot.Outcome) {
	for i := len(out.Links) - 1; i >= 0; i-- {
		d.recent = append([]string{out.Links[i]}, d.recent...)
	}
	if len(d.recent) > tray.MaxRecent {
		d.recent = d.recent[:tray.MaxRecent]
	}
	d.state.Recent = d.recent
	switch {
	case out.Err == nil && out.CopyErr != nil:
		d.state.Icon, d.state.Status = assets.Idle, "uploaded; the link is in Recent uploads (copying failed)"
	case out.Err == nil:
		d.state.Icon, d.state.Status = assets.Idle, "link copied"
	case errors.Is(out.Err, uploader.ErrNoKey):
		d.state.Icon, d.state.Status = assets.Idle, "no API key: captures are saved and copied"
	default:
		d.state.Icon, d.state.Status = assets.Error, "last upload failed: "+explain.Error(out.Err)
	}
	if len(d.jobs) > 0 {
		d.state.Icon = assets.Busy
	} else {
		// A 4K capture costs tens of MB: kept for a few seconds, they make
		// the next capture faster (no fresh pages to fault in); then an
		// idle tray app gives them back.
		d.release.Reset(releaseAfter)
	}
	d.tray.Set(d.state)
}

// worker uploads queued jobs one batch at a time.
func (d *daemon) worker() {
	defer d.wg.Done()
	for {
		select {
		case <-d.ctx.Done():
			return
		case batch := <-d.jobs:
			select {
			case d.started <- batch:
			case <-d.ctx.Done():
				return
			}
			out := d.pipe.Deliver(d.ctx, batch)
			select {
			case d.results <- out:
			case <-d.ctx.Done():
				return
			}
		}
	}
}

// stop releases the hotkeys and removes the tray; Run then returns.
func (d *daemon) stop() {
	d.stopOnce.Do(func() {
		if d.keysrc != nil {
			d.keysrc.Close()
		}
		d.tray.Stop()
	})
}

// finish waits for the goroutines (an upload in flight was cancelled) and
// closes the connections.
func (d *daemon) finish() {
	d.cancel()
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		d.log.Warn("goroutines still running at exit")
	}
	d.ipc.Close()
	d.clip.Close()
	d.notes.Close()
	d.closeScreen()
	d.log.Info("stopped")
	if d.logF != nil {
		d.logF.Close()
	}
}

// logNotifier writes notifications to the log when no server runs.
type logNotifier struct{ log *slog.Logger }

func (l logNotifier) Notify(_ context.Context, n notify.Note) error {
	l.log.Info("notification", "title", n.Title, "body", n.Body)
	return nil
}

func (l logNotifier) Close() error { return nil }

// logWriter adapts the standard logger's output to slog.
type logWriter struct {
	log   *slog.Logger
	level slog.Level
}

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Log(context.Background(), w.level, strings.TrimSpace(string(p)), "source", "library")
	return len(p), nil
}
