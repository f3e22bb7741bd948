package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/instance"
	"imagecx/internal/testkit/xvfb"
)

// Saved settings apply at once: the settings window tells the tray app to
// reload (as here), and the new hotkey and title template work without a
// restart.
func TestReloadAppliesNewHotkeysAndTitle(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	d.start()
	os.MkdirAll(d.u.configDir(), 0o700)
	if err := os.WriteFile(filepath.Join(d.u.configDir(), "config.json"),
		[]byte(`{"hotkeys":{"full_screen":"Ctrl+Alt+9"},"upload":{"timeout_seconds":60,"title_template":"{window} at {time}"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := instance.Send(ctx, instance.Path(func(k string) string { return d.u.env[k] }), "reload"); err != nil {
		t.Fatal(err)
	}
	d.waitLog("settings reloaded", 1, 10*time.Second)
	d.waitLog("hotkey=Ctrl+Alt+9", 1, 10*time.Second)
	xvfb.AnnounceWindow(t, d.x.Display, "Release notes — Editor")

	d.key("ctrl+shift+1") // no longer bound
	d.key("ctrl+alt+9")
	stored := d.waitStored(1, 30*time.Second)
	time.Sleep(300 * time.Millisecond)
	if n := len(d.srv.Requests()); n != 1 {
		t.Errorf("%d uploads: the old hotkey still works", n)
	}
	if title := stored[0].Fields["title"]; len(title) != 1 || title[0][:len("Release notes — Editor at ")] != "Release notes — Editor at " {
		t.Errorf("title %q", title)
	}
}

// A settings file broken while the tray app runs: it says so, keeps the
// settings in use (the site was only in the file), and leaves the file
// for the person to fix.
func TestBrokenSettingsWhileRunningKeepTheOldOnes(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	delete(d.u.env, "IMAGECX_ENDPOINT")
	path := filepath.Join(d.u.configDir(), "config.json")
	os.MkdirAll(d.u.configDir(), 0o700)
	os.WriteFile(path, []byte(`{"endpoint":"`+d.srv.URL+`"}`), 0o600)
	d.start()
	broken := []byte(`{"endpoint": "` + d.srv.URL)
	os.WriteFile(path, broken, 0o600)
	from := len(d.notes.All())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := instance.Send(ctx, instance.Path(func(k string) string { return d.u.env[k] }), "reload"); err != nil {
		t.Fatal(err)
	}
	n := d.notes.Wait(t, from, 10*time.Second, titled("Settings not applied"))
	if !strings.Contains(n.Body, path) || !strings.Contains(n.Body, "keeps the settings it had") {
		t.Errorf("notification %q", n.Body)
	}
	d.waitLog("the settings in use are kept", 1, 5*time.Second)
	d.key("ctrl+shift+1")
	d.waitStored(1, 30*time.Second) // still the site from the file
	if data, _ := os.ReadFile(path); string(data) != string(broken) {
		t.Error("the broken file was moved or changed")
	}
}
