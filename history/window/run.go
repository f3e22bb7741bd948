package window

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"imagecx/assets"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/i18n/fynelang"
	"imagecx/instance"
	"imagecx/launch"
	"imagecx/place"
	"imagecx/programs"
	"imagecx/settings"
	"imagecx/uploader"
)

// Run shows the history window until it is closed. A second Run while
// one is open brings that one forward and returns.
func Run(ctx context.Context, getenv func(string) string, stderr io.Writer) int {
	sock := strings.TrimSuffix(instance.Path(getenv), ".sock") + "-history.sock"
	srv, err := instance.Claim(ctx, sock) // a second start brings the first forward
	if err != nil {
		fmt.Fprintf(stderr, "imagecx history: %v\n", err)
		return 1
	}
	if srv == nil {
		return 0
	}
	defer srv.Close()
	dir, err := settings.DataDir(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "imagecx history: %v\n", err)
		return 1
	}
	store, err := history.Open(ctx, dir)
	var corrupt *history.CorruptError
	if err != nil && !errors.As(err, &corrupt) {
		fmt.Fprintf(stderr, "imagecx history: %v\n", err)
		return 1
	}
	defer store.Close()
	var link uploader.LinkFormat
	if cfgDir, err := settings.DefaultDir(); err == nil {
		if cfg, err := (settings.Store{Dir: cfgDir}).LoadOver(settings.Defaults()); err == nil {
			link, _ = uploader.ParseLinkFormat(cfg.LinkFormat)
		}
	}

	if cfgDir, err := settings.DefaultDir(); err == nil {
		fynelang.Use(settings.Speak(cfgDir, getenv)) // before the app: fyne reads its language once
	}
	a := app.NewWithID("cx.image.imagecx")
	a.Settings().SetTheme(fynelang.Theme(theme.DefaultTheme()))
	a.SetIcon(fyne.NewStaticResource("imagecx.png", assets.AppIcon())) // the title bar's and the taskbar's
	win := a.NewWindow(i18n.T(Title))
	w := New(Deps{
		Store:  store,
		Launch: launch.Desktop{},
		Copy:   func(s string) { a.Clipboard().SetContent(s) },
		Queue: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_, err := instance.Send(ctx, instance.Path(getenv), instance.Queue)
			return err
		},
		Delete:   uploader.Delete,
		Link:     link,
		SetTitle: win.SetTitle,
		Window:   win,
		Edit: func(file string) error {
			// The command line's editor, on a desktop: the link is copied
			// and a notification says what happened. (programs.Tray: on
			// Windows the same program without a console window.)
			_, err := programs.Start(programs.Tray, "edit", "--notify", file)
			return err
		},
		Pin: pinner(),
		Upload: func(files []string) error {
			// As a file manager's Open With: handed to the running tray
			// app as one batch, or uploaded by that command itself.
			_, err := programs.Start(programs.Tray, append([]string{"open"}, files...)...)
			return err
		},
	})
	win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { w.Drop(uris) })
	win.SetContent(w.Content)
	win.Resize(WindowSize)
	win.CenterOnScreen() // not the top-left corner
	keys(win, w)
	win.Canvas().Focus(w.search)
	if corrupt != nil {
		w.say(i18n.T("Upload history rebuilt"), corrupt.Explain())
	}
	focused := srv.Focused(func() {
		fyne.Do(func() {
			win.Show()
			win.RequestFocus()
		})
	})
	win.Show()
	place.Centre(win) // on the monitor under the pointer
	a.Run()
	w.Close()
	srv.Close()
	<-focused
	return 0
}

// pinner starts `imagecx pin FILE`, where pins can be shown (X11,
// Xwayland and Windows).
func pinner() func(file string) error {
	if runtime.GOOS == "darwin" {
		return nil
	}
	return func(file string) error {
		_, err := programs.Start(programs.Tray, "pin", file)
		return err
	}
}

// keys are the window's shortcuts: Ctrl+F searches, Ctrl+C copies the
// link, Shift+Delete asks to remove it from the history, Esc closes the
// window (Enter and Delete in the list: keyList); while a question is
// on screen, Enter answers yes and Esc no.
func keys(win fyne.Window, w *Window) {
	c := win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { c.Focus(w.search) })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { w.CopyLink() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyDelete, Modifier: fyne.KeyModifierShift}, func(fyne.Shortcut) { w.AskRemove() })
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch {
		case w.Asking() && (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter):
			w.Answer(true)
		case w.Asking() && k.Name == fyne.KeyEscape:
			w.Answer(false)
		case k.Name == fyne.KeyEscape:
			win.Close()
		}
	})
}

// WindowSize is the size the window opens at.
var WindowSize = fyne.NewSize(1040, 660)
