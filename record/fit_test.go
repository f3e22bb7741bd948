package record

import (
	"context"
	"errors"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawVideo makes a recording as a Session leaves one: H.264 in Matroska,
// of ffmpeg's moving test pattern with noise (hard to compress).
func rawVideo(t *testing.T, size image.Point, secs int) Raw {
	t.Helper()
	file := filepath.Join(t.TempDir(), "raw.mkv")
	src := "testsrc2=size=" + strconv.Itoa(size.X) + "x" + strconv.Itoa(size.Y) + ":rate=30,noise=alls=40:allf=t"
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", src, "-t", strconv.Itoa(secs),
		"-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-f", "matroska", file)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make the raw video: %v\n%s", err, out)
	}
	d, got, err := Probe(context.Background(), file)
	if err != nil || got != size {
		t.Fatalf("probe: %v %v %v", d, got, err)
	}
	return Raw{File: file, Size: size, Duration: d, FPS: 30}
}

// A recording under the limit is only put in an MP4; one over it is
// encoded again under it, scaled down when the limit leaves too few bits
// for its size, and says so; its first frame is read for the thumbnail.
func TestFit(t *testing.T) {
	ctx := context.Background()
	raw := rawVideo(t, image.Pt(640, 360), 4)
	st, _ := os.Stat(raw.File)
	dir := t.TempDir()

	as, err := Fit(ctx, raw, st.Size()+64<<10, filepath.Join(dir, "as.mp4"))
	if err != nil || as.How != "" || as.Size != raw.Size {
		t.Fatalf("under the limit: %+v, %v", as, err)
	}
	checkMP4(t, as, raw.Duration)

	limit := st.Size() / 3
	fit, err := Fit(ctx, raw, limit, filepath.Join(dir, "fit.mp4"))
	if err != nil || fit.Bytes > limit || fit.How == "" {
		t.Fatalf("over the limit (%d): %+v, %v", limit, fit, err)
	}
	checkMP4(t, fit, raw.Duration)

	tiny := int64(40 << 10)
	small, err := Fit(ctx, raw, tiny, filepath.Join(dir, "small.mp4"))
	if err != nil || small.Bytes > tiny || small.Size.X >= raw.Size.X || small.Size.X%2 != 0 {
		t.Fatalf("far over the limit (%d): %+v, %v", tiny, small, err)
	}
	checkMP4(t, small, raw.Duration)
	t.Logf("as recorded %d bytes; fitted to %d: %d bytes; to %d: %d bytes at %v (%s)", st.Size(), limit, fit.Bytes, tiny, small.Bytes, small.Size, small.How)

	img, err := FirstFrame(ctx, small.File, 0)
	if err != nil || img.Bounds().Size() != small.Size {
		t.Errorf("first frame: %v, %v", img.Bounds(), err)
	}
	if img, err := FirstFrame(ctx, fit.File, 128); err != nil || img.Bounds().Dx() != 128 || img.Bounds().Dy() != 72 {
		t.Errorf("first frame made smaller: %v, %v", img.Bounds(), err)
	}
}

// checkMP4 reads the file back: an H.264 MP4 of f's size and about d long.
func checkMP4(t *testing.T, f Fitted, d time.Duration) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,pix_fmt:format=format_name",
		"-of", "default=noprint_wrappers=1", f.File).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", f.File, err)
	}
	for _, want := range []string{"codec_name=h264", "pix_fmt=yuv420p", "format_name=mov,mp4"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("%s: %s lacks %s", filepath.Base(f.File), out, want)
		}
	}
	got, size, err := Probe(context.Background(), f.File)
	if err != nil || size != f.Size || got < d-200*time.Millisecond || got > d+200*time.Millisecond {
		t.Errorf("%s: %v %v %v, want %v %v", filepath.Base(f.File), got, size, err, d, f.Size)
	}
	st, _ := os.Stat(f.File)
	if st.Size() != f.Bytes {
		t.Errorf("%s: %d bytes, said %d", filepath.Base(f.File), st.Size(), f.Bytes)
	}
}

// A recording cut off (the recorder killed) is found once nothing has
// written to it for a while, and made into a video of what it holds.
func TestRecoverACutOffRecording(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "imagecx-recording-1.mkv")
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
		"-t", "30", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-g", "60", "-flush_packets", "1", "-f", "matroska", file)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	cmd.Process.Kill()
	cmd.Wait()
	os.WriteFile(filepath.Join(dir, "imagecx-recording-2.frames"), []byte("frames"), 0o600)
	if got := Leftovers(dir, time.Now()); len(got) != 0 {
		t.Errorf("just written: %v", got)
	}
	got := Leftovers(dir, time.Now().Add(2*time.Minute))
	if len(got) != 1 || got[0] != file {
		t.Fatalf("leftovers %v", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "imagecx-recording-2.frames")); !os.IsNotExist(err) {
		t.Error("a GIF's frames were left")
	}
	v, err := Recover(context.Background(), file, 5<<20, dir, Options{})
	if err != nil || v.MIME != "video/mp4" || v.Size != image.Pt(320, 240) || v.Duration < time.Second || v.Duration > 3*time.Second {
		t.Fatalf("recovered %v %v %v: %v", v.MIME, v.Size, v.Duration, err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Error("the recovered recording's file is still there")
	}
}

// A recording that ends where ffprobe (part of ffmpeg) is missing says
// that, not that it was too short, and keeps its file for later.
func TestStopWithoutFFprobe(t *testing.T) {
	raw := rawVideo(t, image.Pt(64, 48), 1)
	t.Setenv("PATH", t.TempDir())
	done := make(chan struct{})
	close(done)
	s := &Session{file: raw.File, done: done, stopped: true, said: &tail{max: 64}}
	if _, err := s.Stop(context.Background()); !errors.Is(err, ErrNoEncoder) {
		t.Fatalf("Stop without ffprobe: %v", err)
	}
	if _, err := os.Stat(raw.File); err != nil {
		t.Errorf("the recording's file: %v", err)
	}
}

// Media Foundation's MP4 is encoded to fit from the start: the limit
// spread over the cap (a recording as long as the cap fits), the size
// made smaller where that is too few bits for it, and no more bits than
// the picture needs when nothing limits it.
func TestMFRate(t *testing.T) {
	hd := image.Pt(1920, 1080)
	rate, size := mfRate(5<<20, time.Minute, hd, 30)
	if float64(rate)*60 > 5<<20*8*0.9 || size.X >= hd.X || size.X%2 != 0 || size.Y%2 != 0 || size.X*hd.Y/hd.X-size.Y > 2 {
		t.Errorf("a minute at 1080p: %d b/s at %v", rate, size)
	}
	if rate, size := mfRate(5<<20, 10*time.Second, hd, 30); size != hd || float64(rate)*10 > 5<<20*8*0.9 {
		t.Errorf("10 s at 1080p: %d b/s at %v", rate, size)
	}
	if rate, size := mfRate(1<<40, time.Minute, hd, 30); size != hd || rate > 10e6 {
		t.Errorf("kept here, not uploaded: %d b/s at %v", rate, size)
	}
}
