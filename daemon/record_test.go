package daemon

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"imagecx/action"
	"imagecx/assets"
	"imagecx/capture"
	"imagecx/history"
	"imagecx/internal/testkit/poll"
	"imagecx/notify"
	"imagecx/record"
	"imagecx/shot"
	"imagecx/tray"
)

// tinyMP4 is the smallest file that passes for an MP4 (ftyp, moov, mdat).
var tinyMP4 = []byte{0, 0, 0, 16, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 0, 0, 0, 0, 0, 8, 'm', 'o', 'o', 'v', 0, 0, 0, 8, 'm', 'd', 'a', 't'}

// fakeRecorder records nothing: each recording is stopped by the test
// or ends when end is closed.
type fakeRecorder struct {
	mu      sync.Mutex
	started []image.Rectangle
	on      []image.Point // the screenshots' sizes the areas were chosen on
	opts    []record.Options
	fail    error
	last    *fakeRecording
	left    []shot.Job // cut-off recordings found at the start
}

// areas is what each recording started recorded.
func (f *fakeRecorder) areas() []image.Rectangle {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.started)
}

func (f *fakeRecorder) Start(_ context.Context, area image.Rectangle, on image.Point, _ bool, o record.Options) (Recording, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	f.started, f.on, f.opts = append(f.started, area), append(f.on, on), append(f.opts, o)
	f.last = &fakeRecording{end: make(chan struct{})}
	return f.last, nil
}

func (f *fakeRecorder) Leftovers(context.Context, record.Options) ([]shot.Job, []error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.left, nil
}

func (f *fakeRecorder) recording() *fakeRecording {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

type fakeRecording struct {
	end     chan struct{}
	stopped int
	mu      sync.Mutex
}

func (r *fakeRecording) Done() <-chan struct{} { return r.end }
func (r *fakeRecording) Stop(context.Context) (shot.Job, string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped++
	return shot.Job{Name: "imagecx-rec.mp4", Data: tinyMP4, MIME: "video/mp4", Width: 64, Height: 48}, "", nil
}

// Record screen… records the screen's area: the tray shows it (its icon,
// the time in the tooltip, Stop recording), a notification has Stop; the
// hotkey's action again stops it, and the video is saved and uploaded as
// a capture is. A recording that ends by itself (the cap) is uploaded
// too; one that cannot start is said.
func TestRecordTheScreen(t *testing.T) {
	a := newApp(t)
	deps := a.deps()
	clock := newFakeClock()
	deps.Clock = clock
	rec := &fakeRecorder{}
	deps.Recorder = rec
	a.start(deps)

	a.click(tray.Click{Action: action.RecordScreen})
	n := a.notes.wait(t, "Recording the screen")
	if len(n.Actions) != 1 || n.Actions[0].Key != actStop || !strings.Contains(n.Body, "Ctrl+Shift+5") {
		t.Errorf("the recording's note: %+v", n)
	}
	a.idle()
	if len(rec.started) != 1 || rec.started[0] != a.screen.img.Rect || rec.opts[0].FPS != 30 || rec.opts[0].Max != time.Minute {
		t.Fatalf("started %v %+v", rec.started, rec.opts)
	}
	clock.Advance(3 * time.Second)
	a.idle()
	if s := a.tray.last(); !s.Recording || s.Icon != assets.Recording || !strings.Contains(s.Status, "recording 0:03") {
		t.Errorf("the tray while recording: %+v", s)
	}
	a.click(tray.Click{Action: action.RecordScreen}) // the hotkey again
	a.notes.wait(t, "Uploaded — link copied")
	a.idle()
	if s := a.tray.last(); s.Recording || s.Icon == assets.Recording {
		t.Errorf("the tray after: %+v", s)
	}
	if got := a.up.uploads(); got != 1 {
		t.Errorf("%d uploads", got)
	}

	// Stop recording from the notification; then one that ends by itself.
	from := len(a.notes.all())
	a.click(tray.Click{Action: action.RecordScreen})
	a.idle()
	n = a.notes.all()[from]
	a.notes.invoked <- notify.Invoked{Tag: n.Tag, Key: actStop}
	poll.Until(t, 5*time.Second, "the second upload", func() bool { return a.up.uploads() == 2 })
	a.click(tray.Click{Action: action.RecordScreen})
	a.idle()
	close(rec.recording().end)
	poll.Until(t, 5*time.Second, "the third upload", func() bool { return a.up.uploads() == 3 })

	rec.mu.Lock()
	rec.fail = errors.New("ffmpeg is missing")
	rec.mu.Unlock()
	a.click(tray.Click{Action: action.RecordScreen})
	if n := a.notes.wait(t, "Recording failed"); !strings.Contains(strings.ToLower(n.Body), "ffmpeg is missing") {
		t.Errorf("%+v", n)
	}
	a.idle()
	if s := a.tray.last(); s.Recording {
		t.Errorf("recording after a failed start: %+v", s)
	}
}

// Without a recorder (Wayland, Windows for now) the action says so.
func TestNoRecorder(t *testing.T) {
	a := newApp(t)
	a.start(a.deps())
	a.click(tray.Click{Action: action.RecordScreen})
	if n := a.notes.wait(t, "Recording failed"); !strings.Contains(n.Body, "not available") {
		t.Errorf("%+v", n)
	}
}

// A recording cut off by the app's end is kept at the next start: saved,
// in the history as not uploaded, and said; nothing is uploaded.
func TestACutOffRecordingIsKept(t *testing.T) {
	a := newApp(t)
	deps := a.deps()
	deps.Recorder = &fakeRecorder{left: []shot.Job{{Name: "imagecx-cut.mp4", Data: tinyMP4, MIME: "video/mp4", Width: 64, Height: 48}}}
	a.start(deps)
	n := a.notes.wait(t, "A recording was kept")
	a.idle()
	e, err := a.store.Get(context.Background(), 1)
	if err != nil || e.State != history.Recovered || e.File == "" || !strings.Contains(n.Body, e.File) {
		t.Errorf("entry %+v, %v; note %q", e, err, n.Body)
	}
	if got := a.up.uploads(); got != 0 {
		t.Errorf("%d uploads of a recording nobody stopped", got)
	}
}

// Start or stop recording (Ctrl+Shift+5) records the screen until a
// region was recorded, then a region, also after a restart (the choice
// is kept in the state folder); pressed while recording, it stops.
func TestOneKeyRecordsAsLastTime(t *testing.T) {
	a := newApp(t)
	deps := a.deps()
	deps.Clock = newFakeClock()
	rec := &fakeRecorder{}
	deps.Recorder = rec
	r := image.Rect(100, 80, 420, 300)
	deps.Picker = fakePicker{rect: r, img: image.NewRGBA(r)}
	a.start(deps)

	toggle := func(want string) {
		t.Helper()
		a.click(tray.Click{Action: action.Record})
		a.notes.wait(t, "Recording the screen")
		a.idle()
		uploads := a.up.uploads()
		a.click(tray.Click{Action: action.Record})
		poll.Until(t, 5*time.Second, "the recording uploaded", func() bool { return a.up.uploads() == uploads+1 })
		a.idle()
		areas := rec.areas()
		got := areas[len(areas)-1]
		if (want == "screen") != (got == a.screen.img.Rect) || (want == "region") != (got == r) {
			t.Errorf("recorded %v, want the %s", got, want)
		}
	}
	toggle("screen")
	a.click(tray.Click{Action: action.RecordRegion})
	a.notes.wait(t, "Recording the screen")
	a.idle()
	a.click(tray.Click{Action: action.RecordRegion})
	poll.Until(t, 5*time.Second, "the region's recording uploaded", func() bool { return a.up.uploads() == 2 })
	a.idle()
	toggle("region")
	toggle("region")
	if got := LastRecording(deps.StateDir); got != action.RecordRegion {
		t.Errorf("kept %q, want %q", got, action.RecordRegion)
	}
	a.click(tray.Click{Action: action.RecordScreen})
	a.idle()
	a.click(tray.Click{Action: action.Record})
	poll.Until(t, 5*time.Second, "the screen's recording uploaded", func() bool { return a.up.uploads() == 5 })
	a.idle()
	if got := LastRecording(deps.StateDir); got != action.RecordScreen {
		t.Errorf("kept %q, want %q", got, action.RecordScreen)
	}
}

// What LastRecording reads: the two choices, nothing else.
func TestLastRecordingFile(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		file string
		want action.ID
	}{
		{"record_region\n", action.RecordRegion},
		{"record_screen", action.RecordScreen},
		{"full_screen\n", ""},
		{"", ""},
	} {
		os.WriteFile(filepath.Join(dir, lastRecordingFile), []byte(c.file), 0o600)
		if got := LastRecording(dir); got != c.want {
			t.Errorf("%q: %q, want %q", c.file, got, c.want)
		}
	}
	if got := LastRecording(filepath.Join(dir, "none")); got != "" {
		t.Errorf("no file: %q", got)
	}
}

// Where imagecx cannot read the screen (Wayland), a region to record is
// chosen by ChooseArea (slurp on wlroots, the overlay on the desktop's
// screenshot elsewhere) and recorded from the desktop's screen cast, with
// the size of the screenshot it was chosen on; a cancelled choice records
// nothing; where there is no way to choose one, the person is told.
func TestRegionRecordingOnWayland(t *testing.T) {
	a := newApp(t)
	deps := a.deps()
	deps.Clock = newFakeClock()
	rec := &fakeRecorder{}
	deps.Recorder = rec
	deps.Pipe.Screen = nil
	r := image.Rect(2000, 100, 2400, 400)
	var cancel atomic.Bool
	var chooserOpened atomic.Int32
	var held atomic.Pointer[chan struct{}] // the person still dragging, until closed
	deps.ChooseArea = func(ctx context.Context) (image.Rectangle, image.Point, error) {
		chooserOpened.Add(1)
		if h := held.Load(); h != nil {
			<-*h
		}
		if cancel.Load() {
			return image.Rectangle{}, image.Point{}, capture.ErrCancelled
		}
		return r, image.Pt(2560, 1440), nil // on the desktop's screenshot
	}
	a.start(deps)
	a.click(tray.Click{Action: action.RecordRegion})
	a.notes.wait(t, "Recording the screen")
	a.idle()
	a.click(tray.Click{Action: action.RecordRegion})
	poll.Until(t, 5*time.Second, "the region's recording uploaded", func() bool { return a.up.uploads() == 1 })
	a.idle()
	rec.mu.Lock()
	on := slices.Clone(rec.on)
	rec.mu.Unlock()
	if areas := rec.areas(); len(areas) != 1 || areas[0] != r || on[0] != image.Pt(2560, 1440) {
		t.Errorf("recorded %v on %v, want %v on the screenshot", areas, on, r)
	}

	cancel.Store(true)
	a.click(tray.Click{Action: action.RecordRegion})
	a.idle()
	if started := len(rec.areas()); started != 1 {
		t.Errorf("%d recordings started after a cancelled choice", started)
	}
	if n := chooserOpened.Load(); n != 2 {
		t.Fatalf("the chooser opened %d times, want 2", n)
	}

	// A second press while the chooser is up opens no second one.
	cancel.Store(false)
	release := make(chan struct{})
	held.Store(&release)
	a.click(tray.Click{Action: action.RecordRegion})
	poll.Until(t, 5*time.Second, "the chooser", func() bool { return chooserOpened.Load() == 3 })
	a.click(tray.Click{Action: action.RecordRegion})
	a.send("status") // the loop has taken the press
	close(release)
	a.notes.wait(t, "Recording the screen")
	a.idle()
	if n := chooserOpened.Load(); n != 3 {
		t.Errorf("the chooser opened %d times for two presses while it was up", n-2)
	}
	a.click(tray.Click{Action: action.RecordRegion}) // stops it
	poll.Until(t, 5*time.Second, "the second recording uploaded", func() bool { return a.up.uploads() == 2 })

	b := newApp(t)
	deps = b.deps()
	deps.Recorder = &fakeRecorder{}
	deps.Pipe.Screen = nil
	b.start(deps)
	b.click(tray.Click{Action: action.RecordRegion})
	poll.Until(t, 5*time.Second, "the person told", func() bool {
		for _, n := range b.notes.all() {
			if strings.Contains(n.Body, "not available on this desktop yet") {
				return true
			}
		}
		return false
	})
}
