package daemon

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"imagecx/choose"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"imagecx/assets"
	"imagecx/capture"
	"imagecx/clipboard"
	"imagecx/editing"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/hotkeys/global"
	"imagecx/i18n"
	"imagecx/instance"
	"imagecx/internal/netwatch"
	"imagecx/internal/sessionbus"
	"imagecx/internal/wlglobals"
	"imagecx/internal/xconn"
	"imagecx/launch"
	"imagecx/notify"
	"imagecx/ocr"
	"imagecx/outbox"
	"imagecx/pin"
	"imagecx/programs"
	"imagecx/quick"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/tray"
	"imagecx/uploader"
	"imagecx/uploader/sxcu"
	"imagecx/uploaders"
)

// memoryLimit is the tray app's soft memory limit (GOMEMLIMIT overrides
// it).
const memoryLimit = 128 << 20

// Options are what main hands the tray app.
type Options struct {
	Getenv  func(string) string
	Stderr  io.Writer
	Version string
}

// Run starts the tray app and blocks until the person quits or ctx ends.
func Run(ctx context.Context, o Options) int {
	logger, logFile, err := openLog(o.Getenv)
	if err != nil {
		fmt.Fprintf(o.Stderr, "imagecx: logging to standard error: %v\n", err)
		logger = slog.New(slog.NewTextHandler(o.Stderr, nil))
	} else {
		defer logFile.Close()
	}
	// Libraries that use the standard logger (systray, xgb) write to ours.
	log.SetOutput(logWriter{logger, slog.LevelWarn})
	log.SetFlags(0)
	xconn.SetLogger(log.New(logWriter{logger, slog.LevelDebug}, "xgb: ", 0))

	// One tray app per user; claimed before anything grabs keys.
	ipc, err := instance.Listen(instance.Path(o.Getenv))
	if errors.Is(err, instance.ErrRunning) {
		fmt.Fprintln(o.Stderr, "imagecx is already running: use its tray menu or hotkeys, or `imagecx capture region`.")
		return 0
	}
	if err != nil {
		fmt.Fprintf(o.Stderr, "imagecx: %v\n", err)
		return 1
	}
	defer ipc.Close()
	deps, closeParts, err := open(ctx, o.Getenv, logger)
	if err != nil {
		fmt.Fprintf(o.Stderr, "imagecx: %v\n", err)
		return 1
	}
	defer closeParts()
	deps.Requests = ipc.Requests()

	if o.Getenv("GOMEMLIMIT") == "" {
		// The tray app's memory is mostly one capture's pixels at a time;
		// a soft limit makes the collector give the last one back before
		// the heap doubles over it (a 4K capture converted to fit the
		// size limit peaked at 335 MB without it).
		debug.SetMemoryLimit(memoryLimit)
	}
	logger.Info("started", "version", o.Version, "display", o.Getenv("DISPLAY"))
	done := make(chan struct{})
	var runErr error
	tray.Run(func(icon *tray.Icon) {
		deps.Tray = icon
		go func() { // owned by Run, which waits for it below
			defer close(done)
			runErr = New(deps).Run(ctx)
			icon.Stop()
		}()
	}, nil)
	<-done
	if runErr != nil {
		logger.Error("stopped", "err", runErr)
		fmt.Fprintf(o.Stderr, "imagecx: %s\n", explain.Error(runErr))
		return 1
	}
	logger.Info("stopped")
	return 0
}

// open connects the tray app's parts: the screen (or the desktop's
// screenshot dialog on Wayland), the clipboard, notifications, hotkeys,
// and the settings.
func open(ctx context.Context, getenv func(string) string, logger *slog.Logger) (Deps, func(), error) {
	var closers []func() error
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	dir, err := settings.DefaultDir()
	if err != nil {
		return Deps{}, nil, err
	}
	store, keys := settings.Store{Dir: dir}, settings.NewKeys(dir, getenv)
	state, _ := settings.StateDir(getenv)
	deps := Deps{
		Pipe:     &shot.Pipeline{Log: logger, Now: time.Now, ReadFile: readUpload},
		Log:      logger,
		StateDir: state,
		Load:     loader(store, keys, getenv),
		OpenWindow: func(ctx context.Context, program string, args ...string) error {
			win, err := programs.Start(program, args...)
			if err != nil {
				return err
			}
			logger.Info("window opened", "program", program, "pid", win.Pid())
			return win.Wait(ctx)
		},
		TrayHost: tray.HostAvailable,
	}
	deps.Settings = func(ctx context.Context) error { return deps.OpenWindow(ctx, programs.Settings) }
	deps.OCR = ocr.Find
	if pin.Supported {
		deps.StartPin = func(args ...string) error {
			_, err := programs.Start(programs.Tray, append([]string{"pin"}, args...)...)
			return err
		}
	}
	deps.PrivateDir = getenv("XDG_RUNTIME_DIR")
	if quick.Supported {
		deps.Quick = quick.Show
	}
	deps.ChooseFiles = func(ctx context.Context) ([]string, error) {
		files, err := choose.Files(ctx, getenv, i18n.T("Upload files"))
		if errors.Is(err, choose.ErrCancelled) {
			return nil, nil
		}
		return files, err
	}
	// The capture goes to the editor through the session's private
	// runtime folder (memory, on most systems), else a private temporary
	// folder.
	// What an editor left when the last run was killed mid-edit: the
	// capture in it, maybe with what the person was hiding.
	if n := editing.RemoveLeftovers(getenv("XDG_RUNTIME_DIR")); n > 0 {
		logger.Info("editing folders left by a killed run removed", "folders", n)
	}
	deps.Edit = editing.Editor{Dir: getenv("XDG_RUNTIME_DIR"),
		Shown:  func(after time.Duration) { logger.Info("editor shown", "ms", after.Milliseconds()) },
		Closed: func(peak int64) { logger.Info("editor ended", "peak_mb", peak>>20) },
	}.Edit
	if state != "" {
		deps.Hints = fileHints{state}
	}
	deps.LastRegion, _ = shot.LastRegion(state)
	deps.LastRecording = LastRecording(state)
	deps.History, deps.HistoryErr = openHistory(ctx, getenv)
	closers = append(closers, deps.History.Close)
	netCtx, stopNet := context.WithCancel(ctx)
	closers = append(closers, func() error { stopNet(); return nil })
	deps.NetworkUp = netwatch.Watch(netCtx, netwatch.SystemBus)

	if capture.Wayland(getenv) {
		// Only the compositor reads the screen and grabs keys. The
		// clipboard goes through Xwayland (or wl-clipboard).
		// The portals' connection is made again after a bus restart.
		bus, err := sessionbus.NewKeeper(getenv)
		if err != nil {
			return Deps{}, nil, fmt.Errorf("%w: no D-Bus session (%v)", capture.ErrPortalUnavailable, err)
		}
		closers = append(closers, bus.Close)
		deps.Portal = &capture.Portal{Bus: bus.Conn, Desktop: getenv("XDG_CURRENT_DESKTOP"), PicturesDir: filepath.Dir(shot.DefaultDir(getenv))}
		desk := shot.Desktop{Portal: deps.Portal, Overlay: capture.OwnOverlay(getenv),
			Shown: func(after time.Duration) {
				logger.Info("overlay shown", "ms", after.Milliseconds(), "on", "screenshot")
			},
			Fallback: func(err error) { logger.Warn("the portal's dialog chooses the region", "why", err) }}
		deps.Picker = desk
		rec := screenRecorder{dir: state, pipe: deps.Pipe, portal: bus.Conn}
		if capture.GrimFallback(deps.Portal.Desktop) { // wlroots: slurp chooses a region
			deps.ChooseArea = func(ctx context.Context) (image.Rectangle, image.Point, error) {
				r, err := capture.Slurp(ctx)
				return r, image.Point{}, err
			}
			rec.outputs = func(ctx context.Context) ([]wlglobals.Output, error) {
				return wlglobals.Outputs(ctx, wlglobals.Socket(getenv))
			}
		} else if desk.Overlay { // GNOME, KDE: imagecx's overlay
			deps.ChooseArea = func(ctx context.Context) (image.Rectangle, image.Point, error) {
				ch, err := desk.ToRecord().Pick(ctx, true)
				if err == nil && (ch.Rect.Empty() || ch.On == (image.Point{})) { // the portal's dialog chose it: where is not said
					err = errNoRegionRecording
				}
				return ch.Rect, ch.On, err
			}
		}
		deps.Recorder = rec
		deps.BindShortcuts = func(ctx context.Context, list []global.Shortcut) (Shortcuts, error) {
			conn, err := bus.Conn()
			if err != nil {
				return nil, err
			}
			p, err := global.BindPortal(ctx, conn, list)
			if err != nil {
				return nil, err
			}
			return p, nil
		}
	} else {
		screen, err := capture.Open("")
		if err != nil {
			return Deps{}, nil, fmt.Errorf("%w\nimagecx's tray app needs an X11 session or Xwayland; `imagecx upload` works anywhere", err)
		}
		closers = append(closers, screen.Close)
		deps.Pipe.Screen = screen
		deps.Recorder = screenRecorder{dir: state, pipe: deps.Pipe, screen: screen}
		if w, err := xconn.Watch(""); err == nil {
			closers = append(closers, w.Close)
			deps.DisplayGone = w.Gone()
		}
		deps.Picker = shot.Overlay{Shown: func(after time.Duration) { logger.Info("overlay shown", "ms", after.Milliseconds()) }}
		if deps.Hotkeys, deps.HotkeysErr = global.Open(""); deps.Hotkeys != nil {
			closers = append(closers, deps.Hotkeys.Close)
		}
	}
	clip, err := clipboard.OpenSession(getenv)
	if err != nil {
		closeAll()
		return Deps{}, nil, err
	}
	closers = append(closers, clip.Close)
	deps.Clip = clip
	deps.Launch = launch.Desktop{}
	notes, err := notify.Open("imagecx", assets.IconFile(deps.History.Dir()))
	if err != nil {
		logger.Warn("notifications unavailable; messages go to the log", "err", err)
		deps.Notes = logNotifier{logger}
	} else {
		closers = append(closers, notes.Close)
		deps.Notes = notes
	}
	return deps, closeAll, nil
}

// openHistory opens the history in the data folder; when that cannot be
// used, one in memory (uploads then do not outlive the app), with the
// error that says why.
func openHistory(ctx context.Context, getenv func(string) string) (*history.Store, error) {
	dir, err := settings.DataDir(getenv)
	if err == nil {
		var h *history.Store
		if h, err = history.Open(ctx, dir); h != nil {
			return h, err // a *history.CorruptError comes with a new store
		}
	}
	h, merr := history.OpenMemory(ctx)
	if merr != nil {
		panic(fmt.Sprintf("imagecx: not even a history in memory: %v", merr)) // SQLite itself is broken
	}
	return h, err
}

// loader reads the settings and the key into a Snapshot. The first time,
// a config file that cannot be used is moved aside and the defaults are
// used; later (a reload while running), it is left for the person to fix
// and the settings in use are kept.
func loader(store settings.Store, keys settings.Keys, getenv func(string) string) func(context.Context) Snapshot {
	var mu sync.Mutex
	var last *settings.Config
	config := func() (settings.Config, error) {
		mu.Lock()
		defer mu.Unlock()
		var c settings.Config
		var err error
		if last == nil {
			c, err = store.Load()
		} else {
			c, err = store.LoadOver(*last)
		}
		last = &c
		return c, err
	}
	// delivery is what uploads to dest take ("" : image.cx, with the key).
	delivery := func(ctx context.Context, cfg settings.Config, dest string) (d outbox.Delivery, noKey bool, keyErr, clientErr error) {
		d = outbox.DeliveryFrom(cfg, nil)
		if dest != "" {
			// A custom uploader: it needs nothing of image.cx's key, and
			// its host says when it wants a pause.
			u, err := uploaders.New(store.Dir).Load(ctx, dest)
			if err != nil {
				return d, false, nil, err
			}
			d.Client, d.Host, d.PerMinute = &sxcu.Client{U: u}, u.Host(), 0
			return d, false, nil, nil
		}
		key, _, err := keys.Get(ctx)
		if key != "" {
			if c, cerr := cfg.Client(key, getenv); cerr != nil {
				clientErr = cerr
			} else {
				d.Client = c
			}
		}
		return d, key == "" && err == nil, err, clientErr
	}
	return func(ctx context.Context) Snapshot {
		s := Snapshot{ConfigPath: store.Path()}
		s.Config, s.ConfigErr = config()
		s.Lang = i18n.Choose(s.Config.Language, getenv)
		s.Setup = shot.SetupFrom(s.Config, getenv)
		dest := s.Config.Upload.Destination
		s.Delivery, s.NoKey, s.KeyErr, s.ClientErr = delivery(ctx, s.Config, dest)
		if dest != "" && s.ClientErr == nil {
			s.Destination = s.Delivery.Client.(*sxcu.Client).U.Name
		}
		cfg := s.Config
		s.DeliveryTo = func(ctx context.Context, other string) (outbox.Delivery, error) {
			d, noKey, keyErr, clientErr := delivery(ctx, cfg, other)
			if noKey {
				d.Client = nil // Deliver says there is no key
			}
			return d, cmp.Or(clientErr, keyErr)
		}
		return s
	}
}

// fileHints remembers the hints a user has seen as files in the state
// folder.
type fileHints struct{ dir string }

func (h fileHints) marker(name string) string { return filepath.Join(h.dir, name+"-shown") }

func (h fileHints) Seen(name string) bool {
	_, err := os.Stat(h.marker(name))
	return err == nil
}

func (h fileHints) Saw(name string) {
	os.MkdirAll(h.dir, 0o700)
	os.WriteFile(h.marker(name), nil, 0o600)
}

// logNotifier writes notifications to the log when no server runs.
type logNotifier struct{ log *slog.Logger }

// Invoked is nil: a log has no buttons.
func (logNotifier) Invoked() <-chan notify.Invoked { return nil }

func (l logNotifier) Notify(_ context.Context, n notify.Note) error {
	l.log.Info("notification", "title", n.Title, "body", n.Body)
	return nil
}

// logWriter adapts the standard logger's output to slog.
type logWriter struct {
	log   *slog.Logger
	level slog.Level
}

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Log(context.Background(), w.level, strings.TrimSpace(string(p)), "source", "library")
	return len(p), nil
}

// readUpload reads a file copied or given to upload: an image over the
// host's limit is read (up to givenMax) to be fitted as a capture is;
// anything else image.cx would refuse is refused before anything is sent.
func readUpload(path string) ([]byte, error) {
	data, err := uploader.ReadFile(path, givenMax)
	if err != nil {
		return nil, err
	}
	return data, fitsOrFitted(data)
}
