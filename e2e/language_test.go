package e2e

import (
	"context"
	"encoding/json"
	"image"
	"image/draw"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/annotate"
	"imagecx/fonts"
	"imagecx/i18n"
	"imagecx/instance"
	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/imgdiff"
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

// The editor under zh-TW: its window title is Chinese, and 你好世界, pasted
// into the text tool's field, reaches the upload drawn — pixel for pixel
// what annotate draws with the system's CJK font (the Go font alone draws
// boxes, which this would catch).
func TestEditorDrawsChinese(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	d.u.env["LANG"] = "zh_TW.UTF-8"
	d.editorTitle = i18n.In(i18n.Traditional, "imagecx editor")
	d.start()
	region := image.Rect(100, 100, 500, 400)
	screen := image.NewRGBA(image.Rect(0, 0, region.Dx(), region.Dy()))
	draw.Draw(screen, screen.Rect, desktopImage(t), region.Min, draw.Src)

	d.key("ctrl+shift+3")
	d.dragRegion(0, region.Min, region.Max)
	o := d.editorShows(screen, region.Min)
	textAt := image.Pt(60, 200)
	x, y := itoa(o.X+200), itoa(o.Y+150)
	d.tool("xdotool", "mousemove", x, y) // no window manager: keys go where the pointer is
	// Each step waits to be seen, as a person's next one does.
	win := d.editorArea()
	d.step(win, true, func() { d.key("t") }) // the text tool's button lights up
	d.step(win, true, func() { d.tool("xdotool", "mousemove", itoa(o.X+textAt.X), itoa(o.Y+textAt.Y), "click", "1") })
	const text = "你好世界"
	d.copyToClipboard("UTF8_STRING", []byte(text)) // xdotool types Han characters unreliably: a person pastes them, or uses an input method
	d.step(win, true, func() { d.key("ctrl+v") })
	d.step(win, true, func() { d.key("Return") }) // the text is placed
	d.key("Return")                               // uploaded

	got, err := imgdiff.Decode(d.waitStored(1, 30*time.Second)[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	defer i18n.Use(i18n.Current())
	i18n.Use(i18n.Traditional) // the editor's shapes: Traditional Chinese
	if _, err := fonts.CJK(i18n.Traditional); err != nil {
		t.Fatalf("%v: scripts/deps.sh test installs fonts-noto-cjk", err)
	}
	doc := annotate.New(screen)
	doc.Add(annotate.Shape{Tool: annotate.Text, Points: []image.Point{textAt}, Color: annotate.Colors[0], Width: annotate.Widths[1], Text: text})
	want := doc.Render()
	up := imgdiff.RGBA(got)
	if up.Rect != want.Rect {
		t.Fatalf("uploaded %v, want %v", up.Rect, want.Rect)
	}
	diff := 0
	for i := range up.Pix {
		if up.Pix[i] != want.Pix[i] {
			diff++
		}
	}
	if diff != 0 {
		t.Errorf("%d bytes of the upload differ from %s drawn with the CJK font", diff, text)
	}
	if same := string(up.Pix) == string(screen.Pix); same {
		t.Error("nothing was drawn")
	}
	d.waitNoWindow(d.editorTitle, 10*time.Second)
}

// The pseudo-language (IMAGECX_LANGUAGE=qps) turns every catalog text
// into ⟦áççéñţéđ⟧ text: a string a person reads that is not in the
// catalog shows up as plain English. The tray's menu and tooltip and the
// notes of a first session — nothing uploaded yet, an empty clipboard, an
// upload, a refused one, a deleted one — hold none.
func TestPseudoLanguageLeavesNoEnglish(t *testing.T) {
	d := newDesk(t, deskOpts{})
	d.u.env["IMAGECX_LANGUAGE"] = "qps"
	for s, want := range map[string]string{"⟦Úplóáđ⟧ https://image.cx/i/a /tmp/a.png Ctrl+Shift+1 127.0.0.1 imagecx": "", "⟦Áñ ⟦éřřóř⟧⟧: Upload failed": "Upload"} {
		if got := english(s); got != want {
			t.Fatalf("english(%q) = %q, want %q", s, got, want)
		}
	}
	p := d.start()
	q := func(key string) string { return i18n.In(i18n.Pseudo, key) }
	d.tray.WaitItem(t, p.item, q("Capture full screen"), 10*time.Second)
	var labels []string
	var walk func([]dbustest.MenuItem)
	walk = func(items []dbustest.MenuItem) {
		for _, it := range items {
			if it.Label != "" && it.Visible {
				labels = append(labels, it.Label)
			}
			walk(it.Children)
		}
	}
	walk(d.tray.Menu(t, p.item))
	if len(labels) < 8 {
		t.Fatalf("the menu has %d labels", len(labels))
	}
	for _, l := range labels {
		if w := english(l); w != "" {
			t.Errorf("menu item %q: %q is not from the catalog", l, w)
		}
	}
	if v, err := d.tray.Property(p.item, "ToolTip"); err != nil {
		t.Error(err)
	} else if tip, ok := v.Value().([]any); !ok || len(tip) != 4 {
		t.Errorf("tooltip %v", v)
	} else {
		for _, s := range []any{tip[2], tip[3]} {
			if w := english(s.(string)); w != "" {
				t.Errorf("tooltip %q: %q is not from the catalog", s, w)
			}
		}
	}

	d.tray.Click(t, p.item, q("Copy last link"))
	d.notes.Wait(t, 0, 10*time.Second, titled(q("Nothing uploaded yet")))
	d.copyToClipboard("UTF8_STRING", []byte("just text"))
	d.tray.Click(t, p.item, q("Upload clipboard image"))
	d.notes.Wait(t, 0, 10*time.Second, titled(q("Nothing to upload")))
	d.key("ctrl+shift+1")
	up := d.notes.Wait(t, 0, 30*time.Second, titled(q("Uploaded — link copied")))
	d.srv.Script(cxtest.APIError(400, "Invalid image"))
	d.key("ctrl+shift+1")
	d.notes.Wait(t, 0, 30*time.Second, titled(q("Upload failed")))
	from := len(d.notes.All())
	d.notes.Invoke(t, up, "delete")
	ask := d.notes.Wait(t, from, 10*time.Second, func(n dbustest.Note) bool {
		return strings.HasPrefix(n.Title, "⟦") && strings.Contains(n.Body, "http")
	})
	d.notes.Invoke(t, ask, "delete-yes")
	d.notes.Wait(t, from+1, 10*time.Second, func(n dbustest.Note) bool { return strings.Contains(n.Body, "http") })

	all := d.notes.All()
	for _, n := range all {
		texts := []string{n.Title, n.Body}
		for i := 1; i < len(n.Actions); i += 2 {
			texts = append(texts, n.Actions[i])
		}
		for _, s := range texts {
			if w := english(s); w != "" {
				t.Errorf("notification %q / %q: %q is not from the catalog", n.Title, n.Body, w)
			}
		}
	}
	if len(all) < 6 {
		t.Errorf("%d notifications", len(all))
	}
}

// english is the first English word in s outside the pseudo-language's
// ⟦…⟧, once links, paths, hosts and key names are set aside; "" when
// there is none.
func english(s string) string {
	var out strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '⟦':
			depth++
		case r == '⟧':
			depth--
		case depth == 0:
			out.WriteRune(r)
		}
	}
	for _, f := range strings.Fields(out.String()) {
		f = strings.Trim(f, ".,:;()“”\"'")
		switch {
		case strings.Contains(f, "://"), strings.HasPrefix(f, "/"), strings.Contains(f, "."), strings.Contains(f, "+"), f == "imagecx":
			continue
		}
		letters := 0
		for _, r := range f {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				letters++
			}
		}
		if letters >= 2 {
			return f
		}
	}
	return ""
}
