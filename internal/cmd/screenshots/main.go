// Command screenshots renders the settings window, in light and dark
// themes and at 2× scale, to PNG files for the README (`make screenshots`).
// It draws with fyne's software test driver, so it needs no display.
//
//	go run ./internal/cmd/screenshots docs/screenshots
package main

import (
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"imagecx/settings"
	"imagecx/settings/dialog"
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
	a := test.NewApp()
	done := make(chan struct{})
	go func() { // fyne wants UI calls off the main goroutine
		defer close(done)
		render(a, store, home, out)
	}()
	<-done
}

func render(a fyne.App, store settings.Store, home, out string) {
	for _, shot := range []struct {
		name  string
		v     fyne.ThemeVariant
		scale float32
		tab   int
	}{
		{"settings-light", theme.VariantLight, 1, 0},
		{"settings-dark", theme.VariantDark, 1, 0},
		{"settings-hotkeys-light", theme.VariantLight, 1, 1},
		{"settings-light-2x", theme.VariantLight, 2, 0},
	} {
		a.Settings().SetTheme(variant{theme.DefaultTheme(), shot.v})
		d := dialog.New(dialog.Deps{Store: store, Keys: settings.Keys{File: filepath.Join(home, "api-key")}})
		d.SelectTab(shot.tab)
		w := test.NewWindow(d.Content)
		if c, ok := w.Canvas().(test.WindowlessCanvas); ok {
			c.SetScale(shot.scale)
		}
		w.Resize(fyne.NewSize(620, 560))
		img := w.Canvas().Capture()
		f, err := os.Create(filepath.Join(out, shot.name+".png"))
		if err != nil {
			fail(err)
		}
		if err := png.Encode(f, img); err != nil {
			fail(err)
		}
		f.Close()
		w.Close()
		fmt.Println(filepath.Join(out, shot.name+".png"))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "screenshots:", err)
	os.Exit(1)
}
