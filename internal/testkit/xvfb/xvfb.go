// Package xvfb starts private X servers for tests and paints known
// pictures on them, so captures can be compared pixel by pixel.
package xvfb

import (
	"bufio"
	"fmt"
	"image"
	"image/draw"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// Need skips when tools are missing on a developer's machine and fails in
// CI, which installs them (so do `make test` and .ci/run).
func Need(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed; .ci/run must install it", tool)
			}
			t.Skipf("%s is not installed (run `make test`, which installs it)", tool)
		}
	}
}

// Server is a running Xvfb.
type Server struct {
	Display string // e.g. ":42"
	W, H    int

	cmd *exec.Cmd
}

// Stop ends the X server now, as a crash or the end of a session would.
func (s *Server) Stop() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// Start runs Xvfb on a free display with one w×h×24 screen, RandR on, and
// no reset when its last client leaves (a painted background would vanish).
// extra arguments go to Xvfb. It is stopped when the test ends.
func Start(t testing.TB, w, h int, extra ...string) *Server {
	t.Helper()
	Need(t, "Xvfb")
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-noreset", "-nolisten", "tcp", "+extension", "RANDR"}, extra...)
	cmd := exec.Command("Xvfb", args...)
	cmd.ExtraFiles = []*os.File{wr}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wr.Close()
	srv := &Server{W: w, H: h, cmd: cmd}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- s
		r.Close()
	}()
	select {
	case s := <-line:
		s = strings.TrimSpace(s)
		if s == "" {
			t.Fatalf("Xvfb did not start: %s", stderr.String())
		}
		srv.Display = ":" + s
		return srv
	case <-time.After(20 * time.Second):
		t.Fatalf("Xvfb did not report a display: %s", stderr.String())
	}
	return nil
}

// Paint makes img the root window's background (at its own bounds' origin
// 0,0), and keeps it there after this connection closes.
func (s *Server) Paint(t testing.TB, img image.Image) {
	t.Helper()
	if err := Paint(s.Display, img); err != nil {
		t.Fatal(err)
	}
}

// Paint sets img as the root background of display, in 24-bit TrueColor.
func Paint(display string, img image.Image) error {
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		return err
	}
	defer conn.Close()
	setup := xproto.Setup(conn)
	scr := setup.DefaultScreen(conn)
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	rgba, ok := img.(*image.RGBA)
	if !ok || rgba.Rect.Min != (image.Point{}) {
		rgba = image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	}
	pix, err := xproto.NewPixmapId(conn)
	if err != nil {
		return err
	}
	if err := xproto.CreatePixmapChecked(conn, scr.RootDepth, pix, xproto.Drawable(scr.Root), uint16(w), uint16(h)).Check(); err != nil {
		return fmt.Errorf("create pixmap: %w", err)
	}
	gc, _ := xproto.NewGcontextId(conn)
	xproto.CreateGC(conn, gc, xproto.Drawable(pix), 0, nil)
	// Requests are limited to MaximumRequestLength 4-byte units.
	rows := max(1, (int(setup.MaximumRequestLength)*4-64)/(w*4))
	buf := make([]byte, w*4*rows)
	for y := 0; y < h; y += rows {
		n := min(rows, h-y)
		for yy := 0; yy < n; yy++ {
			src := rgba.Pix[(y+yy)*rgba.Stride:]
			dst := buf[yy*w*4:]
			for x := 0; x < w; x++ {
				dst[x*4+0] = src[x*4+2] // B
				dst[x*4+1] = src[x*4+1] // G
				dst[x*4+2] = src[x*4+0] // R
				dst[x*4+3] = 0
			}
		}
		if err := xproto.PutImageChecked(conn, xproto.ImageFormatZPixmap, xproto.Drawable(pix), gc, uint16(w), uint16(n), 0, int16(y), 0, scr.RootDepth, buf[:w*4*n]).Check(); err != nil {
			return fmt.Errorf("put image: %w", err)
		}
	}
	xproto.ChangeWindowAttributes(conn, scr.Root, xproto.CwBackPixmap, []uint32{uint32(pix)})
	xproto.ClearArea(conn, false, scr.Root, 0, 0, 0, 0)
	xproto.SetCloseDownMode(conn, xproto.CloseDownRetainPermanent)
	_, err = xproto.GetInputFocus(conn).Reply() // a round trip: everything above is done
	return err
}

// Env returns environ with DISPLAY set to s.
func (s *Server) Env(environ []string) []string {
	out := make([]string, 0, len(environ)+1)
	for _, e := range environ {
		if !strings.HasPrefix(e, "DISPLAY=") {
			out = append(out, e)
		}
	}
	return append(out, "DISPLAY="+s.Display)
}

// AnnounceWindow creates a window called title and makes it the focused
// one the way a window manager announces it (_NET_ACTIVE_WINDOW on the
// root, _NET_WM_NAME on the window). It stays after this call returns.
func AnnounceWindow(t testing.TB, display, title string) {
	t.Helper()
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	scr := xproto.Setup(conn).DefaultScreen(conn)
	win, _ := xproto.NewWindowId(conn)
	xproto.CreateWindow(conn, scr.RootDepth, win, scr.Root, 0, 0, 1, 1, 0, xproto.WindowClassInputOutput, scr.RootVisual, 0, nil)
	atom := func(n string) xproto.Atom {
		r, _ := xproto.InternAtom(conn, false, uint16(len(n)), n).Reply()
		return r.Atom
	}
	xproto.ChangeProperty(conn, xproto.PropModeReplace, win, atom("_NET_WM_NAME"), atom("UTF8_STRING"), 8, uint32(len(title)), []byte(title))
	buf := make([]byte, 4)
	xgb.Put32(buf, uint32(win))
	xproto.ChangeProperty(conn, xproto.PropModeReplace, scr.Root, atom("_NET_ACTIVE_WINDOW"), xproto.AtomWindow, 32, 1, buf)
	xproto.SetCloseDownMode(conn, xproto.CloseDownRetainPermanent)
	if _, err := xproto.GetInputFocus(conn).Reply(); err != nil {
		t.Fatal(err)
	}
}

// MapWindow maps a plain window called title over r, as an application
// opening one would, and returns its id; it goes when the test ends.
func MapWindow(t testing.TB, display, title string, r image.Rectangle) uint32 {
	t.Helper()
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	scr := xproto.Setup(conn).DefaultScreen(conn)
	win, _ := xproto.NewWindowId(conn)
	xproto.CreateWindow(conn, scr.RootDepth, win, scr.Root, int16(r.Min.X), int16(r.Min.Y), uint16(r.Dx()), uint16(r.Dy()), 0,
		xproto.WindowClassInputOutput, scr.RootVisual, xproto.CwBackPixel, []uint32{0x804020})
	xproto.ChangeProperty(conn, xproto.PropModeReplace, win, xproto.AtomWmName, xproto.AtomString, 8, uint32(len(title)), []byte(title))
	xproto.MapWindow(conn, win)
	if _, err := xproto.GetInputFocus(conn).Reply(); err != nil {
		t.Fatal(err)
	}
	return uint32(win)
}
