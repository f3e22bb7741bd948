package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"strconv"
	"strings"

	"imagecx/capture"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/pin"
	"imagecx/shot"
)

// runPin is `imagecx pin [FILE]`: an image kept on the screen above the
// other windows until it is closed.
func runPin(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "pin", `pin [flags] [FILE]

Pins an image on the screen, above the other windows, until you close it:
drag it to move it, the wheel zooms, Ctrl+wheel makes it see-through, Ctrl+C
copies it, Esc or a double-click closes it. Without FILE, drag a rectangle on
the screen and it is pinned where it was; --last pins the newest capture.
Each pin is a program of its own: pin as many as you like.`)
	last := fs.Bool("last", false, i18n.T("pin the newest capture in the history"))
	at := fs.String("at", "", i18n.T("put the image's top-left corner at `X,Y` on the screen"))
	remove := fs.Bool("remove", false, i18n.T("remove FILE once it is read (the tray app's private copy of a region)"))
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 || (*last && fs.NArg() > 0) {
		fmt.Fprintln(env.Stderr, "imagecx pin: "+i18n.T("give one image file, --last, or nothing to drag a region"))
		fs.Usage()
		return exitUsage
	}
	var o pin.Options
	if *at != "" {
		p, err := parsePoint(*at)
		if err != nil {
			fmt.Fprintf(env.Stderr, "imagecx pin: --at: %s\n", explain.Error(err))
			return exitUsage
		}
		o.At = &p
	}
	var img image.Image
	var err error
	switch {
	case fs.NArg() == 1:
		img, err = readImage(env, fs.Arg(0))
		if *remove {
			os.Remove(fs.Arg(0))
		}
	case *last:
		img, err = lastCapture(ctx, env)
	default:
		var ch regionChoice
		ch, err = pickRegion(ctx, env)
		img = ch.img
		if err == nil && !ch.rect.Empty() && o.At == nil {
			o.At = &ch.rect.Min // pinned where it was
		}
	}
	if errors.Is(err, capture.ErrCancelled) {
		errorf(env, "cancelled")
		return exitFail
	}
	if err != nil {
		return fail(env, "", err)
	}
	o.Copy = func(img *image.RGBA) error {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return err
		}
		return keepOnClipboard(ctx, env, "image/png", buf.Bytes())
	}
	if err := pin.Show(ctx, toRGBA(img), o); err != nil && !errors.Is(err, context.Canceled) {
		return fail(env, "", err)
	}
	return exitOK
}

// toRGBA is img as an *image.RGBA (itself when it is one).
func toRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok {
		return m
	}
	m := image.NewRGBA(img.Bounds())
	draw.Draw(m, m.Rect, img, m.Rect.Min, draw.Src)
	return m
}

// parsePoint reads "X,Y".
func parsePoint(s string) (image.Point, error) {
	xs, ys, ok := strings.Cut(s, ",")
	x, errX := strconv.Atoi(strings.TrimSpace(xs))
	y, errY := strconv.Atoi(strings.TrimSpace(ys))
	if !ok || errX != nil || errY != nil {
		return image.Point{}, i18n.Errorf("{{.value}} is not a place on the screen (X,Y: 100,200)", "value", s)
	}
	return image.Pt(x, y), nil
}

// lastCapture is the newest capture in the history whose file is still
// there.
func lastCapture(ctx context.Context, env Env) (image.Image, error) {
	w, err := load(ctx, env)
	if err != nil {
		return nil, err
	}
	books := w.history()
	if books == nil {
		return nil, i18n.Errorf("the history could not be read")
	}
	defer books.Close()
	entries, err := books.List(ctx, history.Query{Limit: 50})
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.File == "" || !strings.HasPrefix(e.MIME, "image/") && e.MIME != "" {
			continue
		}
		if _, err := os.Stat(e.File); err == nil {
			return readImage(env, e.File)
		}
	}
	return nil, i18n.Errorf("no capture to pin: the history has none whose file is still there")
}

// regionChoice is a region dragged on the screen, and where it was (empty
// where the desktop does not say).
type regionChoice struct {
	img  image.Image
	rect image.Rectangle
}

// pickRegion is a region the person drags, for a pin.
func pickRegion(ctx context.Context, env Env) (regionChoice, error) {
	var picker shot.Picker = shot.Overlay{}.ToPin()
	if capture.Wayland(env.Getenv) {
		desk, done, err := desktopPicker(ctx, env)
		if err != nil {
			return regionChoice{}, err
		}
		defer done()
		picker = desk
	}
	ch, err := picker.Pick(ctx, true)
	if err != nil {
		return regionChoice{}, err
	}
	return regionChoice{ch.Image, ch.Rect}, nil
}
