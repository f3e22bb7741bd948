package dialog

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"imagecx/action"
	"imagecx/i18n"
	"imagecx/internal/testkit/poll"
	"imagecx/settings"
	"imagecx/uploader"
	"imagecx/uploader/cxtest"
	"imagecx/uploaders"
)

type ring struct {
	m    map[string]string
	fail error
	mu   sync.Mutex
	gets int // Get calls
}

func (r *ring) Get(_ context.Context, s, u string) (string, error) {
	r.mu.Lock()
	r.gets++
	r.mu.Unlock()
	if r.fail != nil {
		return "", r.fail
	}
	v, ok := r.m[s+"/"+u]
	if !ok {
		return "", settings.ErrKeyringEntryMissing
	}
	return v, nil
}

func (r *ring) Set(_ context.Context, s, u, p string) error {
	if r.fail != nil {
		return r.fail
	}
	r.m[s+"/"+u] = p
	return nil
}

func (r *ring) Delete(_ context.Context, s, u string) error {
	if r.fail != nil {
		return r.fail
	}
	delete(r.m, s+"/"+u)
	return nil
}

type fakeAutostart struct{ on bool }

func (f *fakeAutostart) Enabled() bool     { return f.on }
func (f *fakeAutostart) Set(on bool) error { f.on = on; return nil }

type harness struct {
	d              *Form
	dir            string
	ring           *ring
	closed, saved  int
	auto           *fakeAutostart
	store          settings.Store
	keys           settings.Keys
	endpointForEnv string
}

func newHarness(t *testing.T, ringErr error, env string) *harness {
	test.NewTempApp(t)
	h := &harness{dir: t.TempDir(), ring: &ring{m: map[string]string{}, fail: ringErr}, auto: &fakeAutostart{}}
	h.store = settings.Store{Dir: h.dir}
	h.keys = settings.Keys{Ring: h.ring, File: filepath.Join(h.dir, "api-key")}
	h.d = New(Deps{Store: h.store, Keys: h.keys, Autostart: h.auto, Getenv: func(k string) string { return map[string]string{settings.EnvEndpoint: env}[k] },
		Saved: func() { h.saved++ }, Close: func() { h.closed++ }})
	test.NewTempWindow(t, h.d.Content)
	return h
}

func configText(t *testing.T, h *harness) string {
	data, err := os.ReadFile(h.store.Path())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(data)
}

func TestSavingAKeyUsesTheKeyringNeverTheConfig(t *testing.T) {
	h := newHarness(t, nil, "")
	test.Type(h.d.key, "  chv_typed_key_123\n")
	test.Tap(h.d.SaveBtn)
	if h.closed != 1 || h.saved != 1 {
		t.Fatalf("closed %d saved %d; error %q", h.closed, h.saved, h.d.saveErr.Text)
	}
	if got := h.ring.m["imagecx/api-key"]; got != "chv_typed_key_123" {
		t.Fatalf("keyring holds %q", got)
	}
	if cfg := configText(t, h); cfg == "" || strings.Contains(cfg, "chv_typed_key_123") {
		t.Fatalf("config.json: %q", cfg)
	}
	if _, err := os.Stat(h.keys.File); !os.IsNotExist(err) {
		t.Error("a key file was written although the keyring works")
	}
}

func TestSavingAKeyWithoutKeyringUsesThePrivateFile(t *testing.T) {
	h := newHarness(t, errors.New("The name org.freedesktop.secrets was not provided"), "")
	test.Type(h.d.key, "chv_file_key")
	if err := h.d.Save(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(h.keys.File)
	if err != nil || strings.TrimSpace(string(data)) != "chv_file_key" {
		t.Fatalf("key file: %q %v", data, err)
	}
	if strings.Contains(configText(t, h), "chv_file_key") {
		t.Fatal("the key is in config.json")
	}
}

func TestTestButtonSaysHowItWent(t *testing.T) {
	srv := cxtest.NewServer(cxtest.Config{})
	defer srv.Close()
	h := newHarness(t, nil, srv.URL)
	ctx := context.Background()
	if got := h.d.TestKey(ctx); got != "Paste a key first." {
		t.Errorf("no key: %q", got)
	}
	test.Type(h.d.key, srv.Key)
	if got := h.d.TestKey(ctx); got != "Key works." {
		t.Errorf("good key: %q", got)
	}
	h.d.key.SetText("chv_wrong")
	if got := h.d.TestKey(ctx); got != "image.cx rejected this key." {
		t.Errorf("bad key: %q", got)
	}
	h2 := newHarness(t, nil, "http://127.0.0.1:1")
	h2.d.key.SetText(srv.Key)
	if got := h2.d.TestKey(ctx); !strings.HasPrefix(got, "Could not reach 127.0.0.1:") || !strings.Contains(got, "nothing answers there") {
		t.Errorf("unreachable: %q", got)
	}
	if len(srv.Stored()) != 0 {
		t.Error("Test uploaded something")
	}
}

func press(e *hotkeyEntry, names ...fyne.KeyName) {
	for _, n := range names {
		e.KeyDown(&fyne.KeyEvent{Name: n})
	}
	for _, n := range names {
		e.KeyUp(&fyne.KeyEvent{Name: n})
	}
}

func TestRecordingHotkeys(t *testing.T) {
	h := newHarness(t, nil, "")
	full := h.d.hotkeys[action.FullScreen]
	if full.Value() != "Ctrl+Shift+1" {
		t.Fatalf("default %q", full.Value())
	}
	test.Tap(full)
	if !full.recording {
		t.Fatal("a click does not start recording")
	}
	press(full, desktop.KeyControlLeft, desktop.KeyAltLeft, fyne.KeyP)
	if full.Value() != "Ctrl+Alt+P" || full.recording {
		t.Fatalf("recorded %q", full.Value())
	}
	// The same combination for another action is refused beside the row.
	region := h.d.hotkeys[action.Region]
	test.Tap(region)
	press(region, desktop.KeyControlRight, desktop.KeyAltRight, fyne.KeyP)
	if !strings.Contains(h.d.hotkeyErrs[action.Region].Text, "already used for Capture full screen") {
		t.Fatalf("conflict not shown: %q", h.d.hotkeyErrs[action.Region].Text)
	}
	if err := h.d.Save(); err == nil || h.closed != 0 {
		t.Fatal("saved with a conflict")
	}
	// Backspace clears; a lone letter is not usable.
	test.Tap(region)
	press(region, fyne.KeyBackspace)
	if region.Value() != "" {
		t.Fatalf("not cleared: %q", region.Value())
	}
	test.Tap(region)
	press(region, fyne.KeyA)
	if region.Value() != "" || !strings.Contains(region.Text, "Not usable") {
		t.Fatalf("lone letter: %q %q", region.Value(), region.Text)
	}
	press(region, desktop.KeySuperLeft, fyne.KeyF9)
	if err := h.d.Save(); err != nil {
		t.Fatal(err)
	}
	cfg, _ := h.store.Load()
	if cfg.Hotkeys[action.FullScreen] != "Ctrl+Alt+P" || cfg.Hotkeys[action.Region] != "Super+F9" {
		t.Fatalf("saved %+v", cfg.Hotkeys)
	}
}

func TestInvalidEndpointIsExplainedAndNothingSaved(t *testing.T) {
	h := newHarness(t, nil, "")
	test.Type(h.d.endpointEntry, "http://example.org")
	if err := h.d.Save(); err == nil {
		t.Fatal("saved a plain-http remote endpoint")
	}
	if !strings.Contains(h.d.endpointEr.Text, "https") || !h.d.endpointEr.Visible() || h.closed != 0 || configText(t, h) != "" {
		t.Fatalf("label %q, closed %d", h.d.endpointEr.Text, h.closed)
	}
	h.d.endpointEntry.SetText("https://example.org/chevereto")
	if err := h.d.Save(); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := h.store.Load(); cfg.Endpoint != "https://example.org/chevereto" {
		t.Fatalf("endpoint %q", cfg.Endpoint)
	}
}

func TestCancelChangesNothing(t *testing.T) {
	h := newHarness(t, nil, "")
	test.Type(h.d.key, "chv_not_saved")
	h.d.link.SetSelectedIndex(2)
	h.d.autostart.SetChecked(true)
	test.Tap(h.d.CancelBtn)
	if h.closed != 1 || h.saved != 0 || configText(t, h) != "" || len(h.ring.m) != 0 || h.auto.on {
		t.Fatalf("cancel changed something: closed %d saved %d ring %v autostart %v", h.closed, h.saved, h.ring.m, h.auto.on)
	}
}

func TestOtherSettingsRoundTrip(t *testing.T) {
	h := newHarness(t, nil, "")
	h.d.link.SetSelectedIndex(2) // Markdown
	h.d.keepLocal.SetChecked(false)
	h.d.format.SetSelectedIndex(1) // JPEG
	h.d.quality.SetValue(75)
	h.d.expiry.SetSelectedIndex(3) // 1 day
	h.d.nsfw.SetChecked(true)
	test.Type(h.d.album, "oHo")
	test.Type(h.d.title, "Shot {date}")
	h.d.monitors.SetSelected("The monitor under the pointer")
	h.d.autostart.SetChecked(true)
	h.d.sound.SetChecked(true)
	if h.d.afterRegion.Selected != "Upload at once" {
		t.Errorf("after a region, by default: %q", h.d.afterRegion.Selected)
	}
	h.d.afterRegion.SetSelected("Open the editor")
	h.d.recordFPS.SetSelected("15 frames a second")
	h.d.recordMax.SetSelected("stop after 2 min")
	h.d.recordKind.SetSelectedIndex(1)
	if err := h.d.Save(); err != nil {
		t.Fatal(err)
	}
	cfg, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LinkFormat != "markdown" || cfg.Capture.KeepLocal || cfg.Capture.Format != "jpeg" || cfg.Capture.Quality != 75 ||
		cfg.Upload.Expiration != "P1D" || !cfg.Upload.NSFW || cfg.Upload.AlbumID != "oHo" || cfg.Upload.TitleTemplate != "Shot {date}" ||
		cfg.Capture.Monitors != "pointer" || !h.auto.on || !cfg.Sound || cfg.Capture.AfterRegion != settings.AfterRegionEdit ||
		cfg.Record.FPS != 15 || cfg.Record.MaxSeconds != 120 || !cfg.Record.GIF {
		t.Fatalf("saved %+v", cfg)
	}
	// Reopened, the form shows what was saved.
	h2 := &harness{}
	h2.d = New(Deps{Store: h.store, Keys: h.keys})
	if h2.d.link.Selected != "Markdown" || h2.d.format.Selected != "JPEG" || h2.d.expiry.Selected != "1 day" || h2.d.album.Text != "oHo" ||
		h2.d.afterRegion.Selected != "Open the editor" {
		t.Fatalf("reopened: %q %q %q %q %q", h2.d.link.Selected, h2.d.format.Selected, h2.d.expiry.Selected, h2.d.album.Text, h2.d.afterRegion.Selected)
	}
}

// A radio choice is saved by its place, not its words: when the
// language the catalog speaks is not the one the form was drawn in (a
// language chosen in another window meanwhile), the choice still holds.
func TestChoicesAreSavedByTheirPlace(t *testing.T) {
	defer i18n.Use(i18n.Current())
	h := newHarness(t, nil, "")
	h.d.monitors.SetSelected(h.d.monitors.Options[1])
	h.d.afterRegion.SetSelected(h.d.afterRegion.Options[1])
	i18n.Use(i18n.Japanese)
	if err := h.d.Save(); err != nil {
		t.Fatal(err)
	}
	cfg, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Capture.Monitors != "pointer" || cfg.Capture.AfterRegion != settings.AfterRegionEdit {
		t.Errorf("saved monitors %q, after a region %q", cfg.Capture.Monitors, cfg.Capture.AfterRegion)
	}
}

func TestKeyboard(t *testing.T) {
	h := newHarness(t, nil, "")
	test.Type(h.d.album, "oHo")
	h.d.album.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.closed != 1 || configText(t, h) != "" {
		t.Fatalf("Esc: closed %d, config %q", h.closed, configText(t, h))
	}
	h = newHarness(t, nil, "")
	test.Type(h.d.album, "oHo")
	h.d.album.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.closed != 1 || !strings.Contains(configText(t, h), `"album_id": "oHo"`) {
		t.Fatalf("Enter: closed %d, config %q", h.closed, configText(t, h))
	}
}

func TestHotkeyFailuresShowBesideTheRow(t *testing.T) {
	test.NewTempApp(t)
	dir := t.TempDir()
	d := New(Deps{Store: settings.Store{Dir: dir}, Keys: settings.Keys{File: filepath.Join(dir, "k")},
		HotkeyErrors: map[action.ID]string{action.Region: "Ctrl+Shift+2 is already used by another program."}})
	test.NewTempWindow(t, d.Content)
	if l := d.hotkeyErrs[action.Region]; !l.Visible() || !strings.Contains(l.Text, "another program") {
		t.Fatalf("region row: %q visible %v", l.Text, l.Visible())
	}
	if l := d.hotkeyErrs[action.FullScreen]; l.Visible() {
		t.Fatalf("an empty error is shown: %q", l.Text)
	}
}

func TestRemoveKey(t *testing.T) {
	h := newHarness(t, nil, "")
	h.keys.Set(t.Context(), "chv_stored")
	h.d.RemoveKey()
	if len(h.ring.m) != 0 || h.d.keyStatus.Text != "The key was removed." || !strings.Contains(h.d.keyWhere.Text, "No key") {
		t.Fatalf("ring %v, status %q, where %q", h.ring.m, h.d.keyStatus.Text, h.d.keyWhere.Text)
	}
}

// fakeDesktop is GNOME as the settings window sees it.
type fakeDesktop struct {
	denied  bool
	added   settings.Hotkeys
	failAdd error
}

func (f *fakeDesktop) Name() string                           { return "GNOME" }
func (f *fakeDesktop) ScreenshotsDenied() bool                { return f.denied }
func (f *fakeDesktop) AllowScreenshots() error                { f.denied = false; return nil }
func (f *fakeDesktop) AddShortcuts(hk settings.Hotkeys) error { f.added = hk; return f.failAdd }

// On GNOME the hotkeys become the desktop's own shortcuts from the
// Hotkeys tab (the fields as they are, saved or not), and a kept Deny is
// undone from the General tab.
func TestGNOMERows(t *testing.T) {
	test.NewTempApp(t)
	dir := t.TempDir()
	dt := &fakeDesktop{denied: true}
	d := New(Deps{Store: settings.Store{Dir: dir}, Keys: settings.Keys{File: filepath.Join(dir, "k")}, Desktop: dt})
	test.NewTempWindow(t, d.Content)
	full := d.hotkeys[action.FullScreen]
	test.Tap(full)
	press(full, desktop.KeyControlLeft, desktop.KeyAltLeft, fyne.KeyP)
	test.Tap(d.shortcutsBtn)
	if dt.added[action.FullScreen] != "Ctrl+Alt+P" || dt.added[action.Region] != "Ctrl+Shift+2" || !strings.Contains(d.shortcutsMsg.Text, "Added to GNOME") {
		t.Fatalf("added %v, says %q", dt.added, d.shortcutsMsg.Text)
	}
	dt.failAdd = errors.New("gsettings is not installed")
	test.Tap(d.shortcutsBtn)
	if d.shortcutsMsg.Importance != widget.DangerImportance || !strings.Contains(d.shortcutsMsg.Text, "settings is not installed") {
		t.Fatalf("failure says %q", d.shortcutsMsg.Text)
	}
	if !strings.Contains(d.allowMsg.Text, "Deny") {
		t.Fatalf("allow row %q", d.allowMsg.Text)
	}
	test.Tap(d.allowBtn)
	if dt.denied || !d.allowBtn.Disabled() || !strings.Contains(d.allowMsg.Text, "allowed again") {
		t.Fatalf("after Allow: denied %v, %q", dt.denied, d.allowMsg.Text)
	}
	// Elsewhere, neither row.
	d = New(Deps{Store: settings.Store{Dir: dir}, Keys: settings.Keys{File: filepath.Join(dir, "k")}})
	if d.shortcutsBtn != nil || d.allowBtn != nil {
		t.Fatal("GNOME's rows without GNOME")
	}
}

// A field that records tells the tray app to let go of its hotkeys, and
// to take them back when it is done, however it ends.
func TestRecordingLetsTheTrayAppGo(t *testing.T) {
	test.NewTempApp(t)
	dir := t.TempDir()
	var said []bool
	d := New(Deps{Store: settings.Store{Dir: dir}, Keys: settings.Keys{File: filepath.Join(dir, "k")}, Recording: func(on bool) { said = append(said, on) }})
	test.NewTempWindow(t, d.Content)
	full := d.hotkeys[action.FullScreen]
	test.Tap(full)
	press(full, desktop.KeyControlLeft, desktop.KeyShiftLeft, fyne.Key2)
	test.Tap(full)
	press(full, fyne.KeyEscape)
	if !reflect.DeepEqual(said, []bool{true, false, true, false}) {
		t.Fatalf("said %v", said)
	}
}

// What the key area says is true at each step: nothing stored (Remove key
// off), a typed key not saved yet, a saved key by its last four
// characters; Test's answer is green or red.
func TestKeyAreaSaysWhatIsStored(t *testing.T) {
	h := newHarness(t, nil, "")
	if !h.d.removeBtn.Disabled() || h.d.keyWhere.Text != "No key is stored yet." {
		t.Fatalf("no key: remove enabled %v, %q", !h.d.removeBtn.Disabled(), h.d.keyWhere.Text)
	}
	test.Type(h.d.key, "chv_typed_key_1234")
	if !strings.HasPrefix(h.d.keyWhere.Text, "Not saved yet") {
		t.Fatalf("typed: %q", h.d.keyWhere.Text)
	}
	test.Tap(h.d.SaveBtn)
	h2 := &harness{}
	*h2 = *h
	h2.d = New(Deps{Store: h.store, Keys: h.keys})
	test.NewTempWindow(t, h2.d.Content)
	if h2.d.removeBtn.Disabled() || !strings.Contains(h2.d.keyWhere.Text, "ending in …1234") {
		t.Fatalf("reopened: remove enabled %v, %q", !h2.d.removeBtn.Disabled(), h2.d.keyWhere.Text)
	}
}

// The JPEG quality is live only with JPEG; auto-delete offers the command
// line's choices.
func TestFormatAndExpiryChoices(t *testing.T) {
	h := newHarness(t, nil, "")
	h.d.format.SetSelected(formatLabels[0]) // PNG
	if !h.d.quality.Disabled() {
		t.Error("the JPEG quality is live with PNG")
	}
	h.d.format.SetSelected(formatLabels[1])
	if h.d.quality.Disabled() {
		t.Error("the JPEG quality is off with JPEG")
	}
	h.d.format.SetSelected(formatLabels[2])
	if !h.d.quality.Disabled() {
		t.Error("the JPEG quality is live with lossless WebP")
	}
	for _, cli := range []string{"5m", "1h", "1d", "1w", "1mo", "1y"} {
		iso, _ := uploader.ParseExpiration(cli)
		if indexOf(expiryValues, iso) < 0 {
			t.Errorf("the command line's --expire %s (%s) is not offered", cli, iso)
		}
	}
}

// No empty error label leaves a gap on the General tab.
func TestNoEmptyEndpointError(t *testing.T) {
	h := newHarness(t, nil, "")
	if h.d.endpointEr.Visible() {
		t.Error("an empty endpoint error takes room")
	}
}

// Test's answer is coloured and marked: a tick for a key that works, a
// cross for one that does not.
func TestTestAnswerIsMarked(t *testing.T) {
	srv := cxtest.NewServer(cxtest.Config{})
	defer srv.Close()
	h := newHarness(t, nil, srv.URL)
	answer := func(key string) (string, widget.Importance, fyne.Resource) {
		t.Helper()
		h.d.key.SetText(key)
		test.Tap(h.d.testBtn)
		poll.Until(t, 5*time.Second, "Test's answer", func() bool {
			var done bool
			fyne.DoAndWait(func() { done = h.d.keyStatus.Text != "Testing…" })
			return done
		})
		var text string
		var imp widget.Importance
		var mark fyne.Resource
		fyne.DoAndWait(func() {
			text, imp = h.d.keyStatus.Text, h.d.keyStatus.Importance
			if h.d.keyMark.Visible() {
				mark = h.d.keyMark.Resource
			}
		})
		return text, imp, mark
	}
	text, imp, good := answer(srv.Key)
	if text != keyWorks || imp != widget.SuccessImportance || good == nil {
		t.Errorf("a good key: %q, importance %v, mark %v", text, imp, good)
	}
	text, imp, bad := answer("chv_wrong")
	if imp != widget.DangerImportance || bad == nil || bad.Name() == good.Name() {
		t.Errorf("a wrong key (%q): importance %v, mark %v (the good one %v)", text, imp, bad, good)
	}
}

// fakeChooser is the desktop's folder chooser: it records where it was
// opened and answers what the test sends.
type fakeChooser struct {
	opened  chan string
	answers chan chooserAnswer
}

type chooserAnswer struct {
	dir string
	err error
}

// wait returns where the chooser was opened.
func (f *fakeChooser) wait(t *testing.T) string {
	t.Helper()
	select {
	case current := <-f.opened:
		return current
	case <-time.After(5 * time.Second):
		t.Fatal("the desktop's chooser was not opened")
		return ""
	}
}

func (f *fakeChooser) choose(current string) (string, error) {
	f.opened <- current
	a := <-f.answers
	return a.dir, a.err
}

func newChooserHarness(t *testing.T, chooser bool) (*Form, *fakeChooser, fyne.Window) {
	test.NewTempApp(t)
	dir := t.TempDir()
	f := &fakeChooser{opened: make(chan string, 1), answers: make(chan chooserAnswer, 1)}
	deps := Deps{Store: settings.Store{Dir: dir}, Keys: settings.Keys{Ring: &ring{m: map[string]string{}}, File: filepath.Join(dir, "api-key")}}
	if chooser {
		deps.ChooseFolder = f.choose
	}
	w := test.NewTempWindow(t, nil)
	deps.Window = w
	d := New(deps)
	w.SetContent(d.Content)
	w.Resize(fyne.NewSize(620, 520))
	return d, f, w
}

// "Choose…" opens the desktop's own chooser at the folder the field
// names (the nearest that exists), and takes what the person chose.
func TestChooseOpensTheDesktopsChooserAtTheCurrentFolder(t *testing.T) {
	d, f, _ := newChooserHarness(t, true)
	shots := filepath.Join(t.TempDir(), "shots")
	d.saveDir.SetText(filepath.Join(shots, "not-yet")) // made at the first capture
	os.Mkdir(shots, 0o700)
	test.Tap(d.chooseBtn)
	if got := f.wait(t); got != shots {
		t.Errorf("opened at %q, want %q", got, shots)
	}
	var disabled bool
	fyne.DoAndWait(func() { disabled = d.chooseBtn.Disabled() })
	if !disabled {
		t.Error("a second chooser can be opened while one is open")
	}
	f.answers <- chooserAnswer{dir: "/home/ada/Pictures/shots"}
	poll.Until(t, 5*time.Second, "the chosen folder in the field", func() bool {
		var text string
		fyne.DoAndWait(func() { text = d.saveDir.Text })
		return text == "/home/ada/Pictures/shots"
	})

	// Closed without choosing: the field keeps its folder.
	test.Tap(d.chooseBtn)
	f.wait(t)
	f.answers <- chooserAnswer{}
	poll.Until(t, 5*time.Second, "the button back", func() bool {
		var on bool
		fyne.DoAndWait(func() { on = !d.chooseBtn.Disabled() })
		return on
	})
	if d.saveDir.Text != "/home/ada/Pictures/shots" {
		t.Errorf("closing the chooser changed the folder to %q", d.saveDir.Text)
	}
}

// Where the desktop has no chooser, the window's own picker opens (and an
// empty field starts it at the default folder's nearest existing parent).
func TestChooseFallsBackToThePickerInTheWindow(t *testing.T) {
	for _, chooser := range []bool{true, false} {
		d, f, w := newChooserHarness(t, chooser)
		test.Tap(d.chooseBtn)
		if chooser {
			if got := f.wait(t); got == "" {
				t.Error("the desktop's chooser was opened nowhere")
			}
			f.answers <- chooserAnswer{err: errors.New("the desktop has no such portal")}
		}
		poll.Until(t, 5*time.Second, "the picker in the window", func() bool {
			var shown bool
			fyne.DoAndWait(func() { shown = w.Canvas().Overlays().Top() != nil })
			return shown
		})
	}
}

// Import… (or a dropped .sxcu) adds a custom uploader, its token in the
// keyring; the destination picker then offers it, and Save sends captures
// there. An uploader that takes no images is imported but not offered; a
// file imagecx cannot use says why.
func TestImportAndChooseTheDestination(t *testing.T) {
	test.NewTempApp(t)
	dir := t.TempDir()
	r := &ring{m: map[string]string{}}
	store := settings.Store{Dir: dir}
	ups := &uploaders.Store{Dir: dir, Secrets: settings.Secrets{Ring: r, Dir: dir}}
	d := New(Deps{Store: store, Keys: settings.Keys{Ring: r, File: filepath.Join(dir, "api-key")}, Uploaders: ups, Saved: func() {}, Close: func() {}})
	test.NewTempWindow(t, d.Content)
	if d.destination.Selected != uploaders.Default || len(d.destination.Options) != 1 {
		t.Fatalf("destinations %v, %q", d.destination.Options, d.destination.Selected)
	}
	d.ImportUploader([]byte(`{"Version": "17.0.0", "Name": "home", "DestinationType": "ImageUploader", "RequestURL": "https://pics.example.com/up",
		"Headers": {"Authorization": "Bearer tok"}, "Body": "Binary"}`))
	if !strings.Contains(d.importMsg.Text, "Imported “home” (https://pics.example.com). Headers.Authorization went to the keyring.") {
		t.Errorf("import said %q", d.importMsg.Text)
	}
	if r.m["imagecx/uploader/home/Headers.Authorization"] != "Bearer tok" {
		t.Errorf("keyring %v", r.m)
	}
	d.ImportUploader([]byte(`{"Version": "17.0.0", "Name": "paste", "DestinationType": "TextUploader", "RequestURL": "https://paste.example.com/", "Body": "FormURLEncoded", "Arguments": {"t": "{input}"}}`))
	if !strings.Contains(d.importMsg.Text, "captures cannot go to it") || strings.Join(d.destination.Options, ",") != "image.cx,home" {
		t.Errorf("a text uploader: %q, options %v", d.importMsg.Text, d.destination.Options)
	}
	d.ImportUploader([]byte(`{"Version": "17.0.0", "RequestURL": "https://x.example.com/", "URL": "{nope}"}`))
	if !strings.Contains(d.importMsg.Text, "Not imported:") || !strings.Contains(d.importMsg.Text, "{nope}") {
		t.Errorf("a bad file: %q", d.importMsg.Text)
	}
	d.destination.SetSelected("home")
	test.Tap(d.SaveBtn)
	cfg, _ := store.Load()
	if cfg.Upload.Destination != "home" {
		t.Errorf("saved destination %q", cfg.Upload.Destination)
	}
}

// An uploader whose file holds a value that looks like a token under a
// name that does not say is imported only after the window asks: a tick
// per such field, on by default (kept in the keyring); unticked, the
// value stays in the uploader's file.
func TestImportAsksAboutSecrets(t *testing.T) {
	test.NewTempApp(t)
	dir := t.TempDir()
	r := &ring{m: map[string]string{}}
	ups := &uploaders.Store{Dir: dir, Secrets: settings.Secrets{Ring: r, Dir: dir}}
	w := test.NewTempWindow(t, nil)
	d := New(Deps{Store: settings.Store{Dir: dir}, Keys: settings.Keys{Ring: r, File: filepath.Join(dir, "api-key")}, Uploaders: ups, Window: w, Saved: func() {}, Close: func() {}})
	w.SetContent(d.Content)
	w.Resize(fyne.NewSize(620, 560))
	file := []byte(`{"Version": "17.0.0", "Name": "custom", "DestinationType": "ImageUploader", "RequestURL": "https://c.example/up",
		"Headers": {"X-Custom": "a8f9e8d7c6b5a4f3e2d1c0b9", "X-Other": "b7f6e5d4c3b2a1f0e9d8c7b6"}, "Body": "Binary"}`)
	d.ImportUploader(file)
	var checks []*widget.Check
	var importBtn *widget.Button
	walkObjects(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Check:
			checks = append(checks, x)
		case *widget.Button:
			if x.Text == "Import" {
				importBtn = x
			}
		}
	})
	if len(checks) != 2 || !strings.HasPrefix(checks[0].Text, "Headers.X-Custom is a secret") || !checks[0].Checked || importBtn == nil {
		t.Fatalf("the question: %d ticks, import button %v", len(checks), importBtn != nil)
	}
	test.Tap(checks[1]) // X-Other is not a secret
	test.Tap(importBtn)
	stored, _ := os.ReadFile(filepath.Join(dir, "uploaders", "custom.sxcu"))
	if strings.Contains(string(stored), "a8f9e8d7c6b5") || !strings.Contains(string(stored), "b7f6e5d4c3b2") {
		t.Errorf("stored:\n%s", stored)
	}
	if r.m["imagecx/uploader/custom/Headers.X-Custom"] != "a8f9e8d7c6b5a4f3e2d1c0b9" || len(r.m) != 1 {
		t.Errorf("keyring %v", r.m)
	}
}

// walkObjects calls fn on o and everything inside it.
func walkObjects(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkObjects(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkObjects(c, fn)
		}
	}
}

// The Language choice is saved, and the window reopened in that language
// says its labels in it; "System" saves nothing (the system's language,
// whatever it is then).
func TestLanguageChoice(t *testing.T) {
	defer i18n.Use(i18n.Current())
	i18n.Use(i18n.English)
	h := newHarness(t, nil, "")
	if h.d.language.SelectedIndex() != 0 || !strings.HasPrefix(h.d.language.Selected, "System (") {
		t.Fatalf("a fresh install follows the system: %q", h.d.language.Selected)
	}
	h.d.language.SetSelected("日本語")
	if err := h.d.Save(); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := h.store.Load(); cfg.Language != "ja" {
		t.Fatalf("saved language %q", cfg.Language)
	}
	i18n.Use(i18n.Choose(h.store.Language(), func(string) string { return "" }))
	h2 := New(Deps{Store: h.store, Keys: h.keys})
	if h2.language.Selected != "日本語" || h2.afterRegion.Selected != i18n.In(i18n.Japanese, "Upload at once") || h2.afterRegion.Selected == "Upload at once" {
		t.Fatalf("reopened: %q, %q", h2.language.Selected, h2.afterRegion.Selected)
	}
	h2.language.SetSelectedIndex(0)
	if err := h2.Save(); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := h.store.Load(); cfg.Language != "" {
		t.Fatalf("System saved %q", cfg.Language)
	}
}

// In every language (and the pseudo-language, longer than any), the
// window's content fits the size it opens at: widths come from the text,
// and none of it is cut. Scaled (200 %), everything grows alike.
func TestEveryLanguageFits(t *testing.T) {
	test.NewTempApp(t)
	defer i18n.Use(i18n.Current())
	for _, l := range append(slices.Clone(i18n.Langs), i18n.Pseudo) {
		i18n.Use(l)
		d := New(Deps{Store: settings.Store{Dir: t.TempDir()}, Keys: settings.Keys{File: filepath.Join(t.TempDir(), "k")}})
		if m := d.Content.MinSize(); m.Width > WindowSize.Width || m.Height > WindowSize.Height {
			t.Errorf("%s: the content needs %v; the window opens at %v", l, m, WindowSize)
		}
	}
}

// The recording choices keep a value written by hand in the file until
// another is chosen.
func TestNearestRecordingChoice(t *testing.T) {
	for _, c := range []struct{ v, want int }{{30, 3}, {25, 2}, {1, 0}, {1000, 4}} {
		if got := nearest(recordFPS, c.v); got != c.want {
			t.Errorf("nearest(%d) = %d, want %d", c.v, got, c.want)
		}
	}
}

// Typing in the key field does not ask the keyring at each keystroke (it
// may take a moment, on the window's goroutine): what is stored is read
// when the window opens and after Save.
func TestTypingDoesNotAskTheKeyring(t *testing.T) {
	h := newHarness(t, nil, "")
	h.ring.mu.Lock()
	h.ring.gets = 0
	h.ring.mu.Unlock()
	test.Type(h.d.key, "chv_abcdefghijklmnop")
	h.ring.mu.Lock()
	gets := h.ring.gets
	h.ring.mu.Unlock()
	if gets != 0 {
		t.Errorf("the keyring was asked %d times while typing", gets)
	}
	if !strings.Contains(h.d.keyWhere.Text, "Not saved yet") {
		t.Errorf("while typing: %q", h.d.keyWhere.Text)
	}
}

// The ffmpeg that makes MP4s (Windows: a download the person points to)
// is a field with Choose… where one is needed or was chosen: it says
// whether the program is there, a missing one is not saved, and the one
// that works is.
func TestChoosingFFmpeg(t *testing.T) {
	h := newHarness(t, nil, "")
	if runtime.GOOS == "linux" && h.d.ffmpeg != nil {
		t.Fatal("the ffmpeg row shows on Linux, whose package brings ffmpeg")
	}
	missing := filepath.Join(t.TempDir(), "ffmpeg-7.1", "bin", "ffmpeg.exe")
	cfg := settings.Defaults()
	cfg.Record.FFmpeg = missing
	if err := h.store.Save(cfg); err != nil {
		t.Fatal(err)
	}
	h.d = New(Deps{Store: h.store, Keys: h.keys, Close: func() { h.closed++ }})
	test.NewTempWindow(t, h.d.Content)
	if h.d.ffmpeg == nil || h.d.ffmpeg.Text != missing {
		t.Fatal("a chosen ffmpeg is not shown")
	}
	if msg := h.d.ffmpegMsg.Text; !strings.Contains(msg, missing) || h.d.ffmpegMsg.Importance != widget.DangerImportance {
		t.Errorf("a missing ffmpeg: %q", msg)
	}
	if err := h.d.Save(); err == nil || !strings.Contains(h.d.saveErr.Text, "ffmpeg") {
		t.Errorf("saved with a missing ffmpeg: %v %q", err, h.d.saveErr.Text)
	}
	h.d.ffmpeg.SetText("ffmpeg.exe")
	if !strings.Contains(h.d.ffmpegMsg.Text, "full path") {
		t.Errorf("a name without a folder: %q", h.d.ffmpegMsg.Text)
	}

	dir := t.TempDir()
	for _, name := range []string{"ffmpeg", "ffprobe"} {
		os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755)
	}
	good := filepath.Join(dir, "ffmpeg")
	test.Type(h.d.ffmpeg, "")
	h.d.ffmpeg.SetText(good)
	if msg := h.d.ffmpegMsg.Text; !strings.Contains(msg, good) || h.d.ffmpegMsg.Importance != widget.SuccessImportance {
		t.Errorf("an ffmpeg that is there: %q", msg)
	}
	if err := h.d.Save(); err != nil {
		t.Fatal(err)
	}
	if got, err := h.store.Load(); err != nil || got.Record.FFmpeg != good {
		t.Fatalf("saved %q, %v", got.Record.FFmpeg, err)
	}
}
