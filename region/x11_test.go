//go:build linux

package region

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/capture"
	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
)

func frozenScreen(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	return img
}

// redWindow is where mapRedWindow puts its window.
var redWindow = image.Rect(500, 300, 800, 500)

// mapRedWindow shows a red window at redWindow, on a connection that
// stays open until the test ends (and is returned).
func mapRedWindow(t *testing.T, display string) *xgb.Conn {
	t.Helper()
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	scr := xproto.Setup(conn).DefaultScreen(conn)
	win, _ := xproto.NewWindowId(conn)
	r := redWindow
	xproto.CreateWindow(conn, scr.RootDepth, win, scr.Root, int16(r.Min.X), int16(r.Min.Y), uint16(r.Dx()), uint16(r.Dy()), 0,
		xproto.WindowClassInputOutput, scr.RootVisual, xproto.CwBackPixel, []uint32{0xff0000})
	xproto.MapWindow(conn, win)
	xproto.GetInputFocus(conn).Reply()
	return conn
}

// selectWith runs Select and, once the overlay is up, the xdotool commands.
func selectWith(t *testing.T, x *xvfb.Server, want *image.RGBA, timeout time.Duration, xdo ...[]string) (image.Rectangle, error, time.Duration) {
	t.Helper()
	return selectOpts(t, x, Options{Display: x.Display, Timeout: timeout}, want, xdo...)
}

// selectOpts is selectWith with the overlay's options.
func selectOpts(t *testing.T, x *xvfb.Server, o Options, want *image.RGBA, xdo ...[]string) (image.Rectangle, error, time.Duration) {
	t.Helper()
	shown := make(chan time.Duration, 1)
	start := time.Now()
	type result struct {
		r   image.Rectangle
		img *image.RGBA
		err error
	}
	done := make(chan result, 1)
	go func() {
		o.Shown = func() { shown <- time.Since(start) }
		ch, err := Select(context.Background(), o)
		done <- result{ch.Rect, ch.Image, err}
	}()
	var took time.Duration
	select {
	case took = <-shown:
	case res := <-done:
		t.Fatalf("Select returned before showing: %v", res.err)
	case <-time.After(10 * time.Second):
		t.Fatal("the overlay did not show")
	}
	for _, args := range xdo {
		if args[0] == "repaint" { // the screen changes under the overlay
			x.Paint(t, image.NewRGBA(want.Rect))
			continue
		}
		cmd := exec.Command("xdotool", args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+x.Display)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v %s", args, err, out)
		}
	}
	select {
	case res := <-done:
		if res.err == nil {
			// The pixels are the frozen screen's, pixel for pixel.
			if res.img.Rect != res.r {
				t.Fatalf("image bounds %v for %v", res.img.Rect, res.r)
			}
			if n := imgdiff.Count(res.img, want, res.r); n != 0 {
				t.Fatalf("%d pixels differ from the frozen screen", n)
			}
		}
		return res.r, res.err, took
	case <-time.After(20 * time.Second):
		t.Fatal("Select did not return")
	}
	return image.Rectangle{}, nil, 0
}

func TestOverlayDragEscClickTimeout(t *testing.T) {
	xvfb.Need(t, "xdotool")
	x := xvfb.Start(t, 1280, 800)
	frozen := frozenScreen(1280, 800)
	x.Paint(t, frozen)

	// The screen changes while the overlay is up: the result must not.
	r, err, took := selectWith(t, x, frozen, time.Minute,
		[]string{"mousemove", "100", "200", "mousedown", "1", "mousemove", "420", "440"},
		[]string{"repaint"},
		[]string{"mousemove", "740", "680", "mouseup", "1"},
		[]string{"key", "Return"})
	if err != nil || r != image.Rect(100, 200, 740, 680) {
		t.Fatalf("drag: %v %v", r, err)
	}
	t.Logf("overlay shown %v after Select was called (1280×800)", took)
	x.Paint(t, frozen) // undo the repaint

	// Drag, then nudge with the arrow keys, then confirm by double-click.
	r, err, _ = selectWith(t, x, frozen, time.Minute,
		[]string{"mousemove", "10", "10", "mousedown", "1", "mousemove", "60", "40", "mouseup", "1"},
		[]string{"key", "Right", "shift+Down"},
		[]string{"mousemove", "30", "30", "click", "--repeat", "2", "--delay", "80", "1"})
	if err != nil || r != image.Rect(11, 20, 61, 50) {
		t.Fatalf("nudge + double click: %v %v", r, err)
	}

	if _, err, _ = selectWith(t, x, frozen, time.Minute, []string{"key", "Escape"}); !errors.Is(err, capture.ErrCancelled) {
		t.Fatalf("Esc: %v", err)
	}
	if _, err, _ = selectWith(t, x, frozen, time.Minute, []string{"mousemove", "5", "5", "click", "3"}); !errors.Is(err, capture.ErrCancelled) {
		t.Fatalf("right click: %v", err)
	}

	// A click on a window selects it.
	conn := mapRedWindow(t, x.Display)
	scr := xproto.Setup(conn).DefaultScreen(conn)
	withWindow := image.NewRGBA(frozen.Rect)
	copy(withWindow.Pix, frozen.Pix)
	draw.Draw(withWindow, redWindow, image.NewUniform(color.RGBA{255, 0, 0, 255}), image.Point{}, draw.Src)
	r, err, _ = selectWith(t, x, withWindow, time.Minute, []string{"mousemove", "600", "350", "click", "1"}, []string{"key", "Return"})
	if err != nil || r != redWindow {
		t.Fatalf("window click: %v %v", r, err)
	}

	// Nobody answers: it closes itself.
	if _, err, _ = selectWith(t, x, frozen, 300*time.Millisecond); !errors.Is(err, capture.ErrCancelled) {
		t.Fatalf("timeout: %v", err)
	}
	// And it is gone: the hotkeys and clicks reach other windows again.
	tree, _ := xproto.QueryTree(conn, scr.Root).Reply()
	for _, w := range tree.Children {
		if a, err := xproto.GetWindowAttributes(conn, w).Reply(); err == nil && a.OverrideRedirect && a.MapState == xproto.MapStateViewable {
			t.Fatalf("an overlay window is still mapped")
		}
	}
}

// On a Wayland desktop the overlay selects on the desktop's screenshot
// (Xwayland cannot read the screen) in a managed full-screen window that
// asks for the focus: the pixels are the screenshot's, not the X
// screen's.
func TestOverlayOnAScreenshot(t *testing.T) {
	xvfb.Need(t, "xdotool")
	x := xvfb.Start(t, 1280, 800) // black: what rootless Xwayland shows
	shot := frozenScreen(1280, 800)
	o := Options{Display: x.Display, Timeout: time.Minute, Frozen: shot}
	r, err, _ := selectOpts(t, x, o, shot,
		[]string{"mousemove", "100", "200", "mousedown", "1", "mousemove", "500", "500", "mouseup", "1"},
		[]string{"key", "Return"})
	if err != nil || r != image.Rect(100, 200, 500, 500) {
		t.Fatalf("drag: %v %v", r, err)
	}
	if _, err, _ := selectOpts(t, x, o, shot, []string{"key", "Escape"}); !errors.Is(err, capture.ErrCancelled) {
		t.Fatalf("Esc: %v", err)
	}
	// A screenshot that is not the X screen's size (a scaled desktop) is
	// refused: the portal's own dialog takes over.
	o.Frozen = frozenScreen(640, 400)
	if _, err := Select(context.Background(), o); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("scaled: %v", err)
	}
}

// The overlay explains itself, on the screen's pixels: the window a click
// would take is outlined before the click; a line of hints sits at the
// bottom, and moves to the top when the pointer comes near; the
// magnifier has a black and a white border (seen on any content). C
// picks the colour under the pointer; E confirms for the editor.
func TestOverlayExplainsItself(t *testing.T) {
	xvfb.Need(t, "xdotool")
	const w, h = 1280, 800
	x := xvfb.Start(t, w, h)
	x.Paint(t, frozenScreen(w, h))
	mapRedWindow(t, x.Display)
	xdo := func(args ...string) {
		t.Helper()
		cmd := exec.Command("xdotool", args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+x.Display)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v %s", args, err, out)
		}
	}
	screen, err := capture.Open(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer screen.Close()
	rgb := func(c uint32) color.RGBA { return color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 255} }
	// lookFor reads the screen until it shows what, once the overlay has
	// drawn the last motion.
	lookFor := func(what string, shows func(*image.RGBA) bool) *image.RGBA {
		t.Helper()
		return poll.Value(t, 10*time.Second, what, func() (*image.RGBA, bool) {
			img, err := screen.Capture(context.Background(), image.Rect(0, 0, w, h))
			if err != nil {
				t.Fatal(err)
			}
			return img, shows(img)
		})
	}
	// textBox says whether the hint's box is drawn with its baseline at y:
	// its dark background, and light letters in it.
	hw := hintImage("").Rect.Dx()
	textBox := func(img *image.RGBA, y int) bool {
		dark, light := 0, 0
		for yy := y - 12; yy < y+4; yy++ {
			for xx := w/2 - hw/2; xx < w/2+hw/2; xx++ {
				switch img.RGBAAt(xx, yy) {
				case rgb(colTextBg):
					dark++
				case rgb(colText):
					light++
				}
			}
		}
		return dark > hw*16/2 && light > 200
	}

	type outcome struct {
		ch  Chosen
		err error
	}
	run := func() chan outcome {
		shown, done := make(chan struct{}), make(chan outcome, 1)
		go func() {
			ch, err := Select(context.Background(), Options{Display: x.Display, Timeout: time.Minute, Shown: func() { close(shown) }})
			done <- outcome{ch, err}
		}()
		select {
		case <-shown:
		case <-time.After(10 * time.Second):
			t.Fatal("the overlay did not show")
		}
		return done
	}
	wait := func(done chan outcome) outcome {
		t.Helper()
		select {
		case o := <-done:
			return o
		case <-time.After(10 * time.Second):
			t.Fatal("Select did not return")
		}
		return outcome{}
	}

	done := run()
	xdo("mousemove", "600", "350")
	mag := image.Pt(600+24, 350+24)
	img := lookFor("the overlay drawn around the pointer over the window", func(img *image.RGBA) bool {
		return img.RGBAAt(650, 499) == rgb(colCross) && img.RGBAAt(mag.X, mag.Y) == rgb(colEdge)
	})
	for _, p := range []image.Point{{500, 400}, {501, 400}, {650, 300}, {799, 450}, {650, 499}} {
		if got := img.RGBAAt(p.X, p.Y); got != rgb(colCross) {
			t.Errorf("the hovered window's outline at %v is %v", p, got)
		}
	}
	if got := img.RGBAAt(503, 400); got == rgb(colCross) {
		t.Error("the outline is thicker than it should be")
	}
	if !textBox(img, h-24) {
		t.Error("no hint line at the bottom")
	}
	if a, b := img.RGBAAt(mag.X, mag.Y), img.RGBAAt(mag.X+1, mag.Y+1); a != rgb(colEdge) || b != rgb(colBorder) {
		t.Errorf("the magnifier's borders: %v then %v, want black then white", a, b)
	}
	xdo("mousemove", itoa(w/2), itoa(h-30)) // near the hint
	lookFor("the hint moved away from the pointer, to the top", func(img *image.RGBA) bool {
		return !textBox(img, h-24) && textBox(img, 36)
	})
	xdo("mousemove", "600", "350", "key", "c")
	o := wait(done)
	var picked *ColourPicked
	if !errors.As(o.err, &picked) || picked.Hex() != "#FF0000" {
		t.Fatalf("C over the red window: %v", o.err)
	}

	// A drag hides the outline; E confirms for the editor.
	done = run()
	xdo("mousemove", "100", "100", "mousedown", "1", "mousemove", "200", "150", "mousemove", "300", "200")
	lookFor("the selection drawn and the window's outline gone during the drag", func(img *image.RGBA) bool {
		return img.RGBAAt(100-1, 150) == rgb(colBorder) && img.RGBAAt(500, 400) != rgb(colCross)
	})
	xdo("mouseup", "1", "key", "e")
	if o := wait(done); o.err != nil || !o.ch.Edit || o.ch.Rect != image.Rect(100, 100, 300, 200) {
		t.Fatalf("E: %+v %v", o.ch.Rect, o.err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
