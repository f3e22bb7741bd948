// Command screenshots renders the settings window, in light and dark
// themes and at 2× scale, to PNG files for the README (`make screenshots`).
// It draws with fyne's software test driver, so it needs no display; the
// key that Test checks goes to a fake image.cx in this process.
//
//	go run ./internal/cmd/screenshots docs/screenshots
package main

import (
	"context"
	"fmt"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"imagecx/settings"
	"imagecx/settings/dialog"
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
	for _, shot := range []struct {
		name   string
		v      fyne.ThemeVariant
		scale  float32
		tab    int
		tested bool // a key stored, and Test pressed
	}{
		{"settings-light", theme.VariantLight, 1, 0, false},
		{"settings-dark", theme.VariantDark, 1, 0, false},
		{"settings-hotkeys-light", theme.VariantLight, 1, 1, false},
		{"settings-capture-light", theme.VariantLight, 1, 2, false},
		{"settings-key-tested-light", theme.VariantLight, 1, 0, true},
		{"settings-light-2x", theme.VariantLight, 2, 0, false},
	} {
		a.Settings().SetTheme(variant{theme.DefaultTheme(), shot.v})
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
		keys.Clear(context.Background())
		fmt.Println(filepath.Join(out, shot.name+".png"))
	}
}

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
