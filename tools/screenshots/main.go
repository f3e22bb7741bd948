// Command screenshots renders the settings, history and editor windows
// to PNG files for the README (`make screenshots`): in English (the
// settings also in the dark theme and at 2× scale) into DIR, and in each
// other language into DIR/LANG. It draws with fyne's software test
// driver, so it needs no display (Chinese and Japanese draw with the
// system's CJK font: install fonts-noto-cjk); the key that Test checks
// goes to a fake image.cx in this process.
//
//	go run ./tools/screenshots docs/screenshots
package main

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"imagecx/annotate"
	"imagecx/editor"
	"imagecx/egress"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/history/window"
	"imagecx/i18n"
	"imagecx/i18n/fynelang"
	"imagecx/settings"
	"imagecx/settings/dialog"
	"imagecx/uploader"
	"imagecx/uploader/cxtest"
)

// variant shows the default theme in one variant whatever the system says.
type variant struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: screenshots DIR")
		os.Exit(2)
	}
	out := os.Args[1]
	if err := os.MkdirAll(out, 0o755); err != nil {
		fail(err)
	}
	home, err := os.MkdirTemp("", "imagecx-screenshots-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(home)
	store := settings.Store{Dir: filepath.Join(home, "imagecx")} // defaults, as on a fresh install
	// The same key each time, so the pictures change only when the window does.
	srv := cxtest.NewServer(cxtest.Config{Keys: []string{"chv_Scr33nsh0t_" + strings.Repeat("0", 56) + "7d2e"}})
	defer srv.Close()
	http.DefaultTransport = toServer{srv.URL} // image.cx, as Test asks it, is the fake
	a := test.NewApp()
	done := make(chan struct{})
	go func() { // fyne wants UI calls off the main goroutine
		defer close(done)
		render(a, store, home, srv.Key, out)
	}()
	<-done
}

func render(a fyne.App, store settings.Store, home, key, out string) {
	locales := map[i18n.Lang]string{i18n.English: "en_US.UTF-8", i18n.Traditional: "zh_TW.UTF-8", i18n.Simplified: "zh_CN.UTF-8", i18n.Japanese: "ja_JP.UTF-8"}
	for _, l := range i18n.Langs {
		i18n.Use(l)
		os.Setenv("LC_ALL", locales[l]) // the system's language, as the Language choice names it
		dir := out
		if l != i18n.English {
			dir = filepath.Join(out, string(l))
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fail(err)
		}
		renderSettings(a, store, home, key, dir, l == i18n.English)
		a.Settings().SetTheme(variant{fynelang.Theme(theme.DefaultTheme()), theme.VariantLight})
		renderHistory(home, dir, l)
		renderEditor(dir, l)
	}
}

func renderSettings(a fyne.App, store settings.Store, home, key, out string, all bool) {
	for _, shot := range []struct {
		name   string
		v      fyne.ThemeVariant
		scale  float32
		tab    int
		tested bool // a key stored, and Test pressed
		every  bool // in every language, not only English
	}{
		{"settings-light", theme.VariantLight, 1, 0, false, true},
		{"settings-dark", theme.VariantDark, 1, 0, false, false},
		{"settings-hotkeys-light", theme.VariantLight, 1, 1, false, true},
		{"settings-capture-light", theme.VariantLight, 1, 2, false, true},
		{"settings-upload-light", theme.VariantLight, 1, 3, false, true},
		{"settings-general-light", theme.VariantLight, 1, 4, false, true},
		{"settings-key-tested-light", theme.VariantLight, 1, 0, true, true},
		{"settings-light-2x", theme.VariantLight, 2, 0, false, true},
	} {
		if !all && !shot.every {
			continue
		}
		a.Settings().SetTheme(variant{fynelang.Theme(theme.DefaultTheme()), shot.v})
		keys := settings.Keys{File: filepath.Join(home, "api-key")}
		if shot.tested {
			keys.Ring = &memRing{} // as in the desktop's keyring: the text names no path
		}
		if shot.tested {
			if _, err := keys.Set(context.Background(), key); err != nil {
				fail(err)
			}
		}
		d := dialog.New(dialog.Deps{Store: store, Keys: keys})
		d.SelectTab(shot.tab)
		if shot.tested {
			d.ShowTest(context.Background())
		}
		save(d.Content, dialog.WindowSize, shot.scale, filepath.Join(out, shot.name+".png"))
		keys.Clear(context.Background())
	}
}

// samples are what a capture's window was called, as a person of each
// language would have it.
var samples = map[i18n.Lang][]string{
	i18n.English:     {"Release notes — Editor", "Quarterly report.xlsx — Spreadsheet", "Bug 2041: crash on start — Browser", "Terminal"},
	i18n.Traditional: {"發行說明 — 記事本", "季度報告.xlsx — 試算表", "問題 2041：啟動時當機 — 瀏覽器", "終端機"},
	i18n.Simplified:  {"发布说明 — 记事本", "季度报告.xlsx — 电子表格", "问题 2041：启动时崩溃 — 浏览器", "终端"},
	i18n.Japanese:    {"リリースノート — メモ帳", "四半期報告.xlsx — 表計算", "不具合 2041：起動時に落ちる — ブラウザー", "端末"},
}

// renderHistory shows a history of a few captures, one of them failed,
// the first selected.
func renderHistory(home, out string, l i18n.Lang) {
	ctx := context.Background()
	dir, err := os.MkdirTemp(home, "history-")
	if err != nil {
		fail(err)
	}
	store, err := history.Open(ctx, dir)
	if err != nil {
		fail(err)
	}
	defer store.Close()
	day := time.Date(2026, 12, 1, 9, 30, 0, 0, time.Local)
	var entries []history.Entry
	for i, title := range samples[l] {
		e := history.Entry{Created: day.Add(time.Duration(i) * 17 * time.Minute), Source: history.FromHotkey,
			Name: fmt.Sprintf("imagecx-2026-12-01_09-%02d-00.png", 30+i*17%30), Window: title, Bytes: int64(180_000 + 97_000*i),
			Width: 1280, Height: 720, State: history.Uploaded,
			URL: fmt.Sprintf("https://image.cx/images/2026/12/01/s%d.png", i), ViewerURL: fmt.Sprintf("https://image.cx/image/s%d", i)}
		if i == 2 {
			e.State, e.URL, e.ViewerURL, e.Error, e.Permanent = history.Failed, "", "", explain.Error(egress.ErrRedirect), true
		}
		entries = append(entries, e)
	}
	if err := store.Import(ctx, entries); err != nil {
		fail(err)
	}
	for i := range entries {
		store.SaveThumb(int64(i+1), sampleImage(160, 90, i))
	}
	w := window.New(window.Deps{Store: store, Launch: nowhere{}, Link: uploader.LinkURL, Copy: func(string) {},
		Queue: func(context.Context) error { return nil }, Delete: func(context.Context, string) error { return nil }, SetTitle: func(string) {},
		Edit: func(string) error { return nil }})
	defer w.Close()
	w.Settle(ctx)
	w.Select(len(entries) - 1)         // the newest: at the top
	time.Sleep(300 * time.Millisecond) // its thumbnail is made
	save(w.Content, window.WindowSize, 1, filepath.Join(out, "history-light.png"))
}

// renderEditor shows the editor on a sample capture with a box, an arrow,
// a step and a label in the language drawn.
func renderEditor(out string, l i18n.Lang) {
	base := sampleImage(640, 400, 7)
	doc := annotate.New(base)
	label := map[i18n.Lang]string{i18n.English: "Click here", i18n.Traditional: "點這裡", i18n.Simplified: "点这里", i18n.Japanese: "ここをクリック"}[l]
	for _, s := range []annotate.Shape{
		{Tool: annotate.Rect, Points: []image.Point{{60, 60}, {300, 170}}, Color: annotate.Colors[0], Width: annotate.Widths[1]},
		{Tool: annotate.Arrow, Points: []image.Point{{420, 260}, {310, 180}}, Color: annotate.Colors[0], Width: annotate.Widths[1]},
		{Tool: annotate.Text, Points: []image.Point{{400, 270}}, Color: annotate.Colors[0], Width: annotate.Widths[1], Text: label},
		{Tool: annotate.Step, Points: []image.Point{{60, 60}}, Color: annotate.Colors[3], Width: annotate.Widths[1], N: 1},
	} {
		doc.Add(s)
	}
	e := editor.New(doc.Render(), editor.Deps{Save: func(*image.RGBA) {}, ReadText: func(*image.RGBA) (string, error) { return "", nil }, CopyText: func(string) {}})
	e.SetTool(6) // Text: its hint in the status line
	save(e.Content, fyne.NewSize(640+170, 400+110), 1, filepath.Join(out, "editor-light.png"))
}

// sampleImage is a desktop-like picture: a gradient with a few panels.
func sampleImage(w, h, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(40 + (x*90/w+seed*23)%120), uint8(70 + y*100/h), uint8(150 + (seed*31)%90), 255})
		}
	}
	for i := range 3 {
		r := image.Rect(w*(1+i*3)/12, h*(2+i)/10, w*(3+i*3)/12, h*(6+i)/10)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.SetRGBA(x, y, color.RGBA{245, 245, 240, 255})
			}
		}
	}
	return img
}

// save draws content at size (grown to what it needs) and scale to path.
func save(content fyne.CanvasObject, size fyne.Size, scale float32, path string) {
	w := test.NewWindow(content)
	defer w.Close()
	if c, ok := w.Canvas().(test.WindowlessCanvas); ok {
		c.SetScale(scale)
	}
	w.Resize(size.Max(content.MinSize()))
	img := w.Canvas().Capture()
	f, err := os.Create(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		fail(err)
	}
	fmt.Println(path)
}

// nowhere opens nothing.
type nowhere struct{}

func (nowhere) URL(string) error    { return nil }
func (nowhere) Folder(string) error { return nil }

// memRing is a keyring in memory.
type memRing struct{ secret string }

func (r *memRing) Get(context.Context, string, string) (string, error) {
	if r.secret == "" {
		return "", settings.ErrNotFound
	}
	return r.secret, nil
}
func (r *memRing) Set(_ context.Context, _, _, secret string) error { r.secret = secret; return nil }
func (r *memRing) Delete(context.Context, string, string) error     { r.secret = ""; return nil }

// toServer sends every request to the fake server at url.
type toServer struct{ url string }

func (s toServer) RoundTrip(r *http.Request) (*http.Response, error) {
	u, err := url.Parse(s.url)
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = u.Scheme, u.Host, u.Host
	return transport.RoundTrip(r)
}

var transport = &http.Transport{}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "screenshots:", err)
	os.Exit(1)
}
