package editor

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // files `imagecx edit` opens
	_ "image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	fdialog "fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	_ "golang.org/x/image/webp"

	"imagecx/assets"
	"imagecx/editing"
	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/i18n/fynelang"
	"imagecx/internal/rawimage"
	"imagecx/ocr"
	"imagecx/place"
	"imagecx/programs"
	"imagecx/settings"
	"imagecx/uploader"
)

// Title starts the window's title (a catalog key).
var Title = i18n.Mark("imagecx editor")

// Run is the imagecx-editor program: it opens the image IN and, as the
// person leaves, writes the result to --out (PAM when it ends in .pam,
// else PNG) and says with its exit code what to do with it.
func Run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("imagecx-editor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "where to write the edited image (.pam: uncompressed; else PNG)")
	label := fs.String("upload-label", "", "the upload button's text")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: imagecx-editor --out FILE IMAGE\n\nAnnotates and redacts IMAGE; the exit code says what to do with FILE:\n0 upload it, 11 copy it, 10 nothing (cancelled), 1 failed.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return editing.ExitUsage
	}
	if fs.NArg() != 1 || *out == "" {
		fs.Usage()
		return editing.ExitUsage
	}
	in := fs.Arg(0)
	if dir, err := settings.DefaultDir(); err == nil {
		fynelang.Use(settings.Speak(dir, os.Getenv)) // before the app: fyne reads its language once
	}
	// The capture and what is shown are the big things here (33 MB each
	// at 4K): collect what they leave sooner than Go's default.
	debug.SetGCPercent(50)
	img, err := Open(in)
	if err != nil {
		fmt.Fprintf(stderr, "imagecx-editor: %s\n", explain.Error(err))
		return editing.ExitFailed
	}

	a := app.NewWithID("cx.image.imagecx")
	a.Settings().SetTheme(fynelang.Theme(theme.DefaultTheme()))
	a.SetIcon(fyne.NewStaticResource("imagecx.png", assets.AppIcon()))
	w := a.NewWindow(i18n.T(Title))
	a.Lifecycle().SetOnStarted(func() { fmt.Fprintln(stderr, editing.ShownLine) })
	code := editing.ExitCancelled
	var e *Editor
	e = New(img, Deps{
		UploadLabel: *label,
		ReadText: func(img *image.RGBA) (string, error) {
			engine, err := ocr.Find()
			if err != nil {
				return "", err
			}
			text, _, err := ocr.Text(ctx, engine, img, ocr.Wanted(i18n.Current()))
			return text, err
		},
		CopyText: func(text string) { a.Clipboard().SetContent(text) },
		Done: func(r Result, edited *image.RGBA) {
			switch r {
			case Upload, Copy:
				if err := write(*out, edited); err != nil {
					fmt.Fprintf(stderr, "imagecx-editor: %s\n", explain.Error(err))
					code = editing.ExitFailed
					break
				}
				code = editing.ExitUpload
				if r == Copy {
					code = editing.ExitCopy
				}
			}
			w.Close()
		},
		Save: func(edited *image.RGBA) { saveAs(w, e, edited, in) },
	})
	w.SetContent(e.Content)
	w.Resize(windowSize(img.Rect.Size()))
	w.CenterOnScreen() // not the top-left corner
	w.SetCloseIntercept(func() { e.Finish(Cancelled); w.Close() })
	// Images dropped on the editor open in editors of their own, as
	// `imagecx edit` opens them (what this one holds is not touched).
	w.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		for _, u := range uris {
			if u.Scheme() != "file" {
				continue
			}
			if _, err := programs.Start(programs.Tray, "edit", "--notify", u.Path()); err != nil {
				fdialog.ShowError(errors.New(explain.Error(err)), w)
				return
			}
		}
	})
	keys(w, e)
	// Told to stop (the tray app quits): nothing is uploaded.
	stop := context.AfterFunc(ctx, func() { fyne.Do(func() { e.Finish(Cancelled); w.Close() }) })
	defer stop()
	w.Show()
	place.Centre(w) // on the monitor under the pointer
	a.Run()
	return code
}

// windowSize fits the image at its size beside the toolbar, up to a size
// most screens hold.
func windowSize(img image.Point) fyne.Size {
	return fyne.NewSize(min(1400, float32(img.X)+170), min(900, float32(img.Y)+110))
}

// keys are the editor's keys, like Flameshot's where it has them.
func keys(w fyne.Window, e *Editor) {
	c := w.Canvas()
	ctrl := fyne.KeyModifierShortcutDefault
	add := func(k fyne.KeyName, m fyne.KeyModifier, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: m}, func(fyne.Shortcut) { fn() })
	}
	// fyne names Ctrl+Z, Ctrl+Y and Ctrl+C itself.
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { e.Undo() })
	c.AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { e.Redo() })
	c.AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) { e.Finish(Copy) })
	add(fyne.KeyZ, ctrl|fyne.KeyModifierShift, e.Redo)
	add(fyne.KeyU, ctrl, func() { e.Finish(Upload) })
	add(fyne.KeyS, ctrl, e.Save)
	add(fyne.KeyT, ctrl, e.CopyText)
	c.SetOnTypedKey(func(k *fyne.KeyEvent) { e.TypedKey(k.Name) })
}

// TypedKey is a key pressed with nothing focused.
func (e *Editor) TypedKey(k fyne.KeyName) {
	if e.Typing() {
		if k == fyne.KeyEscape {
			e.board.hideEntry()
			e.text = nil
		}
		return
	}
	switch k {
	case fyne.KeyEscape:
		e.Finish(Cancelled)
	case fyne.KeyReturn, fyne.KeyEnter:
		e.Finish(Upload)
	case fyne.KeyDelete, fyne.KeyBackspace:
		e.DeleteSelected()
	default:
		if i, ok := toolByKey(k); ok {
			e.SetTool(i)
		}
	}
}

// Open reads an image to edit: a PAM the tray app wrote, or a PNG, JPEG,
// GIF or WebP file.
func Open(path string) (*image.RGBA, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 3)
	n, _ := io.ReadFull(f, head)
	f.Close()
	if rawimage.IsPAM(head[:n]) {
		return rawimage.Read(path)
	}
	data, err := uploader.ReadFile(path, 200<<20)
	if err != nil {
		return nil, err
	}
	// Its size from the header first: a small file can say 30000×30000
	// (almost 4 GB of pixels), refused before any is decoded.
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, i18n.Errorf("{{.file}} is not an image imagecx can open (PNG, JPEG, GIF or WebP): {{.why}}", "file", path, "why", err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > rawimage.MaxPixels {
		return nil, i18n.Errorf("{{.file}} is {{.width}}×{{.height}} pixels, more than the editor opens", "file", path, "width", cfg.Width, "height", cfg.Height)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, i18n.Errorf("{{.file}} is not an image imagecx can open (PNG, JPEG, GIF or WebP): {{.why}}", "file", path, "why", err)
	}
	if rgba, ok := src.(*image.RGBA); ok && rgba.Rect.Min == (image.Point{}) {
		return rgba, nil
	}
	b := src.Bounds()
	img := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(img, img.Rect, src, b.Min, draw.Src)
	return img, nil
}

// write writes the result where the caller reads it.
func write(path string, img *image.RGBA) error {
	if strings.EqualFold(filepath.Ext(path), ".pam") {
		return rawimage.Write(path, img)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o600)
}

// saveAs asks where to save the edited image, as PNG.
func saveAs(w fyne.Window, e *Editor, img *image.RGBA, in string) {
	d := fdialog.NewFileSave(func(f fyne.URIWriteCloser, err error) {
		if err != nil || f == nil {
			return
		}
		defer f.Close()
		err = png.Encode(f, img)
		if err != nil {
			e.say(i18n.T("Not saved: {{.why}}", "why", explain.Error(err)))
			return
		}
		e.say(i18n.T("Saved as {{.file}}.", "file", f.URI().Path()))
	}, w)
	name := strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))
	if strings.HasSuffix(in, ".pam") || name == "" {
		name = "imagecx-" + time.Now().Format("2006-01-02_15-04-05")
	}
	d.SetFileName(name + "-edited.png")
	d.Show()
}
