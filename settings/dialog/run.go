package dialog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"imagecx/autostart"
	"imagecx/instance"
	"imagecx/programs"
	"imagecx/settings"
)

// Title is the window's title.
const Title = "imagecx Settings"

// Run shows the settings window until it is closed. A second Run while
// one is open brings that one forward and returns.
func Run(ctx context.Context, getenv func(string) string, stderr io.Writer) int {
	sock := settingsSocket(getenv)
	srv, err := instance.Listen(sock)
	if errors.Is(err, instance.ErrRunning) {
		if _, err := instance.Send(ctx, sock, "focus"); err != nil {
			fmt.Fprintf(stderr, "imagecx settings: %v\n", err)
			return 1
		}
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "imagecx settings: %v\n", err)
		return 1
	}
	defer srv.Close()
	dir, err := settings.DefaultDir()
	if err != nil {
		fmt.Fprintf(stderr, "imagecx settings: %v\n", err)
		return 1
	}

	a := app.NewWithID("cx.image.imagecx")
	w := a.NewWindow(Title)
	deps := Deps{
		Store:        settings.Store{Dir: dir},
		Keys:         settings.NewKeys(dir, nil), // the dialog manages the stored key, not the environment's
		Autostart:    startAtLogin(getenv),
		EnvEndpoint:  strings.TrimSpace(getenv("IMAGECX_ENDPOINT")),
		HotkeyErrors: ReadHotkeyErrors(getenv),
		Close:        w.Close,
		Window:       w,
		Saved: func() {
			// Tell the running tray app, if any, to apply the settings now.
			instance.Send(ctx, instance.Path(getenv), "reload")
		},
	}
	d := New(deps)
	w.SetContent(d.Content)
	w.Resize(fyne.NewSize(620, 520))
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyEscape:
			d.Cancel()
		case fyne.KeyReturn, fyne.KeyEnter:
			d.Save()
		}
	})
	w.Canvas().Focus(d.key)
	go func() {
		for req := range srv.Requests() {
			req.Answer("", nil)
			fyne.Do(func() {
				w.Show()
				w.RequestFocus()
			})
		}
	}()
	w.ShowAndRun()
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

func settingsSocket(getenv func(string) string) string {
	p := instance.Path(getenv)
	return strings.TrimSuffix(p, ".sock") + "-settings.sock"
}

// ReadHotkeyErrors reads settings.HotkeyErrorsFile; missing means none.
func ReadHotkeyErrors(getenv func(string) string) map[string]string {
	out := map[string]string{}
	if data, err := os.ReadFile(settings.HotkeyErrorsFile(getenv)); err == nil {
		json.Unmarshal(data, &out)
	}
	return out
}
