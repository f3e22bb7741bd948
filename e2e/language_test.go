package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/i18n"
	"imagecx/instance"
	"imagecx/internal/dbustest"
	"imagecx/settings"
	"imagecx/uploader/cxtest"
)

// Under LANG=zh_TW.UTF-8 the tray speaks Traditional Chinese: its menu
// (read over the tray host's D-Bus), its tooltip and a failed upload's
// notification; the Language setting, set to 日本語, wins over LANG and
// applies to the running tray app without a restart.
func TestTraySpeaksTheUsersLanguage(t *testing.T) {
	d := newDesk(t, deskOpts{})
	d.u.env["LANG"] = "zh_TW.UTF-8"
	p := d.start()
	in := func(l i18n.Lang, key string, args ...any) string { return i18n.In(l, key, args...) }
	for _, key := range []string{"Capture full screen", "Capture region and edit…", "Upload clipboard image", "Recent uploads", "History…", "Settings…", "Quit"} {
		want := in(i18n.Traditional, key)
		if want == key {
			t.Fatalf("the catalog has no zh-Hant for %q", key)
		}
		d.tray.WaitItem(t, p.item, want, 10*time.Second)
	}
	if _, ok := dbustest.Find(d.tray.Menu(t, p.item), "Capture full screen"); ok {
		t.Error("an English label is left in the menu")
	}

	// A failed upload, in zh-TW, with its buttons.
	d.srv.Script(cxtest.APIError(400, "Invalid image"))
	d.key("ctrl+shift+1")
	note := d.notes.Wait(t, 0, 30*time.Second, titled(in(i18n.Traditional, "Upload failed")))
	if !strings.Contains(note.Body, in(i18n.Traditional, "the file type is not accepted")) || !strings.Contains(note.Body, "。") {
		t.Errorf("the failure in zh-TW: %q", note.Body)
	}
	if len(note.Actions) < 2 || note.Actions[1] != in(i18n.Traditional, "Retry") {
		t.Errorf("the buttons: %q", note.Actions)
	}

	// The Language setting: 日本語, whatever LANG says; the menu changes
	// at once.
	cfg := settings.Defaults()
	cfg.Language = "ja"
	data, _ := json.Marshal(cfg)
	os.MkdirAll(d.u.configDir(), 0o700)
	if err := os.WriteFile(filepath.Join(d.u.configDir(), "config.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := instance.Send(ctx, instance.Path(func(k string) string { return d.u.env[k] }), instance.Reload); err != nil { // as the settings window does on Save
		t.Fatal(err)
	}
	d.tray.WaitItem(t, p.item, in(i18n.Japanese, "Capture full screen"), 15*time.Second)
	r := d.u.run("", "upload", filepath.Join(d.u.home, "missing.png"))
	if r.code == 0 || !strings.Contains(r.stderr, "は存在しません") {
		t.Errorf("the command line with the Language setting ja:\n%s", r)
	}
}

// The command line speaks the system's language: a file that is not
// there, in zh-TW and in Simplified Chinese; English under LANG=C.
func TestCommandLineSpeaksTheUsersLanguage(t *testing.T) {
	u := newUser(t)
	u.env["IMAGECX_API_KEY"] = "chv_key"
	missing := filepath.Join(u.home, "missing.png")
	for lang, want := range map[string]string{"zh_TW.UTF-8": "不存在。", "zh_CN.UTF-8": "不存在。", "ja_JP.UTF-8": "は存在しません。", "C": "does not exist."} {
		u.env["LANG"] = lang
		r := u.run("", "upload", missing)
		if r.code == 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("LANG=%s:\n%s", lang, r)
		}
	}
}
