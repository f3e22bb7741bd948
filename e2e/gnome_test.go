package e2e

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/gnome"
	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
	"imagecx/record"
	"imagecx/uploader/cxtest"
)

// topBar is the height of GNOME's top bar on an unscaled monitor: the
// screen below it is the wallpaper.
const topBar = 32

// gnomeRun starts imagecx with args in u's session (GNOME's, KDE's) and
// returns a function that waits for its end; it is ended with the test.
func gnomeRun(t *testing.T, u *user, args ...string) func() result {
	t.Helper()
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = u.environ()
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("imagecx %v's output:\n%s", args, stderr.String())
		}
	})
	return func() result {
		defer cancel()
		err := cmd.Wait()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	}
}

// wallpaperEquals checks an uploaded capture of r against the wallpaper.
func wallpaperEquals(t *testing.T, data []byte, paper *image.RGBA, r image.Rectangle) {
	t.Helper()
	img, err := imgdiff.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := imgdiff.Equal(img, paper.SubImage(r)); !ok {
		t.Errorf("the capture of %v is not the wallpaper there: %s", r, why)
	}
}

// imagecx on a real GNOME Shell 43 on Wayland, as a new user meets it:
// the shell's "Allow Applications to Take Screenshots?" answered Deny,
// imagecx saying so and allowing again; a capture bound to a keyboard
// shortcut, with no tray app and no terminal, putting the link on the
// clipboard with a notification; a region chosen on imagecx's own
// overlay in one step; and the tray app saying nothing false about an
// icon and hotkeys GNOME does not give it.
// gnomeDesk is a real GNOME Shell of w×h whose wallpaper is the middle
// of the reference desktop (its screen kept when the test fails), and a
// person in its session; the wallpaper is returned too.
func gnomeDesk(t *testing.T, w, h int) (*gnome.Session, *user, *image.RGBA) {
	t.Helper()
	paper := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(paper, paper.Rect, desktopImage(t), image.Pt(960, 540), draw.Src)
	g := gnome.Start(t, w, h, paper)
	t.Cleanup(func() {
		if t.Failed() {
			g.SaveScreen(t, filepath.Join(t.TempDir(), "gnome.png"))
		}
	})
	u := newUser(t)
	for k, v := range g.Env {
		u.env[k] = v
	}
	return g, u, paper
}

func TestGNOMEOnWayland(t *testing.T) {
	if testing.Short() {
		t.Skip("a real GNOME Shell takes a while")
	}
	g, u, paper := gnomeDesk(t, 1920, 1080)
	srv := startServer(t, cxtest.Config{})
	u.env["IMAGECX_ENDPOINT"], u.env["IMAGECX_API_KEY"] = srv.URL, srv.Key

	// The first capture: GNOME asks, with Deny focused; Enter denies.
	wait := gnomeRun(t, u, "capture", "full")
	// Wait for the dialog: the middle of the screen stops being wallpaper.
	middle := image.Rect(760, 440, 1160, 640)
	poll.Until(t, 60*time.Second, "GNOME's question", func() bool {
		return imgdiff.Count(g.Screenshot(t).SubImage(middle), paper, middle) > 10000
	})
	time.Sleep(500 * time.Millisecond) // its keyboard focus
	g.Keys(t, 0xff0d)
	r := wait()
	if r.code != 1 || !strings.Contains(r.stderr, "GNOME asks once") || !strings.Contains(r.stderr, "imagecx allow-screenshots") {
		t.Fatalf("denied:\n%s", r)
	}
	if n := g.Notes.Wait(t, 0, 10*time.Second, titled("Capture failed")); !strings.Contains(n.Body, "Deny") {
		t.Errorf("note %+v", n)
	}
	start := time.Now()
	if r := u.run("", "capture", "full", "--no-upload"); r.code != 1 || !strings.Contains(r.stderr, "Deny") || strings.Contains(r.stderr, "GNOME asks once") {
		t.Fatalf("denied again:\n%s", r)
	}
	t.Logf("a kept Deny fails in %v", time.Since(start).Round(time.Millisecond))
	if r := u.run("", "allow-screenshots"); r.code != 0 {
		t.Fatalf("allow-screenshots:\n%s", r)
	}

	// A desktop shortcut with no tray app: the link on the clipboard, and
	// a notification.
	from := len(g.Notes.All())
	r = u.run("", "capture", "full")
	link := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(link, srv.URL) {
		t.Fatalf("capture full:\n%s", r)
	}
	// Below the top bar, and below the banner of the failure before it
	// (GNOME keeps a critical notification until it is dismissed).
	below := image.Rect(0, topBar+200, 1920, 1080)
	full, err := imgdiff.Decode(srv.Stored()[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if n := imgdiff.Count(imgdiff.RGBA(full).SubImage(below), paper, below); n != 0 || full.Bounds().Size() != paper.Rect.Size() {
		t.Errorf("full screen %v: %d pixels of %v differ from the wallpaper", full.Bounds().Size(), n, below)
	}
	if n := g.Notes.Wait(t, from, 10*time.Second, titled("Uploaded — link copied")); n.Body != link {
		t.Errorf("note %+v", n)
	}
	if got := g.Clipboard(t); got != link {
		t.Errorf("clipboard %q, want %q", got, link)
	}

	// A region: one drag on imagecx's own overlay, Enter.
	wait = gnomeRun(t, u, "capture", "region")
	waitOverlay(t, u)
	area := image.Rect(200, 300, 1000, 800) // below the banner
	g.Drag(t, area.Min, area.Max)
	g.Keys(t, 0xff0d)
	if r := wait(); r.code != 0 {
		t.Fatalf("capture region:\n%s", r)
	}
	stored := srv.Stored()
	wallpaperEquals(t, stored[len(stored)-1].Data, paper, area)

	// A pin, through Xwayland: the image where --at says, pixel for pixel
	// inside its one-pixel frame in GNOME's own screenshot, and moved by a
	// drag.
	pinFile := writePNG(t, u.home, "pin.png", 320, 200, true)
	pinData, _ := os.ReadFile(pinFile)
	pinImg, err := imgdiff.Decode(pinData)
	if err != nil {
		t.Fatal(err)
	}
	pinCtx, endPin := context.WithCancel(context.Background())
	pin := exec.CommandContext(pinCtx, binary, "pin", "--at", "700,500", pinFile)
	pin.Env = u.environ()
	if err := pin.Start(); err != nil {
		t.Fatal(err)
	}
	shown := func(at image.Point) func() bool {
		return func() bool {
			spot := image.Rectangle{at, at.Add(pinImg.Bounds().Size())}.Inset(1)
			return imgdiff.Count(g.Screenshot(t).SubImage(spot), pinImg, pinImg.Bounds().Inset(1)) == 0
		}
	}
	poll.Until(t, 30*time.Second, "the pin on GNOME's screen", shown(image.Pt(700, 500)))
	g.Drag(t, image.Pt(800, 600), image.Pt(900, 650))
	poll.Until(t, 10*time.Second, "the pin moved by the drag", shown(image.Pt(800, 550)))
	endPin()
	pin.Wait()

	// `imagecx shortcuts add` makes GNOME's own custom shortcuts; the
	// settings daemon runs the command when the key is pressed.
	if r := u.run("", "shortcuts", "add"); r.code != 0 || !strings.Contains(r.stdout, "Ctrl+Shift+1") {
		t.Fatalf("shortcuts add:\n%s", r)
	}
	g.Start(t, []string{"IMAGECX_ENDPOINT=" + srv.URL, "IMAGECX_API_KEY=" + srv.Key}, "/usr/libexec/gsd-media-keys")
	from = len(g.Notes.All())
	// It asks the shell for its keys when it starts: until then a press
	// does nothing, so press again every 10 s until one is taken.
	requests := len(srv.Requests())
	for try := 0; ; try++ {
		g.Chord(t, '1', 0xffe3, 0xffe1) // Ctrl+Shift+1
		if poll.Wait(10*time.Second, func() bool { return len(srv.Requests()) > requests }) {
			break
		}
		if try == 5 {
			t.Fatal("Ctrl+Shift+1 never ran the shortcut's command")
		}
	}
	poll.Until(t, 30*time.Second, "the shortcut's upload", func() bool { return len(srv.Stored()) == len(stored)+1 })
	n := g.Notes.Wait(t, from, 10*time.Second, titled("Uploaded — link copied"))
	if got := g.Clipboard(t); got != n.Body {
		t.Errorf("clipboard %q after the shortcut, note %q", got, n.Body)
	}
	stored = srv.Stored()

	// The tray app: GNOME shows no tray icons without an extension, and
	// GNOME 43 has no GlobalShortcuts portal.
	from = len(g.Notes.All())
	gnomeRun(t, u) // the tray app, until the test ends
	n = g.Notes.Wait(t, from, 20*time.Second, titled("imagecx is running without a tray icon"))
	for _, false_ := range []string{"hotkeys still work", "tray menu works"} {
		if strings.Contains(n.Body, false_) {
			t.Errorf("on GNOME the note says %q: %s", false_, n.Body)
		}
	}
	if !strings.Contains(n.Body, "imagecx capture region") {
		t.Errorf("the note does not say what to bind: %s", n.Body)
	}
	for _, n := range g.Notes.All()[from:] {
		if strings.HasPrefix(n.Title, "Hotkeys on Wayland") {
			t.Errorf("a second note about hotkeys: %+v", n)
		}
	}
	if r := u.run("", "capture", "full"); r.code != 0 || !strings.Contains(r.stderr, "running imagecx") {
		t.Errorf("hand-off to the tray app:\n%s", r)
	}
	poll.Until(t, 20*time.Second, "the tray app's upload", func() bool { return len(srv.Stored()) == len(stored)+1 })
}

// waitOverlay waits for imagecx's overlay to show on Xwayland, and for
// its keyboard focus.
func waitOverlay(t *testing.T, u *user) {
	t.Helper()
	poll.Until(t, 20*time.Second, "the overlay", func() bool {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "imagecx region")
		cmd.Env = u.environ()
		out, _ := cmd.Output()
		return len(bytes.TrimSpace(out)) > 0
	})
	time.Sleep(500 * time.Millisecond)
}

// TestRecordOnGNOME records GNOME's screen through its real ScreenCast
// portal (mutter, PipeWire, GStreamer): GNOME asks which monitor to
// share, once (Remember this selection: the next recording starts at
// once); the video is the screen; a region is dragged on imagecx's own
// overlay and cut from the cast.
func TestRecordOnGNOME(t *testing.T) {
	if testing.Short() {
		t.Skip("a real GNOME Shell takes a while")
	}
	xvfb.Need(t, "ffmpeg", "ffprobe", "gst-launch-1.0")
	g, u, paper := gnomeDesk(t, 1280, 720)
	g.StartPipeWire(t)

	out := filepath.Join(u.home, "screen.mp4")
	wait := gnomeRun(t, u, "record", "full", "--seconds", "3", "--no-upload", "-o", out)
	// GNOME's Screen Share dialog, in the middle: the monitor chosen with
	// the keyboard (Tab, Space), then Share, at its top right.
	middle := image.Rect(440, 260, 840, 460)
	poll.Until(t, 60*time.Second, "GNOME's Screen Share dialog", func() bool {
		return imgdiff.Count(g.Screenshot(t).SubImage(middle), paper, middle) > 10000
	})
	time.Sleep(500 * time.Millisecond) // its keyboard focus
	g.Keys(t, 0xff09, 0x20)
	share := image.Pt(640+212, 360-111)
	g.Drag(t, share, share)
	r := wait()
	if r.code != 0 || strings.TrimSpace(r.stdout) != out {
		t.Fatalf("record full:\n%s", r)
	}
	length, size, err := record.Probe(context.Background(), out)
	if err != nil || size != image.Pt(1280, 720) || length < 2500*time.Millisecond || length > 3500*time.Millisecond {
		t.Fatalf("the recording: %v long, %v, %v; want about 3 s of 1280×720", length, size, err)
	}
	// The wallpaper's text, left of the notifications and the pointer.
	text := image.Rect(0, 440, 900, 720)
	looksLikeWithin(t, frameAt(t, out, 2.5).SubImage(text).(*image.RGBA), paper.SubImage(text), 4, 0.01)

	// Asked once: the next recording starts without the dialog.
	r = u.run("", "record", "full", "--seconds", "2", "--no-upload", "-o", out)
	if r.code != 0 {
		t.Fatalf("record full again:\n%s", r)
	}
	if _, size, err := record.Probe(context.Background(), out); err != nil || size != image.Pt(1280, 720) {
		t.Fatalf("the second recording: %v, %v", size, err)
	}

	// A region: one drag on imagecx's own overlay (on GNOME's screenshot),
	// Enter; the cast cut to it.
	if r := u.run("", "allow-screenshots"); r.code != 0 {
		t.Fatalf("allow-screenshots:\n%s", r)
	}
	regionOut := filepath.Join(u.home, "region.mp4")
	wait = gnomeRun(t, u, "record", "region", "--seconds", "3", "--no-upload", "-o", regionOut)
	waitOverlay(t, u)
	area := image.Rect(100, 440, 700, 700) // the wallpaper's text
	g.Drag(t, area.Min, area.Max)
	g.Keys(t, 0xff0d)
	if r := wait(); r.code != 0 {
		t.Fatalf("record region:\n%s", r)
	}
	if _, size, err := record.Probe(context.Background(), regionOut); err != nil || size != area.Size() {
		t.Fatalf("the region's recording: %v, %v; want %v", size, err, area.Size())
	}
	looksLikeWithin(t, frameAt(t, regionOut, 2), paper.SubImage(area), 4, 0.01)
}
