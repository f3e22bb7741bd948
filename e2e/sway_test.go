package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/wlpointer"
	"imagecx/internal/testkit/wlproxy"
	"imagecx/internal/testkit/xvfb"
	"imagecx/record"
	"imagecx/uploader/cxtest"
)

// TestRealWaylandDesktop captures a real Wayland session: a headless sway
// whose wallpaper is a crop of the reference desktop, with the real
// xdg-desktop-portal and xdg-desktop-portal-wlr (and the PipeWire and grim
// the latter needs) on a private bus. The fake-portal tests check every answer
// a portal can give; this one checks that the real ones give them.
func TestRealWaylandDesktop(t *testing.T) {
	crop := image.Rect(1600, 0, 2880, 720)
	desktop := desktopImage(t)
	d := startSway(t, desktop.SubImage(crop), true)
	srv := startServer(t, cxtest.Config{})
	u := d.user(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key

	equalsCrop(t, d.captureFull(t, u, desktop, crop), crop)
	// Portals from 1.17 on ask once before the first screenshot without a
	// dialog; the backend here says yes, as the user would.
	t.Logf("access dialogs: %q", d.access.Asked())

	r := u.run("", "capture", "full")
	if r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.stdout), srv.URL) {
		t.Fatalf("capture full, uploaded:\n%s", r)
	}
	stored := srv.Stored()
	if len(stored) != 1 {
		t.Fatalf("%d uploads stored", len(stored))
	}
	equalsCrop(t, stored[0].Data, crop)

	// Choosing an area takes slurp, which neither the portal nor imagecx
	// finds here: the portal fails, grim cannot stand in, and the message
	// says what to install.
	r = u.run("", "capture", "region", "--no-upload", "-o", filepath.Join(u.home, "region.png"))
	if r.code != 1 || !strings.Contains(r.stderr, "capturing an area needs slurp") {
		t.Fatalf("capture region without slurp:\n%s", r)
	}
}

// TestRegionCaptureOnRealWayland: on sway, the Screenshot portal lets the
// person drag the area with slurp (a virtual pointer here) and gives the
// crop, pixel for pixel.
func TestRegionCaptureOnRealWayland(t *testing.T) {
	xvfb.Need(t, "slurp")
	crop := image.Rect(800, 600, 2080, 1320)
	desktop := desktopImage(t)
	sw := startSwayWith(t, desktop.SubImage(crop), true, swayOpts{xdpwSlurp: true})
	u := sw.user(t)
	sw.captureFull(t, u, desktop, crop) // the wallpaper is drawn
	out := filepath.Join(u.home, "region.png")
	cmd := exec.Command(binary, "capture", "region", "--no-upload", "-o", out)
	cmd.Env = u.environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	area := image.Rect(100, 50, 500, 350)
	sw.dragWithSlurp(t, area.Min, area.Max.Sub(image.Pt(1, 1))) // slurp's rectangle holds the last pixel
	if err := cmd.Wait(); err != nil {
		t.Fatalf("capture region: %v\n%s", err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The desktop draws the pointer where the drag ended, in the
	// screenshot: the crop is every other pixel.
	img, err := imgdiff.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	got, want := imgdiff.RGBA(img), desktop.SubImage(area.Add(crop.Min)).(*image.RGBA)
	if got.Rect.Size() != area.Size() {
		t.Fatalf("the capture is %v, want %v", got.Rect.Size(), area.Size())
	}
	pointer := image.Rectangle{Min: area.Size().Sub(image.Pt(12, 12)), Max: area.Size()}
	for y := 0; y < area.Dy(); y++ {
		for x := 0; x < area.Dx(); x++ {
			at := image.Pt(x, y)
			if !at.In(pointer) && got.RGBAAt(got.Rect.Min.X+x, got.Rect.Min.Y+y) != want.RGBAAt(want.Rect.Min.X+x, want.Rect.Min.Y+y) {
				t.Fatalf("the capture differs from the screen at %v, away from the pointer", at)
			}
		}
	}
}

// TestWaylandWithoutAPortal: on sway with no portal running (common), grim
// takes the screenshot.
func TestWaylandWithoutAPortal(t *testing.T) {
	crop := image.Rect(0, 1080, 1280, 1800)
	desktop := desktopImage(t)
	d := startSway(t, desktop.SubImage(crop), false)
	u := d.user(t)
	equalsCrop(t, d.captureFull(t, u, desktop, crop), crop)
}

// TestTrayAppOnRealWayland runs the tray app on sway without Xwayland: the
// capture goes through the real portal, and the link onto Wayland's
// clipboard through wl-copy, where wl-paste finds it.
func TestTrayAppOnRealWayland(t *testing.T) {
	crop := image.Rect(2000, 1200, 2800, 1800)
	desktop := desktopImage(t)
	sw := startSway(t, desktop.SubImage(crop), true)
	u := sw.user(t)
	sw.captureFull(t, u, desktop, crop) // the wallpaper is drawn
	d := &desk{t: t, bus: sw.bus, notes: sw.bus.RecordNotifications(t), tray: sw.bus.WatchTray(t), srv: startServer(t, cxtest.Config{}), u: u}
	u.env["IMAGECX_ENDPOINT"] = d.srv.URL
	u.env["IMAGECX_API_KEY"] = d.srv.Key
	p := d.start()

	if r := u.run("", "capture", "full"); r.code != 0 || !strings.Contains(r.stderr, "the running imagecx took") {
		t.Fatalf("hand-off to the tray app:\n%s", r)
	}
	equalsCrop(t, d.waitStored(1, 30*time.Second)[0].Data, crop)
	note := d.notes.Wait(t, 0, 10*time.Second, titled("Uploaded — link copied"))
	if got, err := wlPaste(u, "--no-newline"); err != nil || string(got) != strings.TrimSpace(note.Body) {
		t.Fatalf("the clipboard holds %q (%v), the notification says %q", got, err, note.Body)
	}

	// An image copied on Wayland, uploaded from the tray menu.
	other := image.Rect(100, 100, 420, 340)
	var img bytes.Buffer
	png.Encode(&img, desktop.SubImage(other))
	copyImage := exec.Command("wl-copy", "--type", "image/png")
	copyImage.Env, copyImage.Stdin = u.environ(), &img
	if err := copyImage.Run(); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 5*time.Second, "the copied image to be offered", func() bool {
		types, err := wlPaste(u, "--list-types")
		return err == nil && strings.Contains(string(types), "image/png")
	})
	d.tray.Click(t, p.item, "Upload clipboard image")
	equalsCrop(t, d.waitStored(2, 30*time.Second)[1].Data, other)
}

// wlPaste runs wl-paste as u until it succeeds (wl-copy returns once its
// background copy is started, which offers the data a moment later) or
// 5 s have passed.
func wlPaste(u *user, args ...string) ([]byte, error) {
	var out []byte
	var err error
	poll.Wait(5*time.Second, func() bool {
		paste := exec.Command("wl-paste", args...)
		paste.Env = u.environ()
		var errOut bytes.Buffer
		paste.Stderr = &errOut
		if out, err = paste.Output(); err != nil {
			err = fmt.Errorf("%v: %s", err, strings.TrimSpace(errOut.String()))
		}
		return err == nil
	})
	return out, err
}

// user is a user of the sway session. imagecx finds grim and wl-clipboard
// on its PATH, and no slurp, whether or not this machine has one (a
// headless sway has no pointer to drive it).
func (d *swayDesktop) user(t *testing.T) *user {
	u := newUser(t)
	u.env["DBUS_SESSION_BUS_ADDRESS"] = d.bus.Addr
	// The compositor's socket by its full path: the user's runtime dir is
	// their own (imagecx will not put its socket in one another user
	// owns, as sway's is when the tests run as root).
	u.env["WAYLAND_DISPLAY"] = filepath.Join(d.runtime, d.display)
	u.env["XDG_CURRENT_DESKTOP"] = "sway"
	u.env["PATH"] = toolDir(t, "grim", "wl-copy", "wl-paste", "cat") // wl-copy runs cat
	return u
}

// captureFull runs `imagecx capture full --no-upload` until the screenshot
// shows the crop of desktop (sway starts swaybg, which draws the wallpaper
// a moment later) or 20 s have passed, and returns the last PNG.
func (d *swayDesktop) captureFull(t *testing.T, u *user, desktop image.Image, crop image.Rectangle) []byte {
	t.Helper()
	out := filepath.Join(u.home, "full.png")
	var data []byte
	poll.Wait(20*time.Second, func() bool {
		r := u.run("", "capture", "full", "--no-upload", "-o", out)
		if r.code != 0 {
			t.Fatalf("capture full:\n%s", r)
		}
		data, _ = os.ReadFile(out)
		return sameAsCrop(data, desktop, crop)
	})
	return data
}

// toolDir is a directory holding only the named tools (and sh), for a PATH.
func toolDir(t *testing.T, tools ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, tool := range append([]string{"sh"}, tools...) {
		path, err := exec.LookPath(tool)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(path, filepath.Join(dir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// sameAsCrop reports whether data is a PNG of exactly the r crop of
// desktop.
func sameAsCrop(data []byte, desktop image.Image, r image.Rectangle) bool {
	img, err := imgdiff.Decode(data)
	return err == nil && imgdiff.Count(img, desktop, r) == 0
}

// swayDesktop is a running headless sway with its portals.
type swayDesktop struct {
	display string      // WAYLAND_DISPLAY
	runtime string      // its XDG_RUNTIME_DIR
	size    image.Point // its output's
	bus     *dbustest.Bus
	access  *dbustest.Access // nil without portals
}

const (
	xdpFrontend = "/usr/libexec/xdg-desktop-portal"
	xdpWlr      = "/usr/libexec/xdg-desktop-portal-wlr"
	wlrPortal   = "/usr/share/xdg-desktop-portal/portals/wlr.portal"

	permissionStore = "/usr/libexec/xdg-permission-store"
)

// startSway starts sway (headless, software rendering, no Xwayland) with
// wallpaper as its only output's background at 1:1, and a private bus;
// with portals, also PipeWire and WirePlumber, xdg-desktop-portal-wlr, an
// Access backend that grants (on a real desktop xdg-desktop-portal-gtk's
// dialog) and xdg-desktop-portal. All stop when the test ends; their logs are printed
// if it fails.
func startSway(t *testing.T, wallpaper image.Image, portals bool) *swayDesktop {
	t.Helper()
	return startSwayWith(t, wallpaper, portals, swayOpts{})
}

// swayOpts are what some tests change in the sway session.
type swayOpts struct {
	xdpwConfig string // xdg-desktop-portal-wlr's configuration ("" for none)
	xdpwSlurp  bool   // it finds slurp, to choose areas
}

// startSwayWith is startSway with opts.
func startSwayWith(t *testing.T, wallpaper image.Image, portals bool, opts swayOpts) *swayDesktop {
	t.Helper()
	xvfb.Need(t, "sway", "swaybg", "pipewire", "wireplumber", "grim", "wl-copy", "wl-paste", xdpFrontend, xdpWlr, permissionStore)
	if _, err := os.Stat(wlrPortal); err != nil {
		xvfb.Need(t, wlrPortal) // says what is missing, as for the tools
	}
	logs := t.TempDir()
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, name := range []string{"sway", "pipewire", "permission-store", "wireplumber", "xdpw", "xdp"} {
			data, _ := os.ReadFile(filepath.Join(logs, name+".log"))
			t.Logf("%s log:\n%s", name, data)
		}
	})

	// sway refuses to run as root: as root, it runs as nobody, in a
	// runtime directory of its own that the other processes (root) can
	// still reach.
	runtime, err := os.MkdirTemp("", "imagecx-sway-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(runtime) })
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	bg := filepath.Join(runtime, "wallpaper.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, wallpaper); err != nil {
		t.Fatal(err)
	}
	b := wallpaper.Bounds()
	conf := filepath.Join(runtime, "config")
	write := func(path string, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(bg, buf.Bytes())
	write(conf, []byte("xwayland disable\noutput HEADLESS-1 resolution "+strconv.Itoa(b.Dx())+"x"+strconv.Itoa(b.Dy())+" bg "+bg+" center\n"))
	for _, p := range []string{runtime, bg, conf} {
		if cred != nil {
			if err := os.Chown(p, int(cred.Uid), int(cred.Gid)); err != nil {
				t.Fatal(err)
			}
		}
	}
	os.Chmod(runtime, 0o700)

	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + runtime, "XDG_RUNTIME_DIR=" + runtime, "XDG_CURRENT_DESKTOP=sway"}
	sway := exec.Command("sway", "-c", conf)
	sway.Env = slices.Concat(env, []string{"WLR_BACKENDS=headless", "WLR_LIBINPUT_NO_DEVICES=1", "WLR_RENDERER=pixman"})
	sway.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	startLogged(t, sway, filepath.Join(logs, "sway.log"))
	display := waitSocket(t, runtime, "wayland-[0-9]")

	bus := dbustest.Start(t)
	if !portals {
		return &swayDesktop{display: display, runtime: runtime, size: b.Size(), bus: bus}
	}
	access := bus.AccessBackend(t)
	env = slices.Concat(env, []string{"DBUS_SESSION_BUS_ADDRESS=" + bus.Addr, "WAYLAND_DISPLAY=" + display})
	pw := exec.Command("pipewire")
	pw.Env = env
	startLogged(t, pw, filepath.Join(logs, "pipewire.log"))
	waitSocket(t, runtime, "pipewire-0")
	// The portal keeps screen casts' restore tokens in the permission store.
	store := exec.Command(permissionStore)
	store.Env = env
	startLogged(t, store, filepath.Join(logs, "permission-store.log"))
	// The session manager links a stream's reader to the portal's node.
	wp := exec.Command("wireplumber")
	wp.Env = env
	startLogged(t, wp, filepath.Join(logs, "wireplumber.log"))

	// xdg-desktop-portal-wlr takes screenshots by running grim, and
	// chooses areas with slurp, through sh and its PATH: grim only,
	// unless the test wants areas.
	// It reaches sway through a proxy that makes each screen copy announce
	// a DMA-BUF format too: version 0.7 casts nothing without one, and a
	// compositor rendering in software (no DRM device here) has none.
	wlproxy.Start(t, runtime, "wayland-xdpw", filepath.Join(runtime, display))
	if opts.xdpwConfig != "" {
		dir := filepath.Join(runtime, ".config", "xdg-desktop-portal-wlr")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		write(filepath.Join(dir, "config"), []byte(opts.xdpwConfig))
	}
	xdpw := exec.Command(xdpWlr)
	tools := []string{"grim"}
	if opts.xdpwSlurp {
		tools = append(tools, "slurp")
	}
	xdpw.Env = slices.Concat(env, []string{"PATH=" + toolDir(t, tools...), "WAYLAND_DISPLAY=wayland-xdpw"}) // the last PATH counts
	startLogged(t, xdpw, filepath.Join(logs, "xdpw.log"))
	bus.WaitName(t, "org.freedesktop.impl.portal.desktop.wlr", 15*time.Second)

	// The front end finds its backends through .portal files: the real
	// wlr one, and one naming the Access backend.
	portalDir := t.TempDir()
	wlr, err := os.ReadFile(wlrPortal)
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(portalDir, "wlr.portal"), wlr)
	write(filepath.Join(portalDir, "imagecxtest.portal"), []byte("[portal]\nDBusName="+dbustest.AccessBackendName+
		"\nInterfaces=org.freedesktop.impl.portal.Access;\nUseIn=sway\n"))
	xdp := exec.Command(xdpFrontend, "--verbose")
	xdp.Env = slices.Concat(env, []string{"XDG_DESKTOP_PORTAL_DIR=" + portalDir})
	startLogged(t, xdp, filepath.Join(logs, "xdp.log"))
	bus.WaitName(t, "org.freedesktop.portal.Desktop", 15*time.Second)

	return &swayDesktop{display: display, runtime: runtime, size: b.Size(), bus: bus, access: access}
}

// startLogged starts cmd with its output in log and stops it when the test
// ends.
func startLogged(t *testing.T, cmd *exec.Cmd, log string) {
	t.Helper()
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
	})
}

// waitSocket waits for a socket matching pattern in dir and returns its
// name.
func waitSocket(t *testing.T, dir, pattern string) string {
	t.Helper()
	return poll.Value(t, 15*time.Second, "a "+pattern+" socket in "+dir, func() (string, bool) {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.Mode()&os.ModeSocket != 0 {
				return filepath.Base(m), true
			}
		}
		return "", false
	})
}

// TestRecordOnRealWayland records sway's screen through the real
// ScreenCast portal: xdg-desktop-portal-wlr casts the output into
// PipeWire, GStreamer reads it, ffmpeg encodes it. The screen, a region
// dragged with slurp, a screen that does not change, and the tray app's
// recording, uploaded.
func TestRecordOnRealWayland(t *testing.T) {
	xvfb.Need(t, "ffmpeg", "ffprobe", "gst-launch-1.0", "slurp")
	crop := image.Rect(1600, 0, 2880, 720)
	desktop := desktopImage(t)
	sw := startSway(t, desktop.SubImage(crop), true)
	u := sw.user(t)
	u.env["PATH"] = toolDir(t, "grim", "wl-copy", "wl-paste", "cat", "ffmpeg", "ffprobe", "gst-launch-1.0")
	sw.captureFull(t, u, desktop, crop) // the wallpaper is drawn

	out := filepath.Join(u.home, "screen.mp4")
	r := u.run("", "record", "full", "--seconds", "3", "--no-upload", "-o", out)
	if r.code != 0 || strings.TrimSpace(r.stdout) != out {
		t.Fatalf("record full:\n%s", r)
	}
	length, size, err := record.Probe(context.Background(), out)
	if err != nil || size != crop.Size() || length < 2500*time.Millisecond || length > 3500*time.Millisecond {
		t.Fatalf("the recording: %v long, %v, %v; want about 3 s of %v", length, size, err, crop.Size())
	}
	checkH264(t, out)
	looksLike(t, frameAt(t, out, 1.5), desktop.SubImage(crop))
	next := image.Rect(0, 1080, 1280, 1800) // another wallpaper
	// The portal kept the choice (a restore token): the next cast starts
	// without asking.
	if token, err := os.ReadFile(filepath.Join(u.home, ".local/state/imagecx/screencast-token")); err != nil || len(bytes.TrimSpace(token)) == 0 {
		t.Errorf("the screen cast's restore token: %q, %v", token, err)
	}

	// wlroots sends a new cast of a screen it has already sent nothing
	// until the screen changes: a recording of it has no frame, and says
	// why.
	r = u.run("", "record", "full", "--seconds", "2", "--no-upload", "-o", filepath.Join(u.home, "still.mp4"))
	if r.code != 1 || !strings.Contains(r.stderr, "sent no picture of the screen while recording") {
		t.Fatalf("record an unchanged screen again:\n%s", r)
	}

	// A GIF of the screen, of its size (under 1280 wide), showing it.
	gifOut := filepath.Join(u.home, "screen.gif")
	cmd := exec.Command(binary, "record", "full", "--gif", "--seconds", "30", "--no-upload", "-o", gifOut)
	cmd.Env = u.environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sw.changeScreen(t, "HEADLESS-1", desktop, next, crop, next)
	stopRecording(t, cmd, &stderr)
	data, err := os.ReadFile(gifOut)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil || g.Config.Width != crop.Dx() || g.Config.Height != crop.Dy() {
		t.Fatalf("the GIF: %v, %d×%d", err, g.Config.Width, g.Config.Height)
	}
	last := image.NewRGBA(g.Image[0].Bounds())
	for _, f := range g.Image { // each frame draws what changed
		draw.Draw(last, f.Bounds(), f, f.Bounds().Min, draw.Over)
	}
	looksLikeWithin(t, last, desktop.SubImage(next), 8, 0.03)

	// A region, dragged with slurp (a virtual pointer here): exactly the
	// dragged rectangle of the monitor, cut from the cast's frames.
	u.env["PATH"] = toolDir(t, "grim", "wl-copy", "wl-paste", "cat", "ffmpeg", "ffprobe", "gst-launch-1.0", "slurp")
	out = filepath.Join(u.home, "region.mp4")
	cmd = exec.Command(binary, "record", "region", "--seconds", "30", "--no-upload", "-o", out)
	cmd.Env = u.environ()
	stderr.Reset()
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	drag := image.Rect(200, 100, 600, 400)
	sw.dragWithSlurp(t, drag.Min, drag.Max.Sub(image.Pt(1, 1))) // slurp's rectangle holds the last pixel
	// The earlier casts' frames still wait for a change, and each change
	// goes to one of them first: the screen changes a few times.
	sw.changeScreen(t, "HEADLESS-1", desktop, crop, next, crop)
	stopRecording(t, cmd, &stderr)
	if _, size, err := record.Probe(context.Background(), out); err != nil || size != drag.Size() {
		t.Fatalf("the region's recording: %v, %v; want %v", size, err, drag.Size())
	}
	looksLike(t, lastFrame(t, out), desktop.SubImage(drag.Add(crop.Min)))

	// In the tray app, from its menu, while the screen changes: the video
	// ends on the new screen, is uploaded, and its link is on Wayland's
	// clipboard.
	d := &desk{t: t, bus: sw.bus, notes: sw.bus.RecordNotifications(t), tray: sw.bus.WatchTray(t), srv: startServer(t, cxtest.Config{}), u: u}
	u.env["IMAGECX_ENDPOINT"] = d.srv.URL
	u.env["IMAGECX_API_KEY"] = d.srv.Key
	p := d.start()
	d.tray.Click(t, p.item, "Record screen…")
	poll.Until(t, 20*time.Second, "Stop recording in the menu", func() bool {
		_, ok := dbustest.Find(d.tray.Menu(t, p.item), "Stop recording")
		return ok
	})
	sw.changeScreen(t, "HEADLESS-1", desktop, next, crop, next)
	time.Sleep(2 * time.Second)
	d.tray.Click(t, p.item, "Stop recording")
	stored := d.waitStored(1, 60*time.Second)
	if stored[0].ContentType != "video/mp4" {
		t.Fatalf("uploaded %s", stored[0].ContentType)
	}
	note := d.notes.Wait(t, 0, 10*time.Second, titled("Uploaded — link copied"))
	if got, err := wlPaste(u, "--no-newline"); err != nil || string(got) != strings.TrimSpace(note.Body) || !strings.HasSuffix(string(got), ".mp4") {
		t.Fatalf("the clipboard holds %q (%v), the notification says %q", got, err, note.Body)
	}
	up := filepath.Join(u.home, "up.mp4")
	os.WriteFile(up, stored[0].Data, 0o600)
	length, size, err = record.Probe(context.Background(), up)
	if err != nil || size != crop.Size() || length < time.Second {
		t.Fatalf("the uploaded video: %v long, %v, %v", length, size, err)
	}
	looksLike(t, frameAt(t, up, length.Seconds()-0.5), desktop.SubImage(next))

	// imagecx killed while recording: GStreamer does not read the screen
	// on for nobody.
	cmd = exec.Command(binary, "record", "full", "--seconds", "50", "--no-upload", "-o", filepath.Join(u.home, "killed.mp4"))
	cmd.Env = u.environ()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reader := poll.Value(t, 20*time.Second, "GStreamer to run", func() (string, bool) {
		out, err := exec.Command("pgrep", "-P", strconv.Itoa(cmd.Process.Pid), "gst-launch").Output()
		return strings.TrimSpace(string(out)), err == nil
	})
	cmd.Process.Kill()
	cmd.Wait()
	poll.Until(t, 10*time.Second, "GStreamer to end with imagecx", func() bool {
		data, err := os.ReadFile("/proc/" + reader + "/stat")
		return err != nil || strings.Contains(string(data), ") Z ") // gone, or a zombie of init's
	})
}

// A region on a second monitor, scaled 2× (1280×720 pixels, 640×360 in
// the layout, right of the first): dragged in the layout with slurp, it
// is cut from the monitor's own pixels, twice its size in the layout.
// xdg-desktop-portal-wlr 0.7.0 reports the cast at (0, 0) in pixels; the
// compositor's outputs place it.
func TestRecordRegionOnAScaledMonitor(t *testing.T) {
	xvfb.Need(t, "ffmpeg", "ffprobe", "gst-launch-1.0", "slurp", "swaymsg")
	first := image.Rect(1600, 0, 2880, 720)
	second := image.Rect(0, 1080, 1280, 1800)
	desktop := desktopImage(t)
	sw := startSwayWith(t, desktop.SubImage(first), true, swayOpts{xdpwConfig: "[screencast]\nchooser_type=none\noutput_name=HEADLESS-2\n"})
	sw.swaymsg(t, "create_output")
	sw.swaymsg(t, "output", "HEADLESS-1", "position", "0", "0")
	sw.swaymsg(t, "output", "HEADLESS-2", "mode", "1280x720", "position", "1280", "0", "scale", "2")
	sw.size = image.Pt(1280+640, 720)
	u := sw.user(t)
	u.env["PATH"] = toolDir(t, "grim", "wl-copy", "wl-paste", "cat", "ffmpeg", "ffprobe", "gst-launch-1.0", "slurp")

	out := filepath.Join(u.home, "region.mp4")
	cmd := exec.Command(binary, "record", "region", "--seconds", "30", "--no-upload", "-o", out)
	cmd.Env = u.environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// slurp's rectangle holds the pixel the drag ends on: 200×200 from
	// (100, 50) on the second monitor.
	sw.dragWithSlurp(t, image.Pt(1380, 50), image.Pt(1579, 249))
	sw.changeScreen(t, "HEADLESS-2", desktop, first, second)
	stopRecording(t, cmd, &stderr)
	if _, size, err := record.Probe(context.Background(), out); err != nil || size != image.Pt(400, 400) {
		t.Fatalf("the region's recording: %v, %v; want 400×400", size, err)
	}
	looksLike(t, lastFrame(t, out), desktop.SubImage(image.Rect(200, 100, 600, 500).Add(second.Min)))
}

// changeScreen shows crops of desktop as the wallpaper one after the
// other, ending on the last: wlroots sends a screen cast a frame when the
// screen changes, and each change first to a cast that waits for one
// (those of earlier recordings, until the portal ends them).
func (d *swayDesktop) changeScreen(t *testing.T, output string, desktop *image.RGBA, crops ...image.Rectangle) {
	t.Helper()
	for _, r := range crops {
		d.setWallpaper(t, output, desktop.SubImage(r))
		// sway starts a new swaybg, which draws it a moment later.
		poll.Until(t, 20*time.Second, "the wallpaper "+r.String()+" on "+output, func() bool {
			grim := exec.Command("grim", "-o", output, "-")
			grim.Env = []string{"XDG_RUNTIME_DIR=" + d.runtime, "WAYLAND_DISPLAY=" + filepath.Join(d.runtime, d.display)}
			data, err := grim.Output()
			return err == nil && sameAsCrop(data, desktop, r)
		})
		time.Sleep(300 * time.Millisecond)
	}
}

// stopRecording stops a recording as Ctrl+C does, a moment after the
// screen last changed, and waits for the video.
func stopRecording(t *testing.T, cmd *exec.Cmd, stderr *bytes.Buffer) {
	t.Helper()
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd.Args[1:], err, stderr.String())
	}
}

// lastFrame is the video's frame half a second before its end.
func lastFrame(t *testing.T, file string) *image.RGBA {
	t.Helper()
	length, _, err := record.Probe(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	return frameAt(t, file, length.Seconds()-0.5)
}

// dragWithSlurp waits for slurp to run and drags from from to to with a
// virtual pointer.
func (d *swayDesktop) dragWithSlurp(t *testing.T, from, to image.Point) {
	t.Helper()
	poll.Until(t, 20*time.Second, "slurp to run", func() bool {
		return exec.Command("pgrep", "-x", "slurp").Run() == nil
	})
	time.Sleep(500 * time.Millisecond) // its surface shown
	p, err := wlpointer.Open(filepath.Join(d.runtime, d.display), d.size)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Drag(from, to); err != nil {
		t.Fatal(err)
	}
}

// setWallpaper shows img as output's background, centred.
func (d *swayDesktop) setWallpaper(t *testing.T, output string, img image.Image) {
	t.Helper()
	f, err := os.CreateTemp(d.runtime, "wallpaper-*.png")
	if err != nil {
		t.Fatal(err)
	}
	png.Encode(f, img)
	f.Close()
	if os.Geteuid() == 0 {
		os.Chown(f.Name(), 65534, 65534) // sway's user
	}
	d.swaymsg(t, "output", output, "bg", f.Name(), "center")
}

// swaymsg runs a sway command.
func (d *swayDesktop) swaymsg(t *testing.T, command ...string) {
	t.Helper()
	socks, _ := filepath.Glob(filepath.Join(d.runtime, "sway-ipc.*.sock"))
	if len(socks) != 1 {
		t.Fatalf("sway's IPC sockets: %v", socks)
	}
	if out, err := exec.Command("swaymsg", append([]string{"-s", socks[0]}, command...)...).CombinedOutput(); err != nil {
		t.Fatalf("swaymsg %v: %v\n%s", command, err, out)
	}
}
