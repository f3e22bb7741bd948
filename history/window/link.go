package window

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"imagecx/assets"
	"imagecx/explain"
	"imagecx/fromlink"
	"imagecx/i18n"
	"imagecx/i18n/fynelang"
	"imagecx/instance"
	"imagecx/place"
	"imagecx/programs"
	"imagecx/settings"
)

// LinkTitle is the link window's title (a catalog key).
var LinkTitle = i18n.Mark("Upload image from link")

// LinkForm asks for the web address of an image or a video to upload.
type LinkForm struct {
	Content fyne.CanvasObject
	entry   *widget.Entry
	hint    *widget.Label
	upload  *widget.Button
	send    func(link string) error
	done    func()
	fail    func(error)
}

// NewLinkForm is the form, with the clipboard's text filled in when it is
// a link; send hands the link on, done closes the window, fail says why
// send failed.
func NewLinkForm(clip string, send func(link string) error, done func(), fail func(error)) *LinkForm {
	f := &LinkForm{send: send, done: done, fail: fail}
	f.entry = widget.NewEntry()
	f.entry.SetPlaceHolder("https://…")
	f.hint = widget.NewLabel("")
	f.hint.Wrapping = fyne.TextWrapWord
	f.upload = widget.NewButtonWithIcon(i18n.T("Upload"), theme.UploadIcon(), f.Submit)
	f.upload.Importance = widget.HighImportance
	f.entry.OnChanged = func(string) { f.check() }
	f.entry.OnSubmitted = func(string) { f.Submit() }
	if clip = strings.TrimSpace(clip); IsLink(clip) {
		f.entry.SetText(clip)
	}
	f.check()
	cancel := widget.NewButton(i18n.T("Cancel"), done)
	f.Content = container.NewVBox(
		widget.NewLabel(i18n.T("The web address of an image or a video:")),
		f.entry,
		f.hint,
		container.NewHBox(layout.NewSpacer(), cancel, f.upload),
	)
	return f
}

// IsLink reports whether s is a web address imagecx fetches: https (or
// http, which only a loopback server may use) with a host, on one line.
func IsLink(s string) bool {
	if !fromlink.Is(s) || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != ""
}

// check enables Upload for a link and says what is wrong otherwise.
func (f *LinkForm) check() {
	text := strings.TrimSpace(f.entry.Text)
	switch {
	case IsLink(text):
		f.upload.Enable()
		f.hint.SetText(i18n.T("imagecx fetches it and uploads it; the link is copied."))
	case text == "":
		f.upload.Disable()
		f.hint.SetText(i18n.T("Paste a link that starts with https://"))
	default:
		f.upload.Disable()
		f.hint.SetText(i18n.T("This is not a web address: it starts with https://"))
	}
}

// SetText types text in the field.
func (f *LinkForm) SetText(text string) { f.entry.SetText(text) }

// Text is the field's text.
func (f *LinkForm) Text() string { return f.entry.Text }

// CanUpload reports whether Upload is enabled.
func (f *LinkForm) CanUpload() bool { return !f.upload.Disabled() }

// Submit hands the link on and closes the window; a link that cannot be
// handed on is said and kept.
func (f *LinkForm) Submit() {
	link := strings.TrimSpace(f.entry.Text)
	if !IsLink(link) {
		return
	}
	if err := f.send(link); err != nil {
		f.fail(err)
		return
	}
	f.done()
}

// RunLink is `imagecx-history --link`: the window that asks for a link
// and hands it to the running tray app (or to `imagecx open`, which
// uploads it itself when none runs).
func RunLink(ctx context.Context, getenv func(string) string, stderr io.Writer) int {
	if cfgDir, err := settings.DefaultDir(); err == nil {
		fynelang.Use(settings.Speak(cfgDir, getenv))
	}
	a := app.NewWithID("cx.image.imagecx")
	a.Settings().SetTheme(fynelang.Theme(theme.DefaultTheme()))
	a.SetIcon(fyne.NewStaticResource("imagecx.png", assets.AppIcon()))
	win := a.NewWindow(i18n.T(LinkTitle))
	send := func(link string) error {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, err := instance.Send(sctx, instance.Path(getenv), instance.UploadFiles([]string{link}))
		if errors.Is(err, instance.ErrNotRunning) {
			_, err = programs.Start(programs.Tray, "open", link)
		}
		return err
	}
	f := NewLinkForm(a.Clipboard().Content(), send, win.Close, func(err error) {
		fmt.Fprintf(stderr, "imagecx: %s\n", explain.Error(err))
		dialog.ShowInformation(i18n.T("Not uploaded"), explain.Error(err), win)
	})
	win.SetContent(container.NewPadded(f.Content))
	win.Resize(fyne.NewSize(520, 10))
	win.CenterOnScreen()
	win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			win.Close()
		}
	})
	win.Canvas().Focus(f.entry)
	stop := context.AfterFunc(ctx, func() { fyne.Do(win.Close) })
	defer stop()
	win.Show()
	place.Centre(win) // on the monitor under the pointer
	a.Run()
	return 0
}
