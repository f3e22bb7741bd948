package dialog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"imagecx/i18n"
	"imagecx/i18n/fynelang"
	"imagecx/place"
	"io"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/theme"

	"imagecx/action"
	"imagecx/assets"
	"imagecx/autostart"
	"imagecx/instance"
	"imagecx/internal/portal"
	"imagecx/internal/sessionbus"
	"imagecx/programs"
	"imagecx/settings"
	"imagecx/uploader/sxcu"
	"imagecx/uploaders"
)

// Title is the window's title (a catalog key).
var Title = i18n.Mark("imagecx Settings")

// Run shows the settings window until it is closed. A second Run while
// one is open brings that one forward and returns.
func Run(ctx context.Context, getenv func(string) string, stderr io.Writer) int {
	sock := settingsSocket(getenv)
	srv, err := instance.Claim(ctx, sock) // a second start brings the first forward
	if err != nil {
		fmt.Fprintf(stderr, "imagecx settings: %v\n", err)
		return 1
	}
	if srv == nil {
		return 0
	}
	defer srv.Close()
	dir, err := settings.DefaultDir()
	if err != nil {
		fmt.Fprintf(stderr, "imagecx settings: %v\n", err)
		return 1
	}

	fynelang.Use(settings.Speak(dir, getenv)) // before the app: fyne reads its language once
	a := app.NewWithID("cx.image.imagecx")
	a.Settings().SetTheme(fynelang.Theme(theme.DefaultTheme()))
	a.SetIcon(fyne.NewStaticResource("imagecx.png", assets.AppIcon())) // the title bar's and the taskbar's
	w := a.NewWindow(i18n.T(Title))
	deps := Deps{
		Store:        settings.Store{Dir: dir},
		Keys:         settings.NewKeys(dir, nil), // the dialog manages the stored key, not the environment's
		Autostart:    startAtLogin(getenv),
		Getenv:       getenv,
		HotkeyErrors: hotkeyErrors(ctx, getenv),
		Desktop:      desktopFor(getenv),
		Uploaders:    &uploaders.Store{Dir: dir, Secrets: settings.NewSecrets(dir)},
		Close:        w.Close,
		Window:       w,
		ChooseFolder: func(current string) (string, error) {
			return chooseFolder(ctx, getenv, w, current)
		},
		Recording: func(on bool) {
			cmd := instance.ResumeHotkeys
			if on {
				cmd = instance.PauseHotkeys
			}
			// Synchronously but briefly: the grab must be gone before the
			// person presses the keys.
			ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			instance.Send(ctx, instance.Path(getenv), cmd)
		},
		Saved: func() {
			// Tell the running tray app, if any, to apply the settings now.
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			instance.Send(ctx, instance.Path(getenv), instance.Saved)
		},
	}
	d := New(deps)
	w.SetContent(d.Content)
	// An .sxcu file dropped on the window is offered for import.
	w.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		for _, u := range uris {
			if !strings.EqualFold(u.Extension(), ".sxcu") {
				continue
			}
			f, err := os.Open(u.Path())
			if err != nil {
				continue
			}
			data, err := io.ReadAll(io.LimitReader(f, sxcu.MaxFileSize+1))
			f.Close()
			if err != nil {
				continue
			}
			d.ImportUploader(data)
		}
	})
	w.Resize(WindowSize)
	w.CenterOnScreen() // not the top-left corner
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyEscape:
			d.Cancel()
		case fyne.KeyReturn, fyne.KeyEnter:
			d.Save()
		}
	})
	w.Canvas().Focus(d.key)
	// A second `imagecx settings` brings this window forward, until the
	// socket is closed.
	focused := srv.Focused(func() {
		fyne.Do(func() {
			w.Show()
			w.RequestFocus()
		})
	})
	w.Show()
	place.Centre(w) // on the monitor under the pointer
	a.Run()
	srv.Close()
	<-focused
	return 0
}

// startAtLogin is the switch that starts the tray app at login; nil where
// there is none. It names the tray app (imagecx), not this window's program.
func startAtLogin(getenv func(string) string) Autostart {
	tray, err := programs.Path(programs.Tray)
	if err != nil {
		return nil
	}
	a, err := autostart.New(getenv, tray)
	if err != nil {
		return nil
	}
	return a
}

// chooseFolder opens the desktop's folder chooser (the FileChooser
// portal) over w: "" when the person closed it, an error when there is
// no portal to ask.
func chooseFolder(ctx context.Context, getenv func(string) string, w fyne.Window, current string) (string, error) {
	conn, err := sessionbus.Connect(ctx, getenv)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	dir, err := portal.ChooseFolder(ctx, conn, parentHandle(w), i18n.T("Captures folder"), current)
	if errors.Is(err, portal.ErrCancelled) {
		return "", nil
	}
	return dir, err
}

// parentHandle names w for a portal ("x11:XID"), so its dialog opens over
// w; "" when w is not an X11 window.
func parentHandle(w fyne.Window) string {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return ""
	}
	var handle string
	nw.RunNative(func(c any) {
		if x, ok := c.(driver.X11WindowContext); ok && x.WindowHandle != 0 {
			handle = fmt.Sprintf("x11:%x", x.WindowHandle)
		}
	})
	return handle
}

func settingsSocket(getenv func(string) string) string {
	p := instance.Path(getenv)
	return strings.TrimSuffix(p, ".sock") + "-settings.sock"
}

// hotkeyErrors asks the running tray app which hotkeys it could not
// register, to show beside their rows; none when it does not run.
func hotkeyErrors(ctx context.Context, getenv func(string) string) map[action.ID]string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	text, err := instance.Send(ctx, instance.Path(getenv), instance.HotkeyStatus)
	if err != nil {
		return nil
	}
	var m map[action.ID]string
	if json.Unmarshal([]byte(text), &m) != nil {
		return nil
	}
	return m
}

// WindowSize is the size the window opens at (it grows to what its
// content needs).
var WindowSize = fyne.NewSize(620, 640)
