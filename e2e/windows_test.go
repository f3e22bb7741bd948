package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"imagecx/action"
	"imagecx/annotate"
	"imagecx/i18n"
	"imagecx/internal/shrink"
	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/wine"
	"imagecx/internal/testkit/wine/hostprog"
	"imagecx/internal/testkit/xvfb"
	"imagecx/quick"
	"imagecx/record"
	"imagecx/shot"
	"imagecx/uploader/cxtest"
)

// winDesk is the Windows build of imagecx running under Wine on a private
// Xvfb showing the reference desktop, with a fake image.cx.
type winDesk struct {
	t       *testing.T
	x       *xvfb.Server
	prefix  *wine.Prefix
	srv     *cxtest.Server
	cli     string // imagecx.exe, the console program
	tray    string // imagecxw.exe, the tray app without a console
	env     []string
	trayWin string // the "Wine System Tray" window
	// ffmpegExe is the stand-in for ffmpeg.exe (standIn), as Windows
	// names it.
	ffmpegExe string
}

// buildWindows builds imagecx for Windows into dir; flags go to the linker.
func buildWindows(t *testing.T, dir, name, ldflags string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	build := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-o", out, "..") // -trimpath as `make windows`: one compile for both
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", name, err, b)
	}
	return out
}

func newWinDesk(t *testing.T) *winDesk {
	xvfb.Need(t, append(wine.Tools, "xdotool", "xclip", "import")...)
	want := desktopImage(t)
	d := &winDesk{t: t, x: xvfb.Start(t, want.Rect.Dx(), want.Rect.Dy())}
	d.x.Paint(t, want)
	dir := t.TempDir()
	d.cli = buildWindows(t, dir, "imagecx.exe", "")
	d.tray = buildWindows(t, dir, "imagecxw.exe", "-H=windowsgui")
	d.prefix = wine.New(t, d.x.Display)
	d.srv = startServer(t, cxtest.Config{})
	d.env = []string{"IMAGECX_ENDPOINT=" + d.srv.URL, "IMAGECX_API_KEY=" + d.srv.Key}
	return d
}

// run runs imagecx.exe to its end.
func (d *winDesk) run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return d.prefix.Run(ctx, d.cli, args...)
}

// tool runs an X tool on the Xvfb.
func (d *winDesk) tool(name string, args ...string) string {
	d.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = d.x.Env(os.Environ())
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if err != nil {
		d.t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// The icons' tile colours (assets/internal/gen).
var (
	idleBlue  = [3]int{41, 120, 245}
	busyAmber = [3]int{245, 140, 26}
	errorRed  = [3]int{219, 46, 51}
)

// near reports whether c is within 40 of want in every channel.
func near(c color.Color, want [3]int) bool {
	r, g, b, _ := c.RGBA()
	d := func(v uint32, w int) bool { return abs(int(v>>8)-w) <= 40 }
	return d(r, want[0]) && d(g, want[1]) && d(b, want[2])
}

func abs(n int) int { return max(n, -n) }

// trayIcon finds the tray app's icon in Wine's system tray window and
// checks it shows the idle state: Wine scales the icon to the tray's size,
// so its pixels are compared by colour (the idle blue tile, nothing of
// the busy or error colours). It returns the icon's centre on the screen.
func (d *winDesk) trayIcon() image.Point {
	d.t.Helper()
	d.trayWin = poll.Value(d.t, 30*time.Second, "Wine's system tray", func() (string, bool) {
		cmd := exec.Command("xdotool", "search", "--name", "Wine System Tray")
		cmd.Env = d.x.Env(os.Environ())
		out, _ := cmd.Output()
		ids := strings.Fields(string(out))
		if len(ids) == 0 {
			return "", false
		}
		return ids[0], true
	})
	var centre image.Point
	var idle, other int
	poll.Until(d.t, 30*time.Second, "the idle icon in the tray", func() bool {
		shot, err := png.Decode(strings.NewReader(d.tool("import", "-window", d.trayWin, "png:-")))
		if err != nil {
			return false
		}
		var sum image.Point
		idle, other = 0, 0
		b := shot.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				switch c := shot.At(x, y); {
				case near(c, idleBlue):
					idle++
					sum = sum.Add(image.Pt(x-b.Min.X, y-b.Min.Y))
				case near(c, busyAmber), near(c, errorRed):
					other++
				}
			}
		}
		if idle > 0 {
			centre = sum.Div(idle)
		}
		return idle >= 60 && other == 0
	})
	return shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", d.trayWin)).Min.Add(centre)
}

// menu opens the tray menu and picks an item with the keyboard: Down
// that many times from the top, then Return.
func (d *winDesk) menu(icon image.Point, down int) {
	d.t.Helper()
	d.openMenu(icon)
	args := []string{"key", "--delay", "50"}
	for range down {
		args = append(args, "Down")
	}
	d.tool("xdotool", append(args, "Return")...)
	d.tool("xdotool", "mousemove", "2000", "1500") // away from the icon's tooltip
}

// menuDown is how many Downs from the top of the tray menu reach the
// item of action id (the capture and upload items come first, in
// action.All's order; separators are skipped).
func menuDown(id action.ID) int {
	i := 0
	for _, a := range action.All {
		if !a.On("windows") || !a.InMenu() {
			continue
		}
		i++
		if a.ID == id {
			return i
		}
	}
	panic("no action " + string(id))
}

// openMenu right-clicks the icon and returns the menu's window.
func (d *winDesk) openMenu(icon image.Point) string {
	d.t.Helper()
	before := map[string]bool{}
	for _, w := range d.visibleWindows("imagecxw.exe") {
		before[w] = true
	}
	d.tool("xdotool", "mousemove", strconv.Itoa(icon.X), strconv.Itoa(icon.Y), "click", "3")
	return poll.Value(d.t, 10*time.Second, "the tray menu", func() (string, bool) {
		for _, w := range d.visibleWindows("imagecxw.exe") {
			if !before[w] {
				return w, true
			}
		}
		return "", false
	})
}

// quitFromMenu clicks the menu's last item, Quit.
func (d *winDesk) quitFromMenu(icon image.Point) {
	d.t.Helper()
	menu := d.openMenu(icon)
	r := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", menu))
	d.tool("xdotool", "mousemove", strconv.Itoa(r.Min.X+30), strconv.Itoa(r.Max.Y-10), "click", "1")
}

// clipboardText is the X clipboard as text (Wine bridges it).
func (d *winDesk) clipboardText() string {
	cmd := exec.Command("xclip", "-o", "-selection", "clipboard")
	cmd.Env = d.x.Env(os.Environ())
	cmd.WaitDelay = time.Second
	out, _ := cmd.Output()
	return string(out)
}

func (d *winDesk) waitStored(n int) []cxtest.Upload {
	d.t.Helper()
	return poll.Value(d.t, 60*time.Second, strconv.Itoa(n)+" uploads", func() ([]cxtest.Upload, bool) {
		s := d.srv.Stored()
		return s, len(s) >= n
	})
}

// wineRects are where Wine's own windows (the system tray, a balloon, a
// tooltip) are on the screen now: they are on the screen a capture reads.
func (d *winDesk) wineRects() []image.Rectangle {
	var rs []image.Rectangle
	for _, class := range []string{"explorer.exe", "imagecxw.exe", "imagecx.exe"} {
		for _, w := range d.visibleWindows(class) {
			// A balloon may be gone between the search and this.
			cmd := exec.Command("xdotool", "getwindowgeometry", "--shell", w)
			cmd.Env = d.x.Env(os.Environ())
			geo, err := cmd.Output()
			if err != nil {
				continue
			}
			rs = append(rs, shellGeometry(string(geo)).Inset(-2))
		}
	}
	return rs
}

// equalsScreen compares a capture with the reference desktop everywhere
// but where Wine's windows were (rects, taken around the capture).
func (d *winDesk) equalsScreen(data []byte, rects ...[]image.Rectangle) {
	d.t.Helper()
	got, err := imgdiff.Decode(data)
	if err != nil {
		d.t.Fatal(err)
	}
	want := desktopImage(d.t)
	if got.Bounds().Size() != want.Rect.Size() {
		d.t.Fatalf("size %v, want %v", got.Bounds().Size(), want.Rect.Size())
	}
	g := imgdiff.RGBA(got)
	masked := image.NewRGBA(want.Rect)
	copy(masked.Pix, want.Pix)
	for _, rs := range rects {
		for _, r := range rs {
			r = r.Intersect(want.Rect)
			for y := r.Min.Y; y < r.Max.Y; y++ {
				copy(masked.Pix[masked.PixOffset(r.Min.X, y):masked.PixOffset(r.Max.X, y)], g.Pix[g.PixOffset(r.Min.X, y):g.PixOffset(r.Max.X, y)])
			}
		}
	}
	if ok, why := imgdiff.Equal(g, masked); !ok {
		d.t.Fatalf("the capture is not the screen (Wine's own windows aside): %s", why)
	}
}

// log is the Windows tray app's log.
func (d *winDesk) log() string {
	logs, _ := filepath.Glob(filepath.Join(d.prefix.CDrive(), "users", "*", "AppData", "Local", "imagecx", "imagecx.log"))
	if len(logs) != 1 {
		return ""
	}
	data, _ := os.ReadFile(logs[0])
	return string(data)
}

// windowsAbove lists the top-level windows above w, the topmost first.
func (d *winDesk) windowsAbove(w string) []string {
	id, err := strconv.ParseUint(w, 10, 64)
	if err != nil {
		d.t.Fatalf("window %q", w)
	}
	var above []string
	for _, l := range strings.Split(d.tool("xwininfo", "-root", "-children"), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 || !strings.HasPrefix(f[0], "0x") {
			continue
		}
		if f[0] == fmt.Sprintf("0x%x", id) {
			return above
		}
		above = append(above, f[0])
	}
	d.t.Fatalf("window %s is not a top-level window", w)
	return nil
}

// viewable is where window w is on the screen, empty when it is not
// viewable.
func (d *winDesk) viewable(w string) image.Rectangle {
	info := d.tool("xwininfo", "-id", w)
	if !strings.Contains(info, "Map State: IsViewable") {
		return image.Rectangle{}
	}
	v := map[string]int{}
	for _, l := range strings.Split(info, "\n") {
		if k, val, ok := strings.Cut(strings.TrimSpace(l), ":"); ok {
			v[k], _ = strconv.Atoi(strings.TrimSpace(val))
		}
	}
	x, y := v["Absolute upper-left X"], v["Absolute upper-left Y"]
	return image.Rect(x, y, x+v["Width"], y+v["Height"])
}

// visibleWindowsNamed lists the mapped windows whose name contains name.
func (d *winDesk) visibleWindowsNamed(name string) []string {
	cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", name)
	cmd.Env = d.x.Env(os.Environ())
	out, _ := cmd.Output()
	return strings.Fields(string(out))
}

// visibleWindows lists the mapped windows of a program (WM_CLASS).
func (d *winDesk) visibleWindows(class string) []string {
	cmd := exec.Command("xdotool", "search", "--onlyvisible", "--class", class)
	cmd.Env = d.x.Env(os.Environ())
	out, _ := cmd.Output()
	return strings.Fields(string(out))
}

// startTray starts the tray app (imagecxw.exe) with the key and the fake
// site, and waits until it answers `imagecx status`; its log is shown if
// the test fails.
func (d *winDesk) startTray() *wine.Started {
	d.t.Helper()
	app := d.prefix.Start(d.t, d.tray, d.env)
	d.t.Cleanup(func() {
		if d.t.Failed() {
			d.t.Logf("imagecx's log:\n%s", d.log())
		}
	})
	poll.Until(d.t, 60*time.Second, "the tray app to answer `imagecx status`", func() bool {
		if app.Exited() {
			d.t.Fatalf("imagecxw.exe exited:\n%s", app.Output())
		}
		_, err := d.run("status")
		return err == nil
	})
	return app
}

// The Windows build's tray app, as a person uses it: the icon, the menu,
// the clipboard both ways, a notification, a hotkey, a command handed
// over from the console program, and Quit.
func TestWindowsTrayAppUnderWine(t *testing.T) {
	d := newWinDesk(t)
	if out, err := d.run("status"); err == nil {
		t.Fatalf("status before the tray app runs: %s", out)
	}
	d.ffmpegExe = d.standIn("ffmpeg", "ffprobe")
	d.chooseFFmpeg()
	app := d.startTray()
	icon := d.trayIcon()

	// The tooltip the icon shows under the pointer is not over the menu
	// the icon then opens (#30: it covered the first item).
	d.tool("xdotool", "mousemove", strconv.Itoa(icon.X), strconv.Itoa(icon.Y))
	poll.Until(t, 10*time.Second, "the icon's tooltip", func() bool {
		for _, w := range d.visibleWindows("explorer.exe") {
			if r := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", w)); w != d.trayWin && r.Dx() > 20 && r.Dy() < 60 {
				return true
			}
		}
		return false
	})
	menu := d.openMenu(icon)
	menuRect := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", menu))
	for _, w := range d.windowsAbove(menu) {
		if r := d.viewable(w); r.Dx() > 1 && r.Overlaps(menuRect) {
			t.Errorf("window %s (%v) is over the tray menu (%v)", w, r, menuRect)
		}
	}
	d.tool("xdotool", "key", "Escape")
	poll.Until(t, 10*time.Second, "the menu closed", func() bool { return !slices.Contains(d.visibleWindows("imagecxw.exe"), menu) })

	// The menu's first item captures the screen, pixel for pixel.
	before := d.wineRects()
	d.menu(icon, menuDown(action.FullScreen))
	stored := d.waitStored(1)
	d.equalsScreen(stored[0].Data, before, d.wineRects())
	if got := stored[0].Header.Get("X-API-Key"); got != d.srv.Key {
		t.Errorf("key header %q", got)
	}
	link := poll.Value(t, 10*time.Second, "the link on the X clipboard", func() (string, bool) {
		s := d.clipboardText()
		return s, strings.HasPrefix(s, d.srv.URL+"/images/")
	})
	// A notification (a balloon from Wine's system tray) says so.
	poll.Until(t, 10*time.Second, "a notification balloon", func() bool {
		for _, w := range d.visibleWindows("explorer.exe") {
			if w != d.trayWin {
				return true
			}
		}
		return false
	})

	// An image copied on the X side uploads with its pixels.
	img := imgdiff.RGBA(desktopImage(t).SubImage(image.Rect(2000, 1200, 2480, 1520))) // the logo
	var buf bytes.Buffer
	png.Encode(&buf, img)
	copyImage := exec.Command("xclip", "-selection", "clipboard", "-t", "image/png", "-i")
	copyImage.Env = d.x.Env(os.Environ())
	copyImage.Stdin = bytes.NewReader(buf.Bytes())
	if err := copyImage.Run(); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 10*time.Second, "xclip to own the clipboard", func() bool { return d.clipboardText() != link })
	d.menu(icon, menuDown(action.UploadClipboard))
	stored = d.waitStored(2)
	got, err := imgdiff.Decode(stored[1].Data)
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := imgdiff.Equal(got, img); !ok {
		t.Fatalf("the clipboard image: %s", why)
	}

	// Files copied in a file manager (text/uri-list, which Wine turns into
	// CF_HDROP) upload as they are.
	file := filepath.Join(t.TempDir(), "copied.png")
	var fileData bytes.Buffer
	png.Encode(&fileData, imgdiff.RGBA(desktopImage(t).SubImage(image.Rect(1920, 0, 2120, 150))))
	if err := os.WriteFile(file, fileData.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	copyFiles := exec.Command("xclip", "-selection", "clipboard", "-t", "text/uri-list", "-i")
	copyFiles.Env = d.x.Env(os.Environ())
	copyFiles.Stdin = strings.NewReader("file://" + file + "\r\n") // lines end so in text/uri-list
	if err := copyFiles.Run(); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 10*time.Second, "xclip to offer the files", func() bool {
		targets := exec.Command("xclip", "-o", "-selection", "clipboard", "-t", "TARGETS")
		targets.Env = d.x.Env(os.Environ())
		targets.WaitDelay = time.Second
		out, _ := targets.Output()
		return strings.Contains(string(out), "text/uri-list")
	})
	// Wine takes the X clipboard's new owner a moment later: a press
	// before that is told the clipboard holds no image (and logs it), and
	// is pressed again, as a person would.
	for try := 0; ; try++ {
		misses := strings.Count(d.log(), "the clipboard holds no image")
		d.menu(icon, menuDown(action.UploadClipboard))
		answered := poll.Value(t, 60*time.Second, "the clipboard's upload or its failure", func() (bool, bool) {
			if len(d.srv.Stored()) >= 3 {
				return true, true
			}
			return false, strings.Count(d.log(), "the clipboard holds no image") > misses
		})
		if answered || try == 2 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if got := d.waitStored(3)[2]; !bytes.Equal(got.Data, fileData.Bytes()) || got.FileName != "copied.png" {
		t.Fatalf("the copied file: %s, %d bytes, want copied.png, %d", got.FileName, len(got.Data), fileData.Len())
	}

	// A region dragged in the overlay uploads exactly that rectangle.
	d.menu(icon, menuDown(action.Region))
	overlay := poll.Value(t, 20*time.Second, "the region overlay", func() (string, bool) {
		ws := d.visibleWindowsNamed("imagecx region")
		if len(ws) == 0 {
			return "", false
		}
		return ws[0], true
	})
	_ = overlay
	time.Sleep(300 * time.Millisecond) // the overlay has the focus
	d.tool("xdotool", "mousemove", "600", "400", "mousedown", "1", "mousemove", "900", "600", "mousemove", "1240", "880", "mouseup", "1")
	d.tool("xdotool", "key", "Return")
	equalsCrop(t, d.waitStored(4)[3].Data, image.Rect(600, 400, 1240, 880))

	// The console program hands its work to the running tray app.
	before = d.wineRects()
	out, err := d.run("capture", "full")
	if err != nil || !strings.Contains(out, "running imagecx") {
		t.Fatalf("hand-off: %v\n%s", err, out)
	}
	d.equalsScreen(d.waitStored(5)[4].Data, before, d.wineRects())

	// Explorer's Upload to image.cx runs `imagecxw open FILE` once per
	// selected file, all at once: the tray app makes them one batch.
	var picked []string
	for i, r := range []image.Rectangle{image.Rect(0, 0, 90, 60), image.Rect(100, 0, 160, 90)} {
		f := filepath.Join(t.TempDir(), fmt.Sprintf("picked-%d.png", i))
		var b bytes.Buffer
		png.Encode(&b, imgdiff.RGBA(desktopImage(t).SubImage(r)))
		os.WriteFile(f, b.Bytes(), 0o644)
		picked = append(picked, f)
	}
	var opens sync.WaitGroup
	for _, f := range picked {
		opens.Go(func() {
			if out, err := d.run("open", `Z:`+strings.ReplaceAll(f, "/", `\`)); err != nil {
				t.Errorf("open %s: %v\n%s", f, err, out)
			}
		})
	}
	opens.Wait()
	d.waitStored(7)
	if !strings.Contains(d.log(), `msg="files to upload as one batch" files=2`) {
		t.Errorf("the two files were not one batch:\n%s", d.log())
	}

	// Recording: a GIF, made by imagecx itself, of the screen; an MP4
	// needs ffmpeg.exe (below).
	gifFile := filepath.Join(t.TempDir(), "screen.gif")
	if out, err := d.run("record", "full", "--gif", "--seconds", "2", "--no-upload", "-o", `Z:`+strings.ReplaceAll(gifFile, "/", `\`)); err != nil {
		t.Fatalf("record --gif: %v\n%s", err, out)
	}
	gifData, err := os.ReadFile(gifFile)
	if err != nil {
		t.Fatal(err)
	}
	if g, err := gif.DecodeAll(bytes.NewReader(gifData)); err != nil || g.Config.Width != 1280 || g.Config.Height != 720 {
		t.Errorf("the GIF: %v", err)
	} else {
		looksLikeWithin(t, imgdiff.RGBA(g.Image[0]), shrink.To(desktopImage(t), 1280, 720), 8, 0.03)
	}
	d.recordsMP4()

	// The hotkey, while a Wine window has the focus (Wine's rule for
	// RegisterHotKey: the keys reach it through a Wine window).
	d.tool("xdotool", "windowfocus", "--sync", d.trayWin)
	before = d.wineRects()
	d.tool("xdotool", "key", "ctrl+shift+1")
	d.equalsScreen(d.waitStored(8)[7].Data, before, d.wineRects())

	// The recording key starts a recording in the tray app and stops it:
	// an MP4 made with the ffmpeg.exe chosen in the settings, uploaded.
	d.tool("xdotool", "windowfocus", "--sync", d.trayWin)
	d.tool("xdotool", "key", "ctrl+shift+5")
	poll.Until(t, 30*time.Second, "the recording to start", func() bool { return strings.Contains(d.log(), `msg="recording starts"`) })
	time.Sleep(3 * time.Second)
	d.tool("xdotool", "windowfocus", "--sync", d.trayWin)
	d.tool("xdotool", "key", "ctrl+shift+5")
	video := d.waitStored(9)[8]
	videoFile := filepath.Join(t.TempDir(), "tray.mp4")
	os.WriteFile(videoFile, video.Data, 0o644)
	if length, size, err := record.Probe(context.Background(), videoFile); video.ContentType != "video/mp4" || err != nil ||
		size != desktopImage(t).Rect.Size() || length < 2*time.Second || length > 6*time.Second {
		t.Errorf("the tray app's recording: %s, %v long, %v, %v", video.ContentType, length, size, err)
	}

	// Quit, from the menu's last item.
	d.tool("xdotool", "mousemove", "2000", "1500")
	time.Sleep(6 * time.Second) // the last balloon goes
	d.quitFromMenu(icon)
	// A hang, not a speed, is what this bounds: under Wine the icon's
	// removal alone (Shell_NotifyIcon's NIM_DELETE) takes about 2 s.
	code, ok := app.Wait(30 * time.Second)
	if !ok {
		shot := filepath.Join(os.TempDir(), "imagecx-wine-quit.png")
		d.tool("import", "-window", "root", "-crop", "1000x600+0+0", shot)
		t.Fatalf("the tray app did not quit (the screen is in %s):\n%s", shot, app.Output())
	}
	if code != 0 {
		t.Errorf("quit: exit code %d", code)
	}
	logText := d.log()
	if strings.Contains(logText, "still running") || !strings.Contains(logText, "msg=stopped") {
		t.Errorf("the log at quit:\n%s", logText)
	}
}

// standIn puts in the prefix, in C:\ffmpeg\bin, a Windows program for
// each of this machine's programs named (ffmpeg.exe for ffmpeg), which
// runs the real one (internal/testkit/wine/hostprog: Wine cannot wait
// for a Linux program a Windows program starts). The path of the first
// is returned, as Windows names it.
func (d *winDesk) standIn(names ...string) string {
	d.t.Helper()
	xvfb.Need(d.t, names...)
	bin := filepath.Join(d.prefix.CDrive(), "ffmpeg", "bin")
	os.MkdirAll(bin, 0o755)
	stand := filepath.Join(bin, "stand.exe")
	build := exec.Command("go", "build", "-o", stand, "../internal/testkit/wine/hostprog/stand")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		d.t.Fatalf("build the stand-in: %v\n%s", err, out)
	}
	for _, name := range names {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			d.t.Fatal(err)
		}
		d.t.Cleanup(func() { ln.Close() })
		program, _ := exec.LookPath(name)
		go hostprog.Serve(ln, program, hostprog.WinePath(d.prefix.Dir))
		exe := filepath.Join(bin, name+".exe")
		if err := os.Link(stand, exe); err != nil {
			d.t.Fatal(err)
		}
		// Each stand-in finds its own server by its name.
		kv := hostprog.EnvAddr + "_" + strings.ToUpper(name) + "=" + ln.Addr().String()
		d.prefix.Setenv(kv)
		d.env = append(d.env, kv)
	}
	return `C:\ffmpeg\bin\` + names[0] + ".exe"
}

// chooseFFmpeg: where no ffmpeg is found, an MP4 is refused with what
// to get and where to choose it; then ffmpeg.exe is chosen in the
// settings (before the tray app starts, which reads them then).
func (d *winDesk) chooseFFmpeg() {
	t := d.t
	if out, err := d.run("record", "full", "--seconds", "1", "--no-upload", "-o", `Z:\tmp\never.mp4`); err == nil || !strings.Contains(out, "ffmpeg.org") {
		t.Errorf("an MP4 with no ffmpeg: %v\n%s", err, out)
	}
	roaming, _ := filepath.Glob(filepath.Join(d.prefix.CDrive(), "users", "*", "AppData", "Roaming"))
	if len(roaming) != 1 {
		t.Fatalf("the prefix's AppData\\Roaming: %v", roaming)
	}
	cfg, _ := json.Marshal(map[string]any{"record": map[string]any{"fps": 30, "max_seconds": 60, "ffmpeg": d.ffmpegExe}})
	os.MkdirAll(filepath.Join(roaming[0], "imagecx"), 0o700)
	if err := os.WriteFile(filepath.Join(roaming[0], "imagecx", "config.json"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
}

// recordsMP4: with ffmpeg.exe chosen, imagecx reads the frames as
// captures are and feeds them to it: an H.264 MP4 of the screen, as long
// as recorded.
func (d *winDesk) recordsMP4() {
	t := d.t
	mp4 := filepath.Join(t.TempDir(), "screen.mp4")
	if out, err := d.run("record", "full", "--seconds", "3", "--no-upload", "-o", `Z:`+strings.ReplaceAll(mp4, "/", `\`)); err != nil {
		t.Fatalf("record an MP4 with ffmpeg.exe: %v\n%s", err, out)
	}
	checkH264(t, mp4)
	want := desktopImage(t)
	length, size, err := record.Probe(context.Background(), mp4)
	if err != nil || size != want.Rect.Size() || length < 2500*time.Millisecond || length > 3500*time.Millisecond {
		pts, _ := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", mp4).Output()
		t.Fatalf("the MP4: %v long, %v, %v; want about 3 s of %v; its frames:\n%s", length, size, err, want.Rect.Size(), pts)
	}
	looksLikeWithin(t, frameAt(t, mp4, 1.5), want, 6, 0.03)
}

// buildWindowWindows cross-builds one of the window programs
// (imagecx-settings, imagecx-history) for Windows into dir (fyne needs
// cgo: MinGW-w64's gcc).
func buildWindowWindows(t *testing.T, dir, name string) string {
	t.Helper()
	xvfb.Need(t, "x86_64-w64-mingw32-gcc-posix")
	out := filepath.Join(dir, name+".exe")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-H=windowsgui", "-o", out, "../cmd/"+name)
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=1", "CC=x86_64-w64-mingw32-gcc-posix")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build %s.exe: %v\n%s", name, err, b)
	}
	return out
}

// click clicks at (x, y) of window w; a negative x or y counts from the
// right or bottom edge.
func (d *winDesk) click(w string, x, y int) {
	d.t.Helper()
	r := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", w))
	if x < 0 {
		x += r.Dx()
	}
	if y < 0 {
		y += r.Dy()
	}
	d.tool("xdotool", "mousemove", strconv.Itoa(r.Min.X+x), strconv.Itoa(r.Min.Y+y), "click", "1")
}

// The first run on Windows: no key, so the settings window opens by itself;
// the key typed there goes to Credential Manager, start at login writes the
// Run value naming the tray app, and the next capture uses the key; the
// history window lists it.
func TestWindowsSettingsUnderWine(t *testing.T) {
	d := newWinDesk(t)
	buildWindowWindows(t, filepath.Dir(d.cli), "imagecx-settings")
	history := buildWindowWindows(t, filepath.Dir(d.cli), "imagecx-history")
	app := d.prefix.Start(t, d.tray, []string{"IMAGECX_ENDPOINT=" + d.srv.URL})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("imagecx's log:\n%s", d.log())
		}
	})
	win := poll.Value(t, 90*time.Second, "the settings window", func() (string, bool) {
		if app.Exited() {
			t.Fatalf("imagecxw.exe exited:\n%s", app.Output())
		}
		ws := d.visibleWindowsNamed("imagecx Settings")
		if len(ws) == 0 {
			return "", false
		}
		return ws[0], true
	})
	time.Sleep(2 * time.Second) // fyne draws its first frame
	d.tool("xdotool", "windowfocus", "--sync", win)
	d.tool("xdotool", "type", "--delay", "20", d.srv.Key) // the key field has the focus
	// The window is 620 wide: the General tab, then its first row, the
	// start-at-login box; then Save, in the bottom right corner.
	d.click(win, 381, 21)
	time.Sleep(500 * time.Millisecond)
	d.click(win, 18, 62)
	time.Sleep(500 * time.Millisecond)
	d.click(win, -28, -22)
	poll.Until(t, 20*time.Second, "the settings window to close", func() bool { return len(d.visibleWindowsNamed("imagecx Settings")) == 0 })

	if out, err := d.run("key", "where"); err != nil || !strings.Contains(out, "Credential Manager") {
		t.Errorf("key where: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	reg, err := d.prefix.Run(ctx, "reg", "query", `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`, "/v", "imagecx")
	if err != nil || !strings.Contains(strings.ToLower(reg), "imagecxw.exe") {
		t.Errorf("the Run value: %v\n%s", err, reg)
	}
	out, err := d.run("capture", "full")
	if err != nil || !strings.Contains(out, "running imagecx") {
		t.Fatalf("hand-off: %v\n%s", err, out)
	}
	if got := d.waitStored(1)[0].Header.Get("X-API-Key"); got != d.srv.Key {
		t.Fatalf("the capture used key %q, not the one saved in Settings", got)
	}

	// The history (%LOCALAPPDATA%\imagecx\history.db, SQLite in pure Go)
	// holds it, and the history window lists it.
	if out, err := d.run("history"); err != nil || !strings.Contains(out, "uploaded") || !strings.Contains(out, d.srv.URL) {
		t.Errorf("imagecx history: %v\n%s", err, out)
	}
	hw := d.prefix.Start(t, history, nil)
	poll.Until(t, 90*time.Second, "the history window listing the capture", func() bool {
		if hw.Exited() {
			t.Fatalf("imagecx-history.exe exited:\n%s", hw.Output())
		}
		return len(d.visibleWindowsNamed(`imagecx History \(1\)`)) > 0
	})
}

// The editor on Windows: "Capture region and edit" handed over by the
// console program to the tray app, the region overlay, then the editor
// (imagecx-editor.exe, fyne) on the region; a rectangle drawn with its key
// and Enter: the upload is the region with the rectangle on it, and
// nothing else changed.
func TestWindowsEditorUnderWine(t *testing.T) {
	d := newWinDesk(t)
	buildWindowWindows(t, filepath.Dir(d.cli), "imagecx-editor")
	d.startTray()
	if out, err := d.run("capture", "region", "--edit"); err != nil || !strings.Contains(out, "running imagecx") {
		t.Fatalf("hand-off: %v\n%s", err, out)
	}
	poll.Until(t, 20*time.Second, "the region overlay", func() bool { return len(d.visibleWindowsNamed("imagecx region")) > 0 })
	time.Sleep(300 * time.Millisecond) // the overlay has the focus
	region := image.Rect(600, 400, 1240, 880)
	d.tool("xdotool", "mousemove", "600", "400", "mousedown", "1", "mousemove", "900", "600", "mousemove", "1240", "880", "mouseup", "1")
	d.tool("xdotool", "key", "Return")
	win := poll.Value(t, 90*time.Second, "the editor", func() (string, bool) {
		ws := d.visibleWindowsNamed("imagecx editor")
		if len(ws) == 0 {
			return "", false
		}
		return ws[0], true
	})
	want := imgdiff.RGBA(desktopImage(t).SubImage(region))
	var o image.Point
	found := false
	poll.Until(t, 30*time.Second, "the region shown in the editor, at its size, in one place", func() bool {
		shot := filepath.Join(t.TempDir(), "screen.png")
		d.tool("import", "-window", "root", shot)
		data, _ := os.ReadFile(shot)
		img, err := imgdiff.Decode(data)
		if err != nil {
			return false
		}
		p, ok := locate(imgdiff.RGBA(img), want, region.Min)
		still := ok && found && p == o
		o, found = p, ok
		return still
	})
	d.tool("xdotool", "windowfocus", "--sync", win)
	box := image.Rect(40, 40, 200, 150)
	drawRectangleAndUpload(d.tool, o, box)

	rectangleDrawn(t, d.waitStored(1)[0].Data, want, box)
}

// The Windows editor draws Chinese with the system's CJK font (here Noto
// Sans CJK in the prefix's Fonts folder, where Windows keeps Microsoft
// JhengHei): 你好世界 pasted into the text tool reaches the upload pixel
// for pixel as annotate draws it with that font.
func TestWindowsEditorDrawsChinese(t *testing.T) {
	d := newWinDesk(t)
	buildWindowWindows(t, filepath.Dir(d.cli), "imagecx-editor")
	fontsDir := filepath.Join(d.prefix.CDrive(), "windows", "Fonts")
	os.MkdirAll(fontsDir, 0o755)
	data, err := os.ReadFile("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
	if err != nil {
		t.Fatalf("%v: scripts/deps.sh test installs fonts-noto-cjk", err)
	}
	if err := os.WriteFile(filepath.Join(fontsDir, "NotoSansCJK-Bold.ttc"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	page := image.NewRGBA(image.Rect(0, 0, 420, 220))
	for y := range page.Rect.Dy() {
		for x := range page.Rect.Dx() {
			page.SetRGBA(x, y, color.RGBA{uint8(200 + x%40), uint8(220 - y%30), 240, 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, page)
	file := filepath.Join(d.prefix.CDrive(), "page.png")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	edit := d.prefix.Start(t, d.cli, append(d.env, "IMAGECX_LANGUAGE=en"), "edit", `C:\page.png`)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("imagecx edit:\n%s", edit.Output())
		}
	})
	var o image.Point
	found := false
	poll.Until(t, 90*time.Second, "the image shown in the editor, at its size, in one place", func() bool {
		if edit.Exited() {
			t.Fatalf("imagecx edit ended:\n%s", edit.Output())
		}
		shot := filepath.Join(t.TempDir(), "screen.png")
		d.tool("import", "-window", "root", shot)
		data, _ := os.ReadFile(shot)
		img, err := imgdiff.Decode(data)
		if err != nil {
			return false
		}
		p, ok := locate(imgdiff.RGBA(img), page, image.Pt(-1, -1))
		still := ok && found && p == o
		o, found = p, ok
		return still
	})
	win := d.visibleWindowsNamed("imagecx editor")
	if len(win) == 0 {
		t.Fatal("no editor window")
	}
	d.tool("xdotool", "windowfocus", "--sync", win[0])
	textAt := image.Pt(40, 90)
	const text = "你好世界"
	defer i18n.Use(i18n.Current())
	i18n.Use(i18n.English) // the prefix's language: the font's Traditional Chinese shapes
	doc := annotate.New(page)
	doc.Add(annotate.Shape{Tool: annotate.Text, Points: []image.Point{textAt}, Color: annotate.Colors[0], Width: annotate.Widths[1], Text: text})
	want := doc.Render()

	// Each step waits for what it shows before the next: under a loaded
	// Wine a key sent before fyne's next frame is lost, and the editor
	// then waits for a click that never comes.
	screen := func() *image.RGBA {
		shot := filepath.Join(t.TempDir(), "screen.png")
		d.tool("import", "-window", "root", shot)
		data, _ := os.ReadFile(shot)
		img, err := imgdiff.Decode(data)
		if err != nil {
			return image.NewRGBA(image.Rect(0, 0, 1, 1))
		}
		return imgdiff.RGBA(img)
	}
	shown := image.Rectangle{o, o.Add(page.Rect.Size())}
	field := image.Rectangle{o.Add(textAt).Sub(image.Pt(10, 30)), o.Add(textAt).Add(image.Pt(200, 30))}
	var entry *image.RGBA
	poll.Until(t, 60*time.Second, "a text field where the Text tool clicked", func() bool {
		d.tool("xdotool", "mousemove", itoa(o.X+300), itoa(o.Y+180), "key", "t")
		time.Sleep(500 * time.Millisecond)
		d.tool("xdotool", "mousemove", itoa(o.X+textAt.X), itoa(o.Y+textAt.Y), "click", "1")
		for range 10 {
			time.Sleep(500 * time.Millisecond)
			if entry = screen(); imgdiff.Count(page, entry, shown) > 0 {
				return true
			}
		}
		return false
	})
	clip := exec.Command("xclip", "-selection", "clipboard", "-t", "UTF8_STRING", "-i")
	clip.Env = d.x.Env(os.Environ())
	clip.Stdin = strings.NewReader(text)
	if err := clip.Start(); err != nil { // xclip serves the clipboard until another program takes it
		t.Fatal(err)
	}
	t.Cleanup(func() { clip.Process.Kill(); clip.Wait() })
	time.Sleep(500 * time.Millisecond)
	d.tool("xdotool", "key", "ctrl+v")
	poll.Until(t, 30*time.Second, "the pasted text in the field", func() bool {
		return imgdiff.Count(entry.SubImage(field), screen(), field) > 0
	})
	d.tool("xdotool", "key", "Return")
	poll.Until(t, 30*time.Second, "the text drawn on the image as annotate draws it", func() bool {
		return imgdiff.Count(want, screen(), shown) == 0
	})
	d.tool("xdotool", "key", "Return")

	got, err := imgdiff.Decode(d.waitStored(1)[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	up := imgdiff.RGBA(got)
	if up.Rect != want.Rect || string(up.Pix) != string(want.Pix) {
		t.Errorf("the upload (%v) is not %s drawn with the CJK font (%v)", up.Rect, text, want.Rect)
	}
	if string(up.Pix) == string(page.Pix) {
		t.Error("nothing was drawn")
	}
}

// A pin of the Windows build, under Wine: a topmost popup of the image's
// size, centred under the pointer, zoomed by the wheel, closed by Esc.
func TestWindowsPinUnderWine(t *testing.T) {
	d := newWinDesk(t)
	writePNG(t, d.prefix.CDrive(), "pin.png", 400, 300, true)
	d.tool("xdotool", "mousemove", "1000", "800")
	pin := d.prefix.Start(t, d.cli, d.env, "pin", `C:\pin.png`)
	win := poll.Value(t, 60*time.Second, "the pin's window", func() (string, bool) {
		for _, w := range d.visibleWindows("imagecx.exe") {
			if r := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", w)); r.Size() == image.Pt(400, 300) {
				return w, true
			}
		}
		return "", false
	})
	r := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", win))
	if c := r.Min.Add(r.Size().Div(2)); abs(c.X-1920) > 40 || abs(c.Y-1080) > 60 {
		t.Errorf("the pin at %v, want it centred on the screen", r)
	}
	d.tool("xdotool", "mousemove", itoa(r.Min.X+100), itoa(r.Min.Y+100), "click", "4")
	poll.Until(t, 10*time.Second, "the pin zoomed in", func() bool {
		return shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", win)).Size() == image.Pt(440, 330)
	})
	d.tool("xdotool", "key", "Escape")
	if code, ok := pin.Wait(15 * time.Second); !ok || code != 0 {
		t.Fatalf("the pin did not close with Esc (exit %d, ended %v):\n%s", code, ok, pin.Output())
	}
}

// The quick-access thumbnail of the Windows build, under Wine: turned on
// in the settings, a capture from the menu shows it in the screen's
// corner without taking the focus; its Pin button pins the capture.
func TestWindowsQuickThumbnailUnderWine(t *testing.T) {
	d := newWinDesk(t)
	thumb, lay := d.captureWithThumbnail()
	screen := desktopImage(t).Rect.Size()
	sized := func(size image.Point) func() (string, bool) {
		return func() (string, bool) {
			for _, w := range d.visibleWindows("imagecxw.exe") {
				if shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", w)).Size() == size {
					return w, true
				}
			}
			return "", false
		}
	}
	r := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", thumb))
	if r.Max != screen.Sub(image.Pt(24, 24)) {
		t.Errorf("the thumbnail at %v, want its corner 24 px from the screen's", r)
	}
	pinAt := r.Min.Add(lay.Buttons[2].Min).Add(lay.Buttons[2].Size().Div(2))
	d.tool("xdotool", "mousemove", itoa(pinAt.X), itoa(pinAt.Y), "click", "1")
	poll.Value(t, 60*time.Second, "the capture pinned, nine tenths of the screen", sized(image.Pt(screen.X*9/10, screen.Y*9/10)))
}

// captureWithThumbnail turns the thumbnail on in the settings, starts
// the tray app, captures the screen from its menu and returns the
// thumbnail's window and layout.
func (d *winDesk) captureWithThumbnail() (string, quick.Layout) {
	t := d.t
	t.Helper()
	roaming, _ := filepath.Glob(filepath.Join(d.prefix.CDrive(), "users", "*", "AppData", "Roaming"))
	if len(roaming) != 1 {
		t.Fatalf("the prefix's AppData\\Roaming: %v", roaming)
	}
	os.MkdirAll(filepath.Join(roaming[0], "imagecx"), 0o700)
	os.WriteFile(filepath.Join(roaming[0], "imagecx", "config.json"), []byte(`{"capture":{"thumbnail":true}}`), 0o600)
	d.startTray()
	d.menu(d.trayIcon(), menuDown(action.FullScreen))
	d.waitStored(1)
	screen := desktopImage(t).Rect.Size()
	lay := quick.Lay(image.Pt(shot.ThumbSize, shot.ThumbSize*screen.Y/screen.X))
	thumb := poll.Value(t, 30*time.Second, "the thumbnail", func() (string, bool) {
		for _, w := range d.visibleWindows("imagecxw.exe") {
			if shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", w)).Size() == lay.Size {
				return w, true
			}
		}
		return "", false
	})
	return thumb, lay
}

// The thumbnail dragged out on Windows: OLE's drag from the thumbnail
// onto another application's window (a drop target registered as
// Explorer's are, internal/testkit/wine/droptarget) hands it the
// capture's file, and the thumbnail goes.
func TestWindowsThumbnailDragsOutUnderWine(t *testing.T) {
	d := newWinDesk(t)
	target := filepath.Join(filepath.Dir(d.cli), "droptarget.exe")
	build := exec.Command("go", "build", "-o", target, "../internal/testkit/wine/droptarget")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the drop target: %v\n%s", err, out)
	}
	drop := d.prefix.Start(t, target, nil)
	poll.Until(t, 30*time.Second, "the drop target's window", func() bool {
		return strings.Contains(drop.Output(), "ready") && len(d.visibleWindowsNamed("imagecx drop target")) > 0
	})
	thumb, lay := d.captureWithThumbnail()
	r := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", thumb))
	from := r.Min.Add(lay.Picture.Min).Add(lay.Picture.Size().Div(2))
	to := image.Pt(300, 250) // the drop target's window
	d.tool("xdotool", "mousemove", itoa(from.X), itoa(from.Y), "mousedown", "1")
	time.Sleep(200 * time.Millisecond)
	d.tool("xdotool", "mousemove", itoa(from.X-10), itoa(from.Y-10)) // a drag starts inside the thumbnail
	time.Sleep(200 * time.Millisecond)
	for i := 1; i <= 12; i++ {
		p := from.Add(to.Sub(from).Mul(i).Div(12))
		d.tool("xdotool", "mousemove", itoa(p.X), itoa(p.Y))
		time.Sleep(80 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	d.tool("xdotool", "mouseup", "1")
	if _, ok := drop.Wait(30 * time.Second); !ok {
		t.Fatalf("nothing was dropped on the target:\n%s", drop.Output())
	}
	got := ""
	for _, l := range strings.Split(drop.Output(), "\n") {
		if f, ok := strings.CutPrefix(strings.TrimSpace(l), "dropped: "); ok {
			got = f
		}
	}
	if !strings.HasPrefix(filepath.Base(strings.ReplaceAll(got, `\`, "/")), "imagecx-") || !strings.HasSuffix(got, ".png") {
		t.Fatalf("the target got %q:\n%s", got, drop.Output())
	}
	poll.Until(t, 10*time.Second, "the thumbnail gone after the drop", func() bool {
		for _, w := range d.visibleWindows("imagecxw.exe") {
			if w == thumb {
				return false
			}
		}
		return true
	})
}
