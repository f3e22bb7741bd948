package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"imagecx/action"
	"imagecx/assets"
	"imagecx/capture"
	"imagecx/clipboard"
	"imagecx/editing"
	"imagecx/history"
	"imagecx/hotkeys"
	"imagecx/hotkeys/global"
	"imagecx/instance"
	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/poll"
	"imagecx/notify"
	"imagecx/outbox"
	"imagecx/region"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/tray"
	"imagecx/uploader"
)

// The tray app's core, driven through its interfaces with fakes: what a
// person does (hotkeys, clicks, commands from other processes) and what
// the parts answer (captures, uploads, the clipboard, notifications).

type fakeScreen struct {
	mu   sync.Mutex
	img  *image.RGBA
	fail error
	n    int
}

func (f *fakeScreen) Bounds() image.Rectangle              { return f.img.Rect }
func (f *fakeScreen) Monitors() ([]capture.Monitor, error) { return nil, nil }
func (f *fakeScreen) Pointer() (image.Point, error)        { return image.Point{}, nil }
func (f *fakeScreen) Close() error                         { return nil }
func (f *fakeScreen) Capture(ctx context.Context, r image.Rectangle) (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	return img, f.CaptureInto(ctx, img, r, nil)
}
func (f *fakeScreen) CaptureInto(_ context.Context, dst *image.RGBA, r image.Rectangle, rows func(int)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if f.fail != nil {
		return f.fail
	}
	draw.Draw(dst, dst.Rect, f.img, r.Min, draw.Src)
	if rows != nil {
		rows(dst.Rect.Dy())
	}
	return nil
}

func (f *fakeScreen) reads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func (f *fakeScreen) failWith(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = err
}

type fakeTray struct {
	mu     sync.Mutex
	states []tray.State
	clicks chan tray.Click
}

func (f *fakeTray) Set(s tray.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states = append(f.states, s)
}
func (f *fakeTray) Clicks() <-chan tray.Click { return f.clicks }
func (f *fakeTray) last() tray.State {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.states) == 0 {
		return tray.State{}
	}
	return f.states[len(f.states)-1]
}

type fakeNotes struct {
	mu      sync.Mutex
	notes   []notify.Note
	hang    bool // Notify waits for its context, as a hung notification server
	fail    bool // Notify fails, as with no notification server
	called  int
	invoked chan notify.Invoked
}

func (f *fakeNotes) Notify(ctx context.Context, n notify.Note) error {
	if f.hang {
		<-ctx.Done()
		return ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called++
	if f.fail {
		return errors.New("no notification server")
	}
	f.notes = append(f.notes, n)
	return nil
}

func (f *fakeNotes) tries() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.called
}

// Invoked delivers what the test chooses.
func (f *fakeNotes) Invoked() <-chan notify.Invoked { return f.invoked }

func (f *fakeNotes) all() []notify.Note {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]notify.Note(nil), f.notes...)
}

// wait waits for a note whose title starts with title.
func (f *fakeNotes) wait(t *testing.T, title string) notify.Note {
	t.Helper()
	return poll.Value(t, 5*time.Second, "a notification "+title, func() (notify.Note, bool) {
		for _, n := range f.all() {
			if strings.HasPrefix(n.Title, title) {
				return n, true
			}
		}
		return notify.Note{}, false
	})
}

type fakeClip struct {
	mu      sync.Mutex
	text    string
	image   []byte
	content clipboard.Content
	block   bool // Read waits for its context, as an owner that never answers
}

func (c *fakeClip) SetText(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.text, c.image = s, nil
	c.content = clipboard.Content{Kind: clipboard.Text, Text: s} // what a Read then gives
	return nil
}
func (c *fakeClip) SetImage(_ string, d []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.image, c.text = d, ""
	return nil
}
func (c *fakeClip) Read(ctx context.Context) (clipboard.Content, error) {
	if c.block {
		<-ctx.Done()
		return clipboard.Content{}, ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.content, nil
}
func (c *fakeClip) get() (string, []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text, c.image
}

type fakeUploader struct {
	mu    sync.Mutex
	names []string
	fail  error
	fails int           // the first fails uploads fail with fail; 0: all of them
	gate  chan struct{} // when set, each upload waits for a receive (or its context)
}

func (u *fakeUploader) uploads() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.names)
}

func (u *fakeUploader) Upload(ctx context.Context, name string, _ []byte, _ uploader.Options) (uploader.Result, error) {
	if u.gate != nil {
		select {
		case <-u.gate:
		case <-ctx.Done():
			return uploader.Result{}, &uploader.Error{Kind: uploader.ErrNetwork, Detail: "cancelled", Err: ctx.Err()}
		}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.names = append(u.names, name)
	if u.fail != nil && (u.fails == 0 || len(u.names) <= u.fails) {
		return uploader.Result{}, u.fail
	}
	n := len(u.names)
	return uploader.Result{URL: "https://i.cx/images/" + string(rune('a'+n-1)) + ".png"}, nil
}

func (u *fakeUploader) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.names)
}

type fakeKeys struct {
	mu     sync.Mutex
	let    int // Unregister calls
	grabs  map[string]hotkeys.Hotkey
	taken  map[string]bool // combinations other programs hold
	events chan hotkeys.Event
}

func (k *fakeKeys) Register(name string, hk hotkeys.Hotkey) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.taken[hk.String()] {
		return &hotkeys.TakenError{Hotkey: hk}
	}
	for other, held := range k.grabs {
		if other != name && held == hk {
			return fmt.Errorf("%s is still grabbed for %s", hk, other)
		}
	}
	k.grabs[name] = hk
	return nil
}
func (k *fakeKeys) Unregister(name string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.let++
	delete(k.grabs, name)
}
func (k *fakeKeys) Events() <-chan hotkeys.Event { return k.events }
func (k *fakeKeys) Close() error                 { return nil }
func (k *fakeKeys) grabbed() map[string]string {
	k.mu.Lock()
	defer k.mu.Unlock()
	m := map[string]string{}
	for n, hk := range k.grabs {
		m[n] = hk.String()
	}
	return m
}

type fakePicker struct {
	rect image.Rectangle
	img  *image.RGBA
	edit bool // confirmed with E
	err  error
}

func (p fakePicker) Pick(ctx context.Context, _ bool) (region.Chosen, error) {
	return region.Chosen{Rect: p.rect, Image: p.img, Edit: p.edit}, p.err
}

// app is a daemon running on fakes, with a real instance socket.
type app struct {
	t      *testing.T
	d      *Daemon
	screen *fakeScreen
	tray   *fakeTray
	notes  *fakeNotes
	clip   *fakeClip
	up     *fakeUploader
	keys   *fakeKeys
	store  *history.Store
	sock   string
	loads  int
	snap   Snapshot
	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

func screenImage() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 77, 255})
		}
	}
	return img
}

// newApp builds the parts; change them (or a.snap) before a.start.
func newApp(t *testing.T) *app {
	a := &app{t: t, screen: &fakeScreen{img: screenImage()}, tray: &fakeTray{clicks: make(chan tray.Click)},
		notes: &fakeNotes{invoked: make(chan notify.Invoked)}, clip: &fakeClip{}, up: &fakeUploader{},
		keys: &fakeKeys{grabs: map[string]hotkeys.Hotkey{}, taken: map[string]bool{}, events: make(chan hotkeys.Event)},
		sock: filepath.Join(t.TempDir(), "imagecx.sock"), done: make(chan struct{})}
	a.snap = snapshot(t, settings.Defaults(), a.up)
	a.snap.ConfigPath = "/cfg/config.json"
	store, err := history.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	a.store = store
	return a
}

// snapshot is cfg as the loader would give it, with the captures in a
// folder of the test's.
func snapshot(t *testing.T, cfg settings.Config, client outbox.Uploader) Snapshot {
	cfg.Capture.SaveDir = filepath.Join(t.TempDir(), "captures")
	return Snapshot{Config: cfg, Setup: shot.SetupFrom(cfg, nil), Delivery: outbox.DeliveryFrom(cfg, client), NoKey: client == nil}
}

func (a *app) deps() Deps {
	return Deps{
		Tray: a.tray, Clip: a.clip, Notes: a.notes,
		Pipe:    &shot.Pipeline{Screen: a.screen, Log: discard(), Now: time.Now},
		History: a.store,
		Picker:  fakePicker{err: capture.ErrCancelled},
		Hotkeys: a.keys,
		Load: func(context.Context) Snapshot {
			a.mu.Lock()
			defer a.mu.Unlock()
			a.loads++
			return a.snap
		},
		StateDir: a.t.TempDir(),
		Log:      discard(),
	}
}

// start runs the daemon with deps until the test ends.
func (a *app) start(deps Deps) {
	srv, err := instance.Listen(a.sock)
	if err != nil {
		a.t.Fatal(err)
	}
	deps.Requests = srv.Requests()
	a.d = New(deps)
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	go func() {
		defer close(a.done)
		a.d.Run(ctx)
		srv.Close()
	}()
	a.t.Cleanup(func() { cancel(); <-a.done })
	if got := a.send(instance.Status); got != "ready" {
		a.t.Fatalf("status: %q", got)
	}
}

// send hands a command over the socket and returns the answer.
func (a *app) send(cmd string) string {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	text, err := instance.Send(ctx, a.sock, cmd)
	if err != nil {
		a.t.Fatalf("%s: %v", cmd, err)
	}
	return text
}

func (a *app) press(id action.ID) { a.keys.events <- hotkeys.Event{Name: string(id)} }

func (a *app) click(c tray.Click) { a.tray.clicks <- c }

func (a *app) loadCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.loads
}

func TestHotkeyToLink(t *testing.T) {
	a := newApp(t)
	a.start(a.deps())
	poll.Until(t, 5*time.Second, "the default hotkeys grabbed", func() bool {
		g := a.keys.grabbed()
		return g["full_screen"] == "Ctrl+Shift+1" && g["region"] == "Ctrl+Shift+2"
	})
	a.press(action.FullScreen)
	n := a.notes.wait(t, "Uploaded — link copied")
	if n.Body != "https://i.cx/images/a.png" {
		t.Errorf("note %+v", n)
	}
	if text, _ := a.clip.get(); text != n.Body {
		t.Errorf("clipboard %q", text)
	}
	files, _ := filepath.Glob(filepath.Join(a.snap.Setup.Dir, "*.png"))
	if len(files) != 1 {
		t.Errorf("saved: %v", files)
	}
	poll.Until(t, 5*time.Second, "the link in the tray's recent uploads", func() bool {
		s := a.tray.last()
		return len(s.Recent) == 1 && s.Recent[0] == n.Body && s.Icon == assets.Idle && s.Status == "link copied"
	})
	// A hotkey press reads nothing from disk: the settings were read once.
	if l := a.loadCount(); l != 1 {
		t.Errorf("the settings were read %d times", l)
	}
	// The recent link is copied again from the menu.
	a.clip.SetText("something else")
	a.click(tray.Click{Recent: 1})
	poll.Until(t, 5*time.Second, "the recent link copied again", func() bool { text, _ := a.clip.get(); return text == n.Body })
}

// A capture during an upload waits in the queue; the tray says so.
func TestCapturesQueueBehindAnUpload(t *testing.T) {
	a := newApp(t)
	a.up.gate = make(chan struct{})
	a.start(a.deps())
	for range 3 {
		a.press(action.FullScreen)
	}
	poll.Until(t, 5*time.Second, "busy with 2 more waiting", func() bool {
		s := a.tray.last()
		return s.Icon == assets.Busy && strings.Contains(s.Status, "(2 more waiting)")
	})
	for i := range 3 {
		a.up.gate <- struct{}{}
		poll.Until(t, 5*time.Second, "an upload done", func() bool { return a.up.uploads() == i+1 })
	}
	poll.Until(t, 5*time.Second, "three links", func() bool { return len(a.tray.last().Recent) == 3 })
	if r := a.tray.last().Recent; r[0] != "https://i.cx/images/c.png" || r[2] != "https://i.cx/images/a.png" {
		t.Errorf("recent, newest first: %v", r)
	}
}

// `imagecx quit` (the installers use it) ends the tray app as the menu's
// Quit does, after it answered.
func TestQuitFromAnotherProcess(t *testing.T) {
	a := newApp(t)
	a.start(a.deps())
	if got := a.send(instance.Quit); got != "the running imagecx quits" {
		t.Errorf("answer %q", got)
	}
	select {
	case <-a.done:
	case <-time.After(3 * time.Second):
		t.Fatal("Run did not return after quit")
	}
}

// Quit during an upload ends everything at once; the capture stays on disk.
func TestQuitDuringAnUpload(t *testing.T) {
	a := newApp(t)
	a.up.gate = make(chan struct{}) // never opened
	a.notes.hang = true             // and a notification server that hangs
	before := runtime.NumGoroutine()
	a.start(a.deps())
	a.press(action.FullScreen)
	poll.Until(t, 5*time.Second, "the upload started", func() bool { return a.tray.last().Icon == assets.Busy })
	start := time.Now()
	a.click(tray.Click{Quit: true})
	select {
	case <-a.done:
	case <-time.After(3 * time.Second):
		t.Fatal("Run did not return after Quit")
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("quit took %v", took)
	}
	files, _ := filepath.Glob(filepath.Join(a.snap.Setup.Dir, "*.png"))
	if len(files) != 1 {
		t.Errorf("captures on disk: %v", files)
	}
	// Every goroutine the daemon started has ended.
	poll.Until(t, 2*time.Second, "the goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
}

// Settings saved elsewhere apply on reload: new hotkeys, the key.
func TestReload(t *testing.T) {
	a := newApp(t)
	a.snap = snapshot(t, settings.Defaults(), nil)
	deps := a.deps()
	deps.Settings = func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() } // first run opens it
	a.start(deps)
	poll.Until(t, 5*time.Second, "the no-key tooltip", func() bool { return strings.HasPrefix(a.tray.last().Status, "no API key") })
	a.press(action.FullScreen)
	a.notes.wait(t, "Screenshot copied as an image")
	if _, img := a.clip.get(); len(img) == 0 {
		t.Error("without a key the capture is not on the clipboard")
	}

	cfg := settings.Defaults()
	cfg.Hotkeys = settings.Hotkeys{action.FullScreen: "Ctrl+Alt+9"}
	a.mu.Lock()
	a.snap = snapshot(t, cfg, a.up)
	a.mu.Unlock()
	if got := a.send(instance.Reload); got != "settings applied" {
		t.Fatalf("reload: %q", got)
	}
	poll.Until(t, 5*time.Second, "the new hotkey grabbed and the old ones gone", func() bool {
		g := a.keys.grabbed()
		return len(g) == 1 && g["full_screen"] == "Ctrl+Alt+9"
	})
	a.press(action.FullScreen)
	a.notes.wait(t, "Uploaded — link copied")
	if l := a.loadCount(); l != 2 {
		t.Errorf("settings read %d times, want 2", l)
	}
}

// Every kind of failure says what happened; none stops the app.
func TestFailures(t *testing.T) {
	a := newApp(t)
	a.keys.taken["Ctrl+Shift+2"] = true
	deps := a.deps()
	deps.Picker = fakePicker{err: errors.New("the X server went away")}
	a.start(deps)

	n := a.notes.wait(t, "Hotkey not available")
	if !strings.Contains(n.Body, "Ctrl+Shift+2 is already used by another program (for Capture region)") || !strings.Contains(n.Body, "/cfg/config.json") {
		t.Errorf("taken: %q", n.Body)
	}
	var failures map[action.ID]string
	json.Unmarshal([]byte(a.send(instance.HotkeyStatus)), &failures)
	if failures[action.Region] != "Ctrl+Shift+2 is already used by another program." || len(failures) != 1 {
		t.Errorf("hotkey status %v", failures)
	}

	a.press(action.RepeatRegion)
	if n := a.notes.wait(t, "No region to repeat"); !strings.Contains(n.Body, "capture a region first") {
		t.Errorf("repeat: %q", n.Body)
	}
	a.click(tray.Click{Action: action.Region})
	a.notes.wait(t, "Region capture failed")

	a.clip.content = clipboard.Content{Kind: clipboard.Text, Text: "words"}
	a.click(tray.Click{Action: action.UploadClipboard})
	if n := a.notes.wait(t, "Nothing to upload"); n.Body != "The clipboard holds no image." {
		t.Errorf("clipboard: %q", n.Body)
	}

	a.screen.failWith(errors.New("read rows 0–136: EOF"))
	a.press(action.FullScreen)
	a.notes.wait(t, "Capture failed")
	a.screen.failWith(nil)

	a.up.fail = &uploader.Error{Kind: uploader.ErrBadKey, Code: 100, Detail: "check the key in Settings or run `imagecx key set`"}
	a.press(action.FullScreen)
	n = a.notes.wait(t, "Upload failed")
	if !strings.Contains(n.Body, "rejected the API key") || !strings.Contains(n.Body, "The capture is saved at ") || n.Urgency != notify.Critical {
		t.Errorf("upload: %+v", n)
	}
	poll.Until(t, 5*time.Second, "the error icon", func() bool {
		s := a.tray.last()
		return s.Icon == assets.Error && s.Status == "the last upload failed: image.cx rejected the API key: check the key in Settings or run `imagecx key set`."
	})

	// Another process's commands: a known verb acts, an unknown one is refused.
	a.up.fail = nil
	before := a.up.uploads()
	if got := a.send("capture full"); !strings.Contains(got, "Capture full screen") {
		t.Errorf("hand-off answer %q", got)
	}
	poll.Until(t, 5*time.Second, "the handed-over capture uploaded", func() bool { return a.up.uploads() == before+1 })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := instance.Send(ctx, a.sock, "format disk"); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("unknown command: %v", err)
	}
}

// A clipboard owner that never answers holds up neither the hotkeys nor
// Quit.
func TestHungClipboardBlocksNothing(t *testing.T) {
	a := newApp(t)
	a.clip.block = true
	a.start(a.deps())
	a.click(tray.Click{Action: action.UploadClipboard})
	a.press(action.FullScreen)
	a.notes.wait(t, "Uploaded — link copied")
	a.click(tray.Click{Quit: true})
	select {
	case <-a.done:
	case <-time.After(2 * time.Second):
		t.Fatal("Quit waited for the clipboard")
	}
}

// The overlay's region is encoded, uploaded and remembered for repeat.
func TestRegionAndRepeat(t *testing.T) {
	a := newApp(t)
	deps := a.deps()
	r := image.Rect(10, 5, 40, 25)
	crop := image.NewRGBA(r)
	draw.Draw(crop, r, a.screen.img, r.Min, draw.Src)
	deps.Picker = fakePicker{rect: r, img: crop}
	a.start(deps)
	a.press(action.Region)
	a.notes.wait(t, "Uploaded")
	if last, err := shot.LastRegion(deps.StateDir); err != nil || last != r {
		t.Errorf("remembered %v %v", last, err)
	}
	captures := a.screen.reads()
	a.press(action.RepeatRegion)
	poll.Until(t, 5*time.Second, "the repeated region uploaded", func() bool { return a.up.uploads() == 2 })
	if a.screen.reads() != captures+1 {
		t.Error("repeat did not read the screen")
	}
}

// memHints remembers hints in memory.
type memHints struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (h *memHints) Seen(name string) bool { h.mu.Lock(); defer h.mu.Unlock(); return h.seen[name] }
func (h *memHints) Saw(name string)       { h.mu.Lock(); defer h.mu.Unlock(); h.seen[name] = true }

// On Wayland the desktop binds the hotkeys; when it cannot, a hint says
// what to do, once: it counts as seen only once the notification server
// took it.
func TestWaylandShortcuts(t *testing.T) {
	hints := &memHints{seen: map[string]bool{}}
	noPortal := func(ctx context.Context, list []global.Shortcut) (Shortcuts, error) {
		return nil, fmt.Errorf("%w: the desktop has no GlobalShortcuts portal", hotkeys.ErrUnsupported)
	}
	for _, shown := range []bool{false, true} {
		a := newApp(t)
		a.notes.fail = !shown
		deps := a.deps()
		deps.Hotkeys, deps.Hints, deps.BindShortcuts = nil, hints, noPortal
		a.start(deps)
		if shown {
			if n := a.notes.wait(t, "Hotkeys on Wayland"); !strings.Contains(n.Body, "imagecx capture region") {
				t.Errorf("hint %q", n.Body)
			}
			poll.Until(t, 5*time.Second, "the hint remembered", func() bool { return hints.Seen("wayland-hint") })
		} else {
			poll.Until(t, 5*time.Second, "the note tried", func() bool { return a.notes.tries() > 0 })
			a.idle()
			if hints.Seen("wayland-hint") {
				t.Fatal("a hint that could not be shown counts as seen")
			}
		}
	}
	a := newApp(t)
	deps := a.deps()
	deps.Hotkeys, deps.Hints, deps.BindShortcuts = nil, hints, noPortal
	a.start(deps)
	a.idle()
	for _, n := range a.notes.all() {
		if n.Title == "Hotkeys on Wayland" {
			t.Error("the hint again after it was seen")
		}
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// An upload that failed for a passing reason is tried again later and its
// link arrives then; one that failed for good is not.
func TestFailedUploadsAreTriedAgain(t *testing.T) {
	a := newApp(t)
	a.up.fail, a.up.fails = &uploader.Error{Kind: uploader.ErrServer, Status: 503}, 2
	deps := a.deps()
	deps.RetryDelays = []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute}
	clock := newFakeClock()
	deps.Clock = clock
	a.start(deps)
	a.press(action.FullScreen)
	if n := a.notes.wait(t, "Upload failed"); !strings.Contains(n.Body, "imagecx tries again in 1 min.") {
		t.Errorf("failure note %q", n.Body)
	}
	a.idle()
	clock.Advance(time.Minute - time.Second)
	a.idle()
	if got := a.up.uploads(); got != 1 {
		t.Fatalf("%d tries before the planned minute", got)
	}
	clock.Advance(time.Second) // the second try fails too
	a.idle()
	clip := a.clip.content.Text
	clock.Advance(2 * time.Minute)
	// The clipboard holds nothing the app put there: the person's, kept;
	// the link waits in the notification, in the failure's place.
	n := a.notes.wait(t, "Uploaded — link ready")
	if a.up.uploads() != 3 || n.Body != "https://i.cx/images/c.png" {
		t.Fatalf("%d tries, link %q", a.up.uploads(), n.Body)
	}
	if fail := a.notes.all()[0]; fail.Replace == "" || fail.Replace != n.Replace {
		t.Errorf("the failure %q and the upload %q are not in one place", fail.Replace, n.Replace)
	}
	if got, _ := a.clip.get(); got != clip {
		t.Errorf("the retry put %q on the clipboard", got)
	}
	poll.Until(t, 5*time.Second, "the tray back to idle", func() bool { return a.tray.last().Icon == assets.Idle })

	// A wrong key is not tried again.
	a.up.mu.Lock()
	a.up.fail, a.up.fails = &uploader.Error{Kind: uploader.ErrBadKey}, 0
	a.up.mu.Unlock()
	from := len(a.notes.all())
	a.press(action.FullScreen)
	poll.Until(t, 5*time.Second, "the failure note", func() bool { return len(a.notes.all()) > from })
	a.idle()
	clock.Advance(24 * time.Hour)
	a.idle()
	if got := a.up.uploads(); got != 4 {
		t.Errorf("%d uploads: a wrong key was tried again", got)
	}
	if n := a.notes.all()[from]; strings.Contains(n.Body, "tries again") {
		t.Errorf("note %q", n.Body)
	}
}

// Presses the hotkey backend had to drop are said, once for a burst.
func TestDroppedPressesAreSaid(t *testing.T) {
	a := newApp(t)
	deps := a.deps()
	clock := newFakeClock()
	deps.Clock = clock
	a.start(deps)
	a.keys.events <- hotkeys.Event{Name: string(action.FullScreen), Missed: 2}
	a.keys.events <- hotkeys.Event{Name: string(action.FullScreen), Missed: 1}
	a.idle()
	clock.Advance(time.Second)
	n := a.notes.wait(t, "Not every press was taken")
	if !strings.HasPrefix(n.Body, "3 captures were not taken") {
		t.Errorf("body %q", n.Body)
	}
	a.idle()
	clock.Advance(time.Hour)
	a.idle()
	count := 0
	for _, n := range a.notes.all() {
		if n.Title == "Not every press was taken" {
			count++
		}
	}
	if count != 1 {
		t.Errorf("%d notes for one burst", count)
	}
}

// fakeShortcuts is a portal session whose end the test decides.
type fakeShortcuts struct {
	events chan hotkeys.Event
	once   sync.Once
}

func (f *fakeShortcuts) Events() <-chan hotkeys.Event { return f.events }
func (f *fakeShortcuts) Close() error                 { f.once.Do(func() { close(f.events) }); return nil }

// A portal session that ends (the session bus was restarted) is bound
// again, and its hotkeys work.
func TestWaylandShortcutsAreBoundAgain(t *testing.T) {
	a := newApp(t)
	deps := a.deps()
	deps.Hotkeys = nil
	sessions := make(chan *fakeShortcuts, 4)
	deps.BindShortcuts = func(ctx context.Context, list []global.Shortcut) (Shortcuts, error) {
		s := &fakeShortcuts{events: make(chan hotkeys.Event, 1)}
		sessions <- s
		return s, nil
	}
	a.start(deps)
	first := <-sessions
	first.Close() // the bus went away
	var second *fakeShortcuts
	select {
	case second = <-sessions:
	case <-time.After(5 * time.Second):
		t.Fatal("the hotkeys were not bound again")
	}
	poll.Until(t, 5*time.Second, "the new session in use", func() bool {
		select {
		case second.events <- hotkeys.Event{Name: string(action.FullScreen)}:
			return true
		default:
			return false
		}
	})
	a.notes.wait(t, "Uploaded — link copied")
}

// On GNOME the app says before the desktop asks whether it may take
// screenshots; after a Deny the failure says so and offers Allow
// screenshots, which undoes it (the real xdg-permission-store).
func TestGNOMEDenyAndAllowAgain(t *testing.T) {
	bus := dbustest.Start(t)
	bus.StartPermissionStore(t, filepath.Join(t.TempDir(), "share"))
	fake := bus.ScreenshotPortal(t, "ok", screenImage())
	fake.AskLikeGNOME("deny")
	a := newApp(t)
	deps := a.deps()
	deps.Portal = &capture.Portal{Bus: capture.OnConn(bus.Conn(t)), Timeout: 5 * time.Second, Desktop: "GNOME"}
	deps.Pipe.Screen, deps.Picker = nil, shot.Desktop{Portal: deps.Portal}
	a.start(deps)
	a.press(action.FullScreen)
	a.notes.wait(t, "GNOME asks once")
	n := a.notes.wait(t, "GNOME refuses screenshots")
	if n.Tag != tagAllow || len(n.Actions) != 1 || n.Actions[0].Key != actAllow || !strings.Contains(n.Body, "Deny") {
		t.Fatalf("note %+v", n)
	}
	a.notes.invoked <- notify.Invoked{Tag: n.Tag, Key: actAllow}
	a.notes.wait(t, "Screenshots allowed")
	a.press(action.FullScreen)
	a.notes.wait(t, "Uploaded — link copied")
	if fake.Asked() != 1 {
		t.Errorf("GNOME asked %d times", fake.Asked())
	}
}

// A shortcuts portal that binds fewer hotkeys than asked is said (every
// start: it is a fault, not a hint), with what to do instead.
func TestShortcutsPortalThatBindsLess(t *testing.T) {
	a := newApp(t)
	deps := a.deps()
	deps.Hotkeys = nil
	deps.BindShortcuts = func(ctx context.Context, list []global.Shortcut) (Shortcuts, error) {
		return nil, &global.NotBoundError{Missing: []string{"Ctrl+Shift+1", "Ctrl+Shift+2"}, Of: 2}
	}
	a.start(deps)
	n := a.notes.wait(t, "No global hotkeys")
	if !strings.Contains(n.Body, "took 0 of imagecx's 2 hotkeys") || !strings.Contains(n.Body, "imagecx capture region") {
		t.Errorf("note %q", n.Body)
	}
}

// While the settings window records a hotkey the tray app lets go of its
// own (pressing Ctrl+Shift+1 to record it must not take a screenshot),
// and takes them back when told.
func TestHotkeysLetGoWhileRecording(t *testing.T) {
	a := newApp(t)
	a.start(a.deps())
	poll.Until(t, 5*time.Second, "the hotkeys grabbed", func() bool { return len(a.keys.grabbed()) == len(defaultHotkeys()) })
	ctx := context.Background()
	if _, err := instance.Send(ctx, a.sock, instance.PauseHotkeys); err != nil {
		t.Fatal(err)
	}
	if g := a.keys.grabbed(); len(g) != 0 {
		t.Fatalf("still grabbed while recording: %v", g)
	}
	a.press(action.FullScreen) // a press the backend had queued
	a.idle()
	if n := a.up.uploads(); n != 0 {
		t.Fatalf("%d uploads while recording", n)
	}
	if _, err := instance.Send(ctx, a.sock, instance.ResumeHotkeys); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 5*time.Second, "the hotkeys taken back", func() bool { return len(a.keys.grabbed()) == len(defaultHotkeys()) })
	a.press(action.FullScreen)
	poll.Until(t, 5*time.Second, "a capture after recording", func() bool { return a.up.uploads() == 1 })
}

// Two actions that swap their hotkeys both get the new one (each old
// grab goes before any new one is taken).
func TestSwappedHotkeys(t *testing.T) {
	a := newApp(t)
	a.start(a.deps())
	poll.Until(t, 5*time.Second, "the hotkeys grabbed", func() bool { return len(a.keys.grabbed()) == len(defaultHotkeys()) })
	cfg := settings.Defaults()
	cfg.Hotkeys = settings.Hotkeys{action.FullScreen: "Ctrl+Shift+2", action.Region: "Ctrl+Shift+1"}
	a.mu.Lock()
	a.snap = snapshot(t, cfg, a.up)
	a.mu.Unlock()
	a.send(instance.Reload)
	poll.Until(t, 5*time.Second, "the swapped hotkeys", func() bool {
		g := a.keys.grabbed()
		return g["full_screen"] == "Ctrl+Shift+2" && g["region"] == "Ctrl+Shift+1"
	})
	for _, n := range a.notes.all() {
		if strings.HasPrefix(n.Title, "Hotkey not available") {
			t.Errorf("note %q: %q", n.Title, n.Body)
		}
	}
}

// The menu shows the hotkeys that work beside their items: not one that
// another program holds, none where the desktop gives none.
func TestMenuShowsWorkingHotkeys(t *testing.T) {
	a := newApp(t)
	a.keys.taken["Ctrl+Shift+2"] = true
	a.start(a.deps())
	poll.Until(t, 5*time.Second, "the hotkeys in the menu", func() bool {
		hk := a.tray.last().Hotkeys
		return hk[action.FullScreen] == "Ctrl+Shift+1" && hk[action.Region] == ""
	})

	w := newApp(t)
	deps := w.deps()
	deps.Hotkeys = nil
	deps.BindShortcuts = func(ctx context.Context, list []global.Shortcut) (Shortcuts, error) {
		return nil, fmt.Errorf("%w: no portal", hotkeys.ErrUnsupported)
	}
	w.start(deps)
	w.notes.wait(t, "Hotkeys on Wayland")
	if hk := w.tray.last().Hotkeys; len(hk) != 0 {
		t.Errorf("hotkeys shown where there are none: %v", hk)
	}
}

// defaultHotkeys are the actions that have a hotkey out of the box.
func defaultHotkeys() []action.ID {
	var ids []action.ID
	for _, a := range action.All {
		if a.Hotkey != "" {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// fakeEditor answers as the person would leave the editor.
type fakeEditor struct {
	choice editing.Choice
	err    error
	mu     sync.Mutex
	got    []image.Rectangle // the images it was shown
}

func (e *fakeEditor) edit(_ context.Context, img *image.RGBA) (editing.Choice, *image.RGBA, error) {
	e.mu.Lock()
	e.got = append(e.got, img.Rect)
	e.mu.Unlock()
	if e.err != nil || e.choice == editing.Cancelled {
		return editing.Cancelled, nil, e.err
	}
	return e.choice, image.NewRGBA(image.Rect(0, 0, 7, 5)), nil // cropped, say
}

func (e *fakeEditor) shown() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.got)
}

// "Capture region and edit", and "Capture region" with the editor chosen
// in the settings, show the region in the editor; what the person chose
// is done: the edited image uploaded like any capture, copied, or
// nothing; an editor that cannot run uploads nothing and keeps the
// capture.
func TestRegionThroughTheEditor(t *testing.T) {
	r := image.Rect(10, 5, 40, 25)
	start := func(t *testing.T, ed *fakeEditor, afterRegion string) *app {
		a := newApp(t)
		if afterRegion != "" {
			cfg := settings.Defaults()
			cfg.Capture.AfterRegion = afterRegion
			a.snap = snapshot(t, cfg, a.up)
		}
		deps := a.deps()
		deps.Picker = fakePicker{rect: r, img: image.NewRGBA(r)}
		deps.Edit = ed.edit
		a.start(deps)
		return a
	}
	t.Run("upload", func(t *testing.T) {
		ed := &fakeEditor{choice: editing.Upload}
		a := start(t, ed, "")
		a.press(action.RegionEdit)
		a.notes.wait(t, "Uploaded")
		entries, _ := a.store.Recent(context.Background(), 5)
		if ed.shown() != 1 || len(entries) != 1 || entries[0].Width != 7 || entries[0].Height != 5 {
			t.Fatalf("shown %d, history %+v", ed.shown(), entries)
		}
		a.press(action.Region) // the settings say upload at once
		poll.Until(t, 5*time.Second, "the plain region uploaded", func() bool { return a.up.uploads() == 2 })
		if ed.shown() != 1 {
			t.Error("a plain region went through the editor")
		}
	})
	t.Run("after region: edit", func(t *testing.T) {
		ed := &fakeEditor{choice: editing.Upload}
		a := start(t, ed, settings.AfterRegionEdit)
		a.press(action.Region)
		a.notes.wait(t, "Uploaded")
		if ed.shown() != 1 {
			t.Error("the editor was not shown")
		}
	})
	t.Run("copy", func(t *testing.T) {
		a := start(t, &fakeEditor{choice: editing.Copy}, "")
		a.press(action.RegionEdit)
		a.notes.wait(t, "Image copied")
		if _, img := a.clip.get(); len(img) == 0 || a.up.uploads() != 0 {
			t.Errorf("clipboard %d bytes, %d uploads", len(img), a.up.uploads())
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ed := &fakeEditor{choice: editing.Cancelled}
		a := start(t, ed, "")
		a.press(action.RegionEdit)
		poll.Until(t, 5*time.Second, "the editor shown", func() bool { return ed.shown() == 1 })
		a.idle()
		if entries, _ := a.store.Recent(context.Background(), 5); a.up.uploads() != 0 || len(entries) != 0 {
			t.Errorf("%d uploads, %d in the history after Esc", a.up.uploads(), len(entries))
		}
	})
	t.Run("the editor died", func(t *testing.T) {
		// After it was shown: the person may have hidden things there.
		ed := &fakeEditor{err: &editing.DiedError{Shown: true}}
		a := start(t, ed, "")
		a.press(action.RegionEdit)
		n := a.notes.wait(t, "The editor closed unexpectedly")
		a.idle()
		saved, _ := filepath.Glob(filepath.Join(a.snap.Setup.Dir, "*"))
		if entries, _ := a.store.Recent(context.Background(), 5); len(saved) != 0 || len(entries) != 0 || a.up.uploads() != 0 {
			t.Fatalf("the original was kept: files %v, history %d, uploads %d", saved, len(entries), a.up.uploads())
		}
		if len(n.Actions) != 1 || n.Actions[0].Key != actReedit {
			t.Fatalf("%+v", n)
		}
		ed.mu.Lock()
		ed.err, ed.choice = nil, editing.Upload
		ed.mu.Unlock()
		a.notes.invoked <- notify.Invoked{Tag: n.Tag, Key: actReedit}
		a.notes.wait(t, "Uploaded")
		if ed.shown() != 2 || ed.got[1] != ed.got[0] {
			t.Errorf("the editor again on %v", ed.got)
		}
	})
	t.Run("no editor", func(t *testing.T) {
		a := start(t, &fakeEditor{err: errors.New("imagecx-editor is not installed next to this program or on PATH")}, "")
		a.press(action.RegionEdit)
		n := a.notes.wait(t, "The editor did not open")
		if !strings.Contains(n.Body, "Nothing was uploaded; the capture is saved as ") || a.up.uploads() != 0 {
			t.Fatalf("%q, %d uploads", n.Body, a.up.uploads())
		}
		file := strings.TrimSuffix(n.Body[strings.Index(n.Body, "saved as ")+len("saved as "):], ".")
		if _, err := os.Stat(file); err != nil {
			t.Errorf("the capture: %v", err)
		}
	})
}

// "Capture full screen and edit" shows the whole screen in the editor, and
// "Edit clipboard image" the clipboard's image (its bytes, or the first
// copied file that is one); what was edited uploads like any capture. A
// clipboard without an image says so, and opens nothing.
func TestFullScreenAndClipboardThroughTheEditor(t *testing.T) {
	a := newApp(t)
	ed := &fakeEditor{choice: editing.Upload}
	deps := a.deps()
	deps.Edit = ed.edit
	a.start(deps)

	a.press(action.FullEdit)
	a.notes.wait(t, "Uploaded")
	if ed.shown() != 1 || ed.got[0] != a.screen.img.Rect {
		t.Fatalf("the editor was shown %v, not the screen %v", ed.got, a.screen.img.Rect)
	}

	var pngData bytes.Buffer
	png.Encode(&pngData, image.NewRGBA(image.Rect(0, 0, 30, 20)))
	a.clip.mu.Lock()
	a.clip.content = clipboard.Content{Kind: clipboard.Image, MIME: "image/png", Image: pngData.Bytes()}
	a.clip.mu.Unlock()
	a.click(tray.Click{Action: action.EditClipboard})
	poll.Until(t, 5*time.Second, "two uploads", func() bool { return a.up.uploads() == 2 })
	if ed.shown() != 2 || ed.got[1] != image.Rect(0, 0, 30, 20) {
		t.Fatalf("the editor was shown %v, not the clipboard's 30×20 image", ed.got)
	}
	a.idle() // the second upload recorded
	entries, _ := a.store.Recent(context.Background(), 5)
	if len(entries) != 2 || entries[0].Source != history.FromClipboard || entries[0].Width != 7 {
		t.Errorf("history %+v", entries)
	}

	a.clip.mu.Lock()
	a.clip.content = clipboard.Content{Kind: clipboard.Text, Text: "words"}
	a.clip.mu.Unlock()
	a.click(tray.Click{Action: action.EditClipboard})
	if n := a.notes.wait(t, "Nothing to edit"); n.Body != "The clipboard holds no image." || ed.shown() != 2 {
		t.Errorf("%q, the editor shown %d times", n.Body, ed.shown())
	}
}

// A copied image is kept in the captures folder as a capture is (keep a
// local copy is on by default), with its size and thumbnail in the
// history, so every action of the history window has what it needs.
func TestClipboardImageIsKeptLikeACapture(t *testing.T) {
	a := newApp(t)
	a.start(a.deps())
	var pngData bytes.Buffer
	png.Encode(&pngData, image.NewRGBA(image.Rect(0, 0, 30, 20)))
	a.clip.mu.Lock()
	a.clip.content = clipboard.Content{Kind: clipboard.Image, MIME: "image/png", Image: pngData.Bytes()}
	a.clip.mu.Unlock()
	a.click(tray.Click{Action: action.UploadClipboard})
	a.notes.wait(t, "Uploaded — link copied")
	a.idle()
	entries, _ := a.store.Recent(context.Background(), 5)
	if len(entries) != 1 {
		t.Fatalf("history %+v", entries)
	}
	e := entries[0]
	if filepath.Dir(e.File) != a.snap.Setup.Dir || e.Width != 30 || e.Height != 20 || e.Bytes != int64(pngData.Len()) {
		t.Errorf("entry %+v", e)
	}
	if data, err := os.ReadFile(e.File); err != nil || !bytes.Equal(data, pngData.Bytes()) {
		t.Errorf("the kept file: %v", err)
	}
	if _, err := os.Stat(a.store.ThumbPath(e.ID)); err != nil {
		t.Errorf("no thumbnail: %v", err)
	}
}

// E on the overlay opens the editor, whatever the settings say; C copies
// the colour under the pointer and captures nothing.
func TestOverlayEditAndColour(t *testing.T) {
	r := image.Rect(10, 5, 40, 25)
	a := newApp(t)
	ed := &fakeEditor{choice: editing.Upload}
	deps := a.deps()
	deps.Picker = fakePicker{rect: r, img: image.NewRGBA(r), edit: true}
	deps.Edit = ed.edit
	a.start(deps)
	a.press(action.Region)
	a.notes.wait(t, "Uploaded")
	if ed.shown() != 1 {
		t.Error("E did not open the editor")
	}

	b := newApp(t)
	deps = b.deps()
	deps.Picker = fakePicker{err: &region.ColourPicked{R: 0x12, G: 0xab, B: 0x00}}
	b.start(deps)
	b.press(action.Region)
	n := b.notes.wait(t, "Colour copied")
	if text, _ := b.clip.get(); text != "#12AB00" || !strings.Contains(n.Body, "#12AB00") || b.up.count() != 0 {
		t.Errorf("clipboard %q, note %q, %d uploads", text, n.Body, b.up.count())
	}
}

// Three copied files upload as one batch: its progress is one
// notification updated in place (and the tray's tooltip), with Cancel the
// rest; cancelled after the first, the outcome takes the progress's place
// and the two not sent wait in the history for Retry, not for the next
// start.
func TestABatchShowsProgressAndCancels(t *testing.T) {
	a := newApp(t)
	a.up.gate = make(chan struct{})
	a.start(a.deps())
	var files []string
	dir := t.TempDir()
	for _, name := range []string{"a.png", "b.png", "c.png"} {
		var b bytes.Buffer
		png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8)))
		f := filepath.Join(dir, name)
		os.WriteFile(f, b.Bytes(), 0o600)
		files = append(files, f)
	}
	a.clip.mu.Lock()
	a.clip.content = clipboard.Content{Kind: clipboard.Files, Files: files}
	a.clip.mu.Unlock()
	a.click(tray.Click{Action: action.UploadClipboard})
	first := a.notes.wait(t, "Uploading 3 files (0 % done)")
	if first.Replace == "" || len(first.Actions) != 1 || first.Actions[0].Key != actCancel {
		t.Fatalf("progress note %+v", first)
	}
	if s := a.tray.last(); !s.Batch || !strings.Contains(s.Status, "uploading 3 files") {
		t.Errorf("tray %+v", s)
	}
	a.up.gate <- struct{}{} // the first file goes
	poll.Until(t, 5*time.Second, "the progress after one file", func() bool {
		for _, n := range a.notes.all() {
			if n.Replace == first.Replace && strings.HasPrefix(n.Body, "1 of 3 done") {
				return true
			}
		}
		return false
	})
	a.notes.invoked <- notify.Invoked{Tag: first.Tag, Key: actCancel}
	end := a.notes.wait(t, "1 of 3 uploaded, the rest cancelled")
	if end.Replace != first.Replace || !strings.Contains(end.Body, "The 2 not sent are in the history") {
		t.Errorf("outcome %+v", end)
	}
	a.idle()
	if s := a.tray.last(); s.Batch {
		t.Error("Cancel the rest still shown after the batch")
	}
	failed := 0
	for id := int64(2); id <= 3; id++ {
		if e, err := a.store.Get(context.Background(), id); err == nil && e.State == history.Failed && e.Permanent && e.Error == "cancelled" {
			failed++
		}
	}
	if n, _ := a.store.Failed(context.Background()); failed != 2 || n != 2 || a.tray.last().Failed != 2 {
		t.Errorf("%d cancelled in the history, %d failed, %d to retry", failed, n, a.tray.last().Failed)
	}
}

// Files handed over by another process (imagecx open) upload as one
// batch; one that cannot be read is said, the others go ahead; the
// person's files stay where they are, even with "keep a local copy" off.
func TestHandedFilesUploadAsOneBatch(t *testing.T) {
	a := newApp(t)
	a.snap.Config.Capture.KeepLocal = false
	a.snap.Delivery.DropLocal = true
	a.start(a.deps())
	dir := t.TempDir()
	var files []string
	for _, name := range []string{"a.png", "b.png"} {
		var b bytes.Buffer
		png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8)))
		f := filepath.Join(dir, name)
		os.WriteFile(f, b.Bytes(), 0o600)
		files = append(files, f)
	}
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("words"), 0o600)
	if got := a.send(instance.UploadFiles(append(files, text))); !strings.Contains(got, "3 files as one batch") {
		t.Errorf("answer %q", got)
	}
	n := a.notes.wait(t, "Uploaded 2 images — links copied")
	if n.Replace == "" {
		t.Errorf("the outcome is not in the batch's place: %+v", n)
	}
	if bad := a.notes.wait(t, "Not every file can be uploaded"); !strings.Contains(bad.Body, "notes.txt") {
		t.Errorf("%q", bad.Body)
	}
	a.idle()
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("the person's file was removed: %v", err)
		}
	}
	if e, _ := a.store.Get(context.Background(), 1); e.Source != history.FromFiles || e.Width != 8 {
		t.Errorf("entry %+v", e)
	}
}

// A file given to upload over image.cx's limit is read to be fitted when
// it is an image, and refused before anything is sent when it is not.
func TestGivenFilesOverTheLimit(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, uploader.MaxSize+1)
	copy(big, "\x89PNG\r\n\x1a\n")
	img := filepath.Join(dir, "big.png")
	os.WriteFile(img, big, 0o600)
	if data, err := readUpload(img); err != nil || len(data) != len(big) {
		t.Errorf("a large image: %d bytes, %v", len(data), err)
	}
	video := []byte{0, 0, 0, 16, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 0, 0, 0, 0, 0, 8, 'm', 'o', 'o', 'v'}
	video = append(video, 0, 0, 0, 0, 'm', 'd', 'a', 't') // to the end of the file
	video = append(video, make([]byte, uploader.MaxSize)...)
	mp4 := filepath.Join(dir, "big.mp4")
	os.WriteFile(mp4, video, 0o600)
	if _, err := readUpload(mp4); !errors.Is(err, uploader.ErrTooLarge) {
		t.Errorf("a large video: %v", err)
	}
}

// Upload files… asks the desktop's chooser and uploads what it gives as
// one batch; a closed chooser does nothing, a missing one is said; a
// second click while it is open opens no second one. Upload image from
// link… opens the link window.
func TestUploadFilesAndLinkFromTheMenu(t *testing.T) {
	a := newApp(t)
	a.snap.Config.Capture.KeepLocal = false
	deps := a.deps()
	dir := t.TempDir()
	var files []string
	for _, name := range []string{"a.png", "b.png", "c.png"} {
		var b bytes.Buffer
		png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8)))
		f := filepath.Join(dir, name)
		os.WriteFile(f, b.Bytes(), 0o600)
		files = append(files, f)
	}
	answers := make(chan []string)
	var asked atomic.Int32
	deps.ChooseFiles = func(ctx context.Context) ([]string, error) {
		asked.Add(1)
		select {
		case f := <-answers:
			return f, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var opened []string
	var mu sync.Mutex
	deps.OpenWindow = func(_ context.Context, program string, args ...string) error {
		mu.Lock()
		defer mu.Unlock()
		opened = append(opened, program+" "+strings.Join(args, " "))
		return nil
	}
	a.start(deps)
	a.click(tray.Click{Action: action.UploadFiles})
	a.click(tray.Click{Action: action.UploadFiles}) // while it is open
	answers <- files
	a.notes.wait(t, "Uploaded 3 images — links copied")
	a.idle()
	if n := asked.Load(); n != 1 {
		t.Errorf("the chooser was opened %d times", n)
	}
	if got := a.up.uploads(); got != 3 {
		t.Errorf("%d uploads", got)
	}
	a.click(tray.Click{Action: action.UploadFiles})
	answers <- nil // closed
	a.idle()
	if got := a.up.uploads(); got != 3 || asked.Load() != 2 {
		t.Errorf("after a closed chooser: %d uploads, asked %d times", got, asked.Load())
	}

	a.click(tray.Click{Action: action.UploadLink})
	a.idle()
	mu.Lock()
	if len(opened) != 1 || opened[0] != "imagecx-history --link" {
		t.Errorf("opened %q", opened)
	}
	mu.Unlock()
}

func TestNoFileChooser(t *testing.T) {
	a := newApp(t)
	a.start(a.deps())
	a.click(tray.Click{Action: action.UploadFiles})
	if n := a.notes.wait(t, "Files could not be chosen"); !strings.Contains(n.Body, "file chooser") {
		t.Errorf("%+v", n)
	}
}

// Files handed over one at a time in quick succession (Windows Explorer
// runs its verb once per selected file) go as one batch; one handed
// later is a batch of its own.
func TestFilesHandedOneByOneAreOneBatch(t *testing.T) {
	a := newApp(t)
	a.snap.Config.Capture.KeepLocal = false
	deps := a.deps()
	clock := newFakeClock()
	deps.Clock = clock
	a.start(deps)
	dir := t.TempDir()
	var files []string
	for _, name := range []string{"a.png", "b.png", "c.png", "d.png"} {
		var b bytes.Buffer
		png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8)))
		f := filepath.Join(dir, name)
		os.WriteFile(f, b.Bytes(), 0o600)
		files = append(files, f)
	}
	for _, f := range files[:3] {
		a.send(instance.UploadFiles([]string{f}))
		clock.Advance(gatherFor / 2)
	}
	if got := a.up.uploads(); got != 0 {
		t.Fatalf("%d sent while the files were still coming", got)
	}
	clock.Advance(gatherFor)
	a.notes.wait(t, "Uploaded 3 images — links copied")
	a.idle()
	a.send(instance.UploadFiles(files[3:]))
	clock.Advance(gatherFor)
	a.notes.wait(t, "Uploaded — link copied")
	a.idle()
	if got := a.up.uploads(); got != 4 {
		t.Errorf("%d uploads", got)
	}
}

// A try again by the app copies its link when the clipboard still holds
// what the app last put there, and leaves it alone when the person
// copied something since.
func TestALateLinkLeavesThePersonsClipboard(t *testing.T) {
	a := newApp(t)
	deps := a.deps()
	deps.RetryDelays = []time.Duration{time.Minute}
	clock := newFakeClock()
	deps.Clock = clock
	a.start(deps)
	waitFrom := func(from int, title string) notify.Note {
		t.Helper()
		return poll.Value(t, 5*time.Second, title, func() (notify.Note, bool) {
			for _, n := range a.notes.all()[from:] {
				if strings.HasPrefix(n.Title, title) {
					return n, true
				}
			}
			return notify.Note{}, false
		})
	}
	failNext := func() { // the next upload fails, the one after works
		a.up.mu.Lock()
		a.up.fail, a.up.fails = &uploader.Error{Kind: uploader.ErrServer, Status: 503}, len(a.up.names)+1
		a.up.mu.Unlock()
	}
	a.press(action.FullScreen) // uploaded: its link is on the clipboard
	waitFrom(0, "Uploaded — link copied")
	a.idle()
	failNext()
	from := len(a.notes.all())
	a.press(action.FullScreen) // fails; tried again in a minute
	waitFrom(from, "Upload failed")
	a.idle()
	clock.Advance(time.Minute)
	n := waitFrom(from, "Uploaded — link copied")
	a.idle()
	if got, _ := a.clip.get(); got != n.Body {
		t.Errorf("the clipboard %q, the late link %q", got, n.Body)
	}

	// Now the person copies something; the next late link leaves it.
	failNext()
	from = len(a.notes.all())
	a.press(action.FullScreen)
	waitFrom(from, "Upload failed")
	a.idle()
	a.clip.SetText("the person's words")
	clock.Advance(time.Minute)
	waitFrom(from, "Uploaded — link ready")
	a.idle()
	if got, _ := a.clip.get(); got != "the person's words" {
		t.Errorf("the clipboard is now %q", got)
	}
}

// A reload that changes no hotkey (the settings window closed) lets none
// go: a press right then is not lost in a gap between the old grab and
// the new. One that changes a hotkey lets go of that one only.
func TestReloadKeepsUnchangedHotkeys(t *testing.T) {
	a := newApp(t)
	a.start(a.deps())
	poll.Until(t, 5*time.Second, "the hotkeys grabbed", func() bool { return len(a.keys.grabbed()) == len(defaultHotkeys()) })
	a.idle()
	a.keys.mu.Lock()
	a.keys.let = 0
	a.keys.mu.Unlock()
	a.send(instance.Reload)
	a.idle()
	a.keys.mu.Lock()
	let := a.keys.let
	a.keys.mu.Unlock()
	if let != 0 {
		t.Errorf("%d hotkeys let go by a reload that changed none", let)
	}
	cfg := settings.Defaults()
	cfg.Hotkeys[action.RepeatRegion] = "Ctrl+Shift+9"
	a.mu.Lock()
	a.snap = snapshot(t, cfg, a.up)
	a.mu.Unlock()
	a.send(instance.Reload)
	a.idle()
	a.keys.mu.Lock()
	let = a.keys.let
	a.keys.mu.Unlock()
	if g := a.keys.grabbed(); let != 1 || g["repeat_region"] != "Ctrl+Shift+9" || g["full_screen"] != "Ctrl+Shift+1" {
		t.Errorf("%d let go; grabbed %v", let, g)
	}
}
