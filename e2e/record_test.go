package e2e

import (
	"bytes"
	"context"
	"image"
	"image/gif"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"imagecx/internal/shrink"
	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
	"imagecx/record"
)

// `imagecx record full --seconds 3 --no-upload -o FILE`: an H.264 MP4 of
// the screen's size, about 3 s long, whose frames are the painted
// screen; a region recording is the dragged rectangle; a recording that
// is uploaded reaches the server as video/mp4 and its link is printed.
func TestRecordFromTheCommandLine(t *testing.T) {
	xvfb.Need(t, "ffmpeg", "ffprobe")
	d := newDesk(t, deskOpts{noTray: true})
	want := desktopImage(t)
	ctx := context.Background()

	out := filepath.Join(d.u.home, "screen.mp4")
	r := d.u.run("", "record", "full", "--seconds", "3", "--no-upload", "-o", out)
	if r.code != 0 || strings.TrimSpace(r.stdout) != out {
		t.Fatalf("record full:\n%s", r)
	}
	length, size, err := record.Probe(ctx, out)
	if err != nil || size != want.Rect.Size() || length < 2500*time.Millisecond || length > 3500*time.Millisecond {
		t.Fatalf("the recording: %v long, %v, %v; want about 3 s of %v", length, size, err, want.Rect.Size())
	}
	checkH264(t, out)
	looksLike(t, frameAt(t, out, 1.5), want)

	// A region: the dragged rectangle, outlined on the screen but not in
	// the video.
	out = filepath.Join(d.u.home, "region.mp4")
	cmd := exec.Command(binary, "record", "region", "--seconds", "2", "--no-upload", "-o", out)
	cmd.Env = d.u.environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d.dragOnOverlay(image.Pt(1000, 600), image.Pt(2000, 1200))
	d.tool("xdotool", "mousemove", "3000", "2000") // the pointer out of the region
	if err := cmd.Wait(); err != nil {
		t.Fatalf("record region: %v\n%s", err, stderr.String())
	}
	if _, size, err := record.Probe(ctx, out); err != nil || size != image.Pt(1000, 600) {
		t.Fatalf("the region's recording: %v, %v; want 1000×600", size, err)
	}
	looksLike(t, frameAt(t, out, 1), want.SubImage(image.Rect(1000, 600, 2000, 1200)))

	// A GIF: made by imagecx itself, under 5 MB, its frames the screen
	// made smaller (1280 wide) in 255 colours.
	out = filepath.Join(d.u.home, "screen.gif")
	r = d.u.run("", "record", "full", "--gif", "--seconds", "2", "--no-upload", "-o", out)
	if r.code != 0 {
		t.Fatalf("record --gif:\n%s", r)
	}
	data, err := os.ReadFile(out)
	if err != nil || len(data) > 5<<20 {
		t.Fatalf("the GIF: %d bytes, %v", len(data), err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil || g.Config.Width != 1280 || g.Config.Height != 720 {
		t.Fatalf("the GIF: %v, %d frames", err, len(g.Image))
	}
	// The screen did not change: one frame, shown for the two seconds.
	shows := 0
	for _, d := range g.Delay {
		shows += d
	}
	if shows < 150 || shows > 260 {
		t.Errorf("the GIF shows for %d hundredths of a second (%d frames), want about 200", shows, len(g.Image))
	}
	looksLikeWithin(t, imgdiff.RGBA(g.Image[0]), shrink.To(want, 1280, 720), 8, 0.03)

	// Uploaded: video/mp4 on the server, the video's own link printed.
	r = d.u.run("", "record", "full", "--seconds", "2")
	stored := d.waitStored(1, 30*time.Second)
	if r.code != 0 || !strings.HasSuffix(strings.TrimSpace(r.stdout), ".mp4") || stored[0].ContentType != "video/mp4" {
		t.Fatalf("record and upload (%s):\n%s", stored[0].ContentType, r)
	}
	if len(stored[0].Data) > 5<<20 {
		t.Errorf("%d bytes sent, over 5 MB", len(stored[0].Data))
	}
	// The history keeps what it is and how long (the recorder stops on
	// the clock, so a little under or over the two seconds).
	h := historyJSON(t, d.u)
	if len(h) == 0 || !strings.HasSuffix(h[0].File, ".mp4") || h[0].Width != 3840 || h[0].Height != 2160 ||
		h[0].Mime != "video/mp4" || h[0].Seconds < 1.5 || h[0].Seconds > 2.5 {
		t.Errorf("the history: %+v", h)
	}
}

// checkH264 reads the file's stream: H.264, 4:2:0, in an MP4.
func checkH264(t *testing.T, file string) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
		"stream=codec_name,pix_fmt:format=format_name", "-of", "default=noprint_wrappers=1", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"codec_name=h264", "pix_fmt=yuv420p", "format_name=mov,mp4"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("%s: %s lacks %s", filepath.Base(file), out, w)
		}
	}
}

// frameAt is the video's frame at secs.
func frameAt(t *testing.T, file string, secs float64) *image.RGBA {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-ss", strconv.FormatFloat(secs, 'f', 2, 64), "-i", file,
		"-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "-").Output()
	if err != nil {
		t.Fatalf("a frame of %s: %v", file, err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return imgdiff.RGBA(img)
}

// looksLike compares a video's frame with what the screen showed: the
// same size, and close pixel for pixel (H.264 at a high quality; colours
// at half resolution, and the pointer drawn).
func looksLike(t *testing.T, got *image.RGBA, want image.Image) {
	t.Helper()
	looksLikeWithin(t, got, want, 4, 0.01)
}

// looksLikeWithin is looksLike with the mean difference a channel and
// the share of pixels far off allowed.
func looksLikeWithin(t *testing.T, got *image.RGBA, want image.Image, meanMax, farMax float64) {
	t.Helper()
	w := imgdiff.RGBA(want)
	if got.Rect.Size() != w.Rect.Size() {
		t.Fatalf("a frame of %v, the screen %v", got.Rect.Size(), w.Rect.Size())
	}
	var sum, far, n int
	for y := 0; y < w.Rect.Dy(); y++ {
		for x := 0; x < w.Rect.Dx(); x++ {
			a := got.RGBAAt(got.Rect.Min.X+x, got.Rect.Min.Y+y)
			b := w.RGBAAt(w.Rect.Min.X+x, w.Rect.Min.Y+y)
			d := absDiff(a.R, b.R) + absDiff(a.G, b.G) + absDiff(a.B, b.B)
			sum += d
			if d > 120 {
				far++
			}
			n++
		}
	}
	mean := float64(sum) / float64(3*n)
	t.Logf("a frame against the screen: mean difference %.2f a channel, %.3f %% of pixels far off", mean, 100*float64(far)/float64(n))
	if mean > meanMax || float64(far)/float64(n) > farMax {
		dump := filepath.Join(os.TempDir(), "imagecx-record-frame.png")
		f, _ := os.Create(dump)
		png.Encode(f, got)
		f.Close()
		t.Errorf("the frame is not the screen (mean difference %.2f, %d pixels far off; the frame is in %s)", mean, far, dump)
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// In the tray app, Ctrl+Shift+5 starts recording the screen and again
// stops it: the menu offers Stop recording meanwhile, and the video is
// uploaded (video/mp4 on the server) with its link on the clipboard.
func TestRecordWithTheHotkey(t *testing.T) {
	xvfb.Need(t, "ffmpeg", "ffprobe")
	d := newDesk(t, deskOpts{})
	p := d.start()
	d.key("ctrl+shift+5")
	d.notes.Wait(t, 0, 30*time.Second, titled("Recording the screen"))
	poll.Until(t, 10*time.Second, "Stop recording in the menu", func() bool {
		_, ok := dbustest.Find(d.tray.Menu(t, p.item), "Stop recording")
		return ok
	})
	time.Sleep(2 * time.Second)
	d.key("ctrl+shift+5")
	stored := d.waitStored(1, 60*time.Second)
	if stored[0].ContentType != "video/mp4" || len(stored[0].Data) > 5<<20 {
		t.Fatalf("uploaded %s, %d bytes", stored[0].ContentType, len(stored[0].Data))
	}
	note := d.notes.Wait(t, 0, 10*time.Second, titled("Uploaded — link copied"))
	if got := string(d.clipboard("UTF8_STRING")); got != strings.TrimSpace(note.Body) || !strings.HasSuffix(got, ".mp4") {
		t.Errorf("clipboard %q, note %q", got, note.Body)
	}
	file := filepath.Join(t.TempDir(), "up.mp4")
	os.WriteFile(file, stored[0].Data, 0o600)
	if length, size, err := record.Probe(context.Background(), file); err != nil || size != desktopImage(t).Rect.Size() || length < time.Second {
		t.Errorf("the uploaded video: %v long, %v, %v", length, size, err)
	}
	if _, ok := dbustest.Find(d.tray.Menu(t, p.item), "Stop recording"); ok {
		t.Error("Stop recording is still in the menu")
	}
}

// A minute of a changing screen (a moving test pattern over a quarter of
// the 4K screen) fits image.cx's 5 MB, and says how it was made to.
func TestAMinuteOfAChangingScreenFits(t *testing.T) {
	xvfb.Need(t, "ffmpeg", "ffprobe", "ffplay")
	d := newDesk(t, deskOpts{noTray: true})
	play := exec.Command("ffplay", "-hide_banner", "-loglevel", "error", "-an", "-noborder", "-left", "0", "-top", "0",
		"-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30")
	play.Env = d.u.environ()
	if err := play.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { play.Process.Kill(); play.Wait() })
	out := filepath.Join(d.u.home, "minute.mp4")
	r := d.u.runFor(5*time.Minute, "", "record", "full", "--seconds", "60", "-o", out)
	if r.code != 0 {
		t.Fatalf("record:\n%s", r)
	}
	st, err := os.Stat(out)
	if err != nil || st.Size() > 5<<20 {
		t.Fatalf("the minute: %v, %v", st, err)
	}
	length, size, err := record.Probe(context.Background(), out)
	if err != nil || length < 55*time.Second || length > 61*time.Second {
		t.Errorf("the minute: %v long, %v", length, err)
	}
	if !strings.Contains(r.stderr, "to fit 5.0 MB") {
		t.Errorf("nothing said of the fitting:\n%s", r)
	}
	checkH264(t, out)
	t.Logf("a minute of 4K with a moving quarter: %d bytes at %v; %s", st.Size(), size, strings.TrimSpace(r.stderr))
}
