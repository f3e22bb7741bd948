package e2e

import (
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"
)

// Settings… in the tray menu opens the window; a key saved there is used by
// the next capture, without restarting the tray app.
func TestSettingsWindowSetsTheKey(t *testing.T) {
	d := newDesk(t, deskOpts{config: `{"version":1}`})
	delete(d.u.env, "IMAGECX_API_KEY")
	os.MkdirAll(d.u.configDir(), 0o700)
	os.WriteFile(filepath.Join(d.u.configDir(), "api-key"), []byte("chv_old_key\n"), 0o600) // not first run
	p := d.start()

	d.tray.Click(t, p.item, "Settings…")
	win := d.waitWindow("imagecx Settings", 60*time.Second)
	// A second request brings the same window forward instead of another.
	d.tray.Click(t, p.item, "Settings…")
	time.Sleep(time.Second)
	if out := d.tool("xdotool", "search", "--onlyvisible", "--name", "imagecx Settings"); len(strings.Fields(out)) != 1 {
		t.Errorf("windows: %q", out)
	}
	// The key field has the focus: type the key, Enter saves.
	d.tool("xdotool", "windowfocus", "--sync", win)
	d.tool("xdotool", "type", "--delay", "20", d.srv.Key)
	from := len(d.notes.All())
	d.key("Return")
	d.waitNoWindow("imagecx Settings", 20*time.Second)
	d.waitLog("settings reloaded", 1, 10*time.Second)
	d.notes.Wait(t, from, 10*time.Second, titled("Settings saved")) // the window closed: a sign it saved

	d.key("ctrl+shift+1")
	stored := d.waitStored(1, 30*time.Second)
	if got := stored[0].Header.Get("X-API-Key"); got != d.srv.Key {
		t.Fatalf("the capture used key %q, not the one saved in Settings", got)
	}
	data, _ := os.ReadFile(filepath.Join(d.u.configDir(), "config.json"))
	if strings.Contains(string(data), d.srv.Key) {
		t.Error("the key is in config.json")
	}
}

// The tray app works from the settings it read; `imagecx key set` tells
// it to read the key again, so the next capture uploads with it.
func TestKeySetWhileTheTrayAppRuns(t *testing.T) {
	d := newDesk(t, deskOpts{noKey: true, noTray: true})
	os.MkdirAll(d.u.configDir(), 0o700)
	os.WriteFile(filepath.Join(d.u.configDir(), "api-key"), []byte("chv_old_key\n"), 0o600) // not first run
	d.start()
	r := d.u.run(d.srv.Key+"\n", "key", "set")
	if r.code != 0 || !strings.Contains(r.stdout, "The running imagecx uses it from now on.") {
		t.Fatalf("key set:\n%s", r)
	}
	d.key("ctrl+shift+1")
	if got := d.waitStored(1, 30*time.Second)[0].Header.Get("X-API-Key"); got != d.srv.Key {
		t.Fatalf("the capture used key %q, not the one just set", got)
	}
}

// Recording a hotkey in the settings window while the tray app runs: the
// tray app lets go of its own, so Ctrl+Shift+1 pressed into the field is
// recorded there and takes no screenshot; afterwards it captures again.
func TestRecordingAHotkeyDoesNotFireIt(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()
	d.tray.Click(t, p.item, "Settings…")
	win := d.waitWindow("imagecx Settings", 60*time.Second)
	time.Sleep(time.Second) // fyne draws its first frame
	// The window has imagecx's icon for the title bar and the taskbar.
	if err := windowIcon(d.tool("xprop", "-len", "4000000", "-id", win, "-notype", "-f", "_NET_WM_ICON", "32c", "$0+", "_NET_WM_ICON")); err != nil {
		t.Errorf("the settings window's icon: %v", err)
	}
	click := func(x, y int) {
		d.tool("xdotool", "mousemove", "--window", win, strconv.Itoa(x), strconv.Itoa(y), "click", "1")
		time.Sleep(500 * time.Millisecond)
	}
	click(117, 21)  // the Hotkeys tab
	click(397, 181) // the "Repeat last region" field: it records
	d.waitLog("hotkeys let go", 1, 10*time.Second)
	d.key("ctrl+shift+1")
	time.Sleep(time.Second)
	if n := len(d.srv.Requests()); n != 0 || strings.Contains(d.logText(), "msg=hotkey action=full_screen") {
		t.Fatalf("Ctrl+Shift+1 pressed into the settings took a screenshot (%d requests)", n)
	}
	d.key("Escape") // the field stops recording
	d.waitLog("hotkeys taken back", 1, 10*time.Second)
	d.key("Escape") // the window closes, nothing saved
	d.waitNoWindow("imagecx Settings", 20*time.Second)
	d.key("ctrl+shift+1")
	d.waitStored(1, 30*time.Second)
}

// windowIcon checks a window's _NET_WM_ICON as xprop prints it with
// "32c $0+" (width, height, then that many ARGB pixels, for each size):
// the property must hold an icon a window manager can draw, not merely
// exist.
// hasIcon checks that window win has an icon in _NET_WM_ICON that a
// title bar and a taskbar can show.
func (d *desk) hasIcon(win string) {
	d.t.Helper()
	if err := windowIcon(d.tool("xprop", "-len", "4000000", "-id", win, "-notype", "-f", "_NET_WM_ICON", "32c", "$0+", "_NET_WM_ICON")); err != nil {
		d.t.Errorf("window %s: %v", win, err)
	}
}

func windowIcon(xprop string) error {
	list, ok := strings.CutPrefix(strings.TrimSpace(xprop), "_NET_WM_ICON")
	if !ok || strings.Contains(xprop, "not found") || strings.Contains(xprop, "no such atom") {
		return fmt.Errorf("no _NET_WM_ICON: %.80s", xprop)
	}
	var v []uint64
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 0, 32)
		if err != nil {
			return fmt.Errorf("_NET_WM_ICON is not a list of numbers: %.80s", xprop)
		}
		v = append(v, n)
	}
	if len(v) < 2 {
		return fmt.Errorf("_NET_WM_ICON is empty: %.80s", xprop)
	}
	w, h := v[0], v[1]
	if w < 16 || h < 16 || uint64(len(v)) < 2+w*h {
		return fmt.Errorf("_NET_WM_ICON says %d×%d with %d values", w, h, len(v)-2)
	}
	for _, px := range v[2 : 2+w*h] {
		if px>>24 != 0 {
			return nil
		}
	}
	return fmt.Errorf("the %d×%d icon is fully transparent", w, h)
}

// The icon check fails on what a window without a usable icon shows.
func TestWindowIconCheck(t *testing.T) {
	pixels := func(px string) string {
		return "_NET_WM_ICON16, 16" + strings.Repeat(", "+px, 256)
	}
	for _, bad := range []string{
		"_NET_WM_ICON:  not found.",
		"_NET_WM_ICON",                 // exists, empty
		"_NET_WM_ICON16, 16, 0",        // cut short
		pixels("0x00ffffff"),           // nothing drawn
		"_NET_WM_ICON0, 0",             // no size
		"_NET_WM_ICON16, 16, nonsense", // not numbers
	} {
		if windowIcon(bad) == nil {
			t.Errorf("%.40q passed", bad)
		}
	}
	if err := windowIcon(pixels("0xff336699")); err != nil {
		t.Error(err)
	}
}

// The windows open centred on the monitor under the pointer, not on the
// first one (nor across both, where the X server knows the monitors
// only as RandR monitors).
func TestWindowsOpenOnThePointersMonitor(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	d.tool("xrandr", "--setmonitor", "left", "1920/508x2160/286+0+0", "screen")
	d.tool("xrandr", "--setmonitor", "right", "1920/508x2160/286+1920+0", "none")
	for _, w := range []struct {
		title, program string
		pointer        image.Point
		monitor        image.Rectangle
	}{
		{"imagecx Settings", filepath.Join(filepath.Dir(binary), "imagecx-settings"), image.Pt(3000, 1700), image.Rect(1920, 0, 3840, 2160)},
		{"imagecx History", historyWindow(), image.Pt(300, 200), image.Rect(0, 0, 1920, 2160)},
	} {
		d.tool("xdotool", "mousemove", itoa(w.pointer.X), itoa(w.pointer.Y))
		cmd := exec.Command(w.program)
		cmd.Env = d.u.environ()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		win := d.waitWindow(regexp.QuoteMeta(w.title), 60*time.Second)
		want := w.monitor.Min.Add(w.monitor.Size().Div(2))
		poll.Until(t, 10*time.Second, w.title+" centred on the monitor under the pointer", func() bool {
			r := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", win))
			c := r.Min.Add(r.Size().Div(2))
			return !r.Empty() && abs(c.X-want.X) <= 4 && abs(c.Y-want.Y) <= 4
		})
		cmd.Process.Kill()
		cmd.Wait()
	}
}
