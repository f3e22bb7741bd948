package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
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
	if out := d.tool("xprop", "-id", win, "_NET_WM_ICON"); !strings.Contains(out, "_NET_WM_ICON(CARDINAL)") {
		t.Errorf("no window icon: %.80s", out)
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
