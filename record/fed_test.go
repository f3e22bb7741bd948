package record

import (
	"context"
	"errors"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chosenEncoder is ffmpeg and ffprobe in a folder of their own, off the
// PATH (which is emptied), as a download the person points to is.
func chosenEncoder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"ffmpeg", "ffprobe"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.Symlink(p, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", t.TempDir())
	return filepath.Join(dir, "ffmpeg")
}

// paint is a grabber of a screen that is red until switch, blue after
// it; each read takes slow.
func paint(switchAt time.Time, slow time.Duration, reads *int) Grabber {
	return func(ctx context.Context, r image.Rectangle) (*image.RGBA, error) {
		*reads++
		time.Sleep(slow)
		c := color.RGBA{200, 30, 30, 255}
		if time.Now().After(switchAt) {
			c = color.RGBA{30, 30, 200, 255}
		}
		img := image.NewRGBA(r)
		for i := 0; i < len(img.Pix); i += 4 {
			copy(img.Pix[i:], []byte{c.R, c.G, c.B, c.A})
		}
		return img, nil
	}
}

// pixelAt is the colour of the video's frame at t (at its middle).
func pixelAt(t *testing.T, enc Encoder, file string, at time.Duration) color.RGBA {
	t.Helper()
	out, err := exec.Command(enc.FFmpeg, "-hide_banner", "-loglevel", "error", "-ss", strconv.FormatFloat(at.Seconds(), 'f', 3, 64), "-i", file,
		"-frames:v", "1", "-vf", "crop=2:2:iw/2:ih/2,scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil || len(out) < 3 {
		t.Fatalf("the frame at %v: %v", at, err)
	}
	return color.RGBA{out[0], out[1], out[2], 255}
}

func near(c color.RGBA, r, g, b int) bool {
	d := func(x uint8, y int) bool { return int(x)-y < 12 && y-int(x) < 12 }
	return d(c.R, r) && d(c.G, g) && d(c.B, b)
}

// Frames read as captures are and fed to the ffmpeg the person chose
// make a video of the area's size that lasts as long as the recording
// did, even when each read takes longer than a frame, and shows what the
// screen showed when.
func TestFedRecording(t *testing.T) {
	enc, err := FindEncoder(chosenEncoder(t))
	if err != nil {
		t.Fatal(err)
	}
	area := image.Rect(10, 20, 10+321, 20+241) // odd: cut to even
	reads := 0
	s, err := StartFed(context.Background(), enc, paint(time.Now().Add(time.Second), 70*time.Millisecond, &reads), area, t.TempDir(), Options{FPS: 30})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	raw, err := s.Stop(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(raw.File)
	if raw.Size != image.Pt(320, 240) || raw.Duration < 1800*time.Millisecond || raw.Duration > 2500*time.Millisecond || raw.Enc != enc {
		t.Fatalf("recorded %+v (the screen read %d times)", raw, reads)
	}
	if reads > 30 {
		t.Errorf("read %d times in 2 s at 70 ms a read", reads)
	}
	if c := pixelAt(t, enc, raw.File, 300*time.Millisecond); !near(c, 200, 30, 30) {
		t.Errorf("the first second: %v, want red", c)
	}
	if c := pixelAt(t, enc, raw.File, 1700*time.Millisecond); !near(c, 30, 30, 200) {
		t.Errorf("the second second: %v, want blue", c)
	}
	// Fitted with the same ffmpeg (none is on the PATH).
	v, err := fitVideo(context.Background(), raw, 5<<20, t.TempDir())
	if err != nil || v.MIME != "video/mp4" || v.Size != raw.Size || v.First == nil {
		t.Fatalf("fitted: %v %v %v: %v", v.MIME, v.Size, v.First != nil, err)
	}
}

// A fed recording ends by itself at its cap, and when its context ends
// (Ctrl+C) its file is finished, not cut off.
func TestFedRecordingEnds(t *testing.T) {
	enc, err := FindEncoder("")
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	grab := paint(time.Now(), 0, &reads)
	s, err := StartFed(context.Background(), enc, grab, image.Rect(0, 0, 64, 48), t.TempDir(), Options{FPS: 10, Max: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("the cap did not end it")
	}
	if raw, err := s.Stop(context.Background()); err != nil || raw.Duration < 800*time.Millisecond || raw.Duration > 1500*time.Millisecond {
		t.Fatalf("at the cap: %+v, %v", raw, err)
	} else {
		os.Remove(raw.File)
	}

	ctx, cancel := context.WithCancel(context.Background())
	s, err = StartFed(ctx, enc, grab, image.Rect(0, 0, 64, 48), t.TempDir(), Options{FPS: 10})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	cancel()
	select {
	case <-s.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("the context's end did not end it")
	}
	raw, err := s.Stop(context.Background())
	if err != nil || raw.Duration < 800*time.Millisecond {
		t.Fatalf("after Ctrl+C: %+v, %v", raw, err)
	}
	if d := enc.lastFrame(context.Background(), raw.File); d < 700*time.Millisecond {
		t.Errorf("the file holds %v", d)
	}
	os.Remove(raw.File)
}

// A screen that cannot be read says so (not "too short"); a chosen
// ffmpeg that is not there, or has no ffprobe, is said with its path.
func TestFedFailures(t *testing.T) {
	enc, err := FindEncoder("")
	if err != nil {
		t.Fatal(err)
	}
	broken := errors.New("the display went away")
	s, err := StartFed(context.Background(), enc, func(context.Context, image.Rectangle) (*image.RGBA, error) { return nil, broken }, image.Rect(0, 0, 64, 48), t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	<-s.Done()
	if _, err := s.Stop(context.Background()); !errors.Is(err, broken) {
		t.Errorf("an unreadable screen: %v", err)
	}

	missing := filepath.Join(t.TempDir(), "ffmpeg.exe")
	if _, err := FindEncoder(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a chosen ffmpeg that is not there: %v", err)
	}
	alone := filepath.Join(t.TempDir(), "ffmpeg")
	os.Symlink(enc.FFmpeg, alone)
	t.Setenv("PATH", t.TempDir())
	if _, err := FindEncoder(alone); err == nil || !strings.Contains(err.Error(), "ffprobe") {
		t.Errorf("a chosen ffmpeg without ffprobe: %v", err)
	}
	if _, err := FindEncoder(""); !errors.Is(err, ErrNoEncoder) {
		t.Errorf("no ffmpeg: %v", err)
	}
}
