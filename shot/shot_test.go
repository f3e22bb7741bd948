package shot

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"imagecx/filetype"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"imagecx/capture"
	"imagecx/clipboard"
	"imagecx/encode"
	"imagecx/explain"
	"imagecx/internal/testkit/imgdiff"
	"imagecx/settings"
)

type fakeScreen struct{ img *image.RGBA }

func (f fakeScreen) Bounds() image.Rectangle              { return f.img.Rect }
func (f fakeScreen) Monitors() ([]capture.Monitor, error) { return nil, nil }
func (f fakeScreen) Pointer() (image.Point, error)        { return image.Point{}, nil }
func (f fakeScreen) Close() error                         { return nil }
func (f fakeScreen) Capture(ctx context.Context, r image.Rectangle) (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	return img, f.CaptureInto(ctx, img, r, nil)
}
func (f fakeScreen) CaptureInto(ctx context.Context, dst *image.RGBA, r image.Rectangle, rows func(int)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	draw.Draw(dst, dst.Rect, f.img, r.Min, draw.Src)
	if rows != nil {
		rows(dst.Rect.Dy())
	}
	return nil
}

type fakeClip struct{ content clipboard.Content }

func (c *fakeClip) Read(context.Context) (clipboard.Content, error) { return c.content, nil }

func testImage() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			img.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 8), 99, 255})
		}
	}
	return img
}

func newPipeline(t *testing.T) (*Pipeline, Setup) {
	p := &Pipeline{
		Screen: fakeScreen{testImage()},
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:    func() time.Time { return time.Date(2026, 11, 28, 12, 34, 56, 0, time.UTC) },
	}
	return p, Setup{Mode: capture.AllMonitors, Format: encode.Format{Kind: "png"}, Dir: filepath.Join(t.TempDir(), "Pictures", "imagecx")}
}

// captured is a saved capture of the whole test screen.
func captured(t *testing.T, p *Pipeline, s Setup) Job {
	t.Helper()
	job, err := p.Capture(context.Background(), s, image.Rectangle{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Save(s, job)
}

func TestCaptureSavesALosslessPNG(t *testing.T) {
	p, s := newPipeline(t)
	job := captured(t, p, s)
	if job.File != filepath.Join(s.Dir, "imagecx-2026-11-28_12-34-56.png") || job.SaveErr != nil {
		t.Fatalf("file %q err %v", job.File, job.SaveErr)
	}
	data, _ := os.ReadFile(job.File)
	if !bytes.Equal(data, job.Data) {
		t.Fatal("saved file differs from the uploaded data")
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := imgdiff.Equal(img, testImage()); !ok {
		t.Fatal(why)
	}
	// Only its owner can read it, in a folder only its owner can list.
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(job.File)
		dir, _ := os.Stat(s.Dir)
		if st.Mode().Perm() != 0o600 || dir.Mode().Perm() != 0o700 {
			t.Errorf("file mode %v, folder mode %v; want 0600 and 0700", st.Mode().Perm(), dir.Mode().Perm())
		}
	}
	// The same second again: a new file, never an overwrite.
	if job2 := captured(t, p, s); job2.File != filepath.Join(s.Dir, "imagecx-2026-11-28_12-34-56-2.png") {
		t.Fatalf("second capture %q", job2.File)
	}
	// A part of the screen.
	part, err := p.Capture(context.Background(), s, image.Rect(10, 5, 30, 25))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := png.Decode(bytes.NewReader(part.Data))
	if n := imgdiff.Count(got, testImage(), image.Rect(10, 5, 30, 25)); n != 0 {
		t.Fatalf("part: %d pixels differ", n)
	}
}

func TestCaptureHonoursTheContext(t *testing.T) {
	p, s := newPipeline(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Capture(ctx, s, image.Rectangle{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	p.Screen = nil
	if _, err := p.Capture(context.Background(), s, image.Rectangle{}); !errors.Is(err, capture.ErrUnsupported) {
		t.Fatalf("no screen: %v", err)
	}
}

func TestFormats(t *testing.T) {
	p, s := newPipeline(t)
	s.Format = encode.Format{Kind: "jpeg", Quality: 80}
	job := captured(t, p, s)
	if !strings.HasSuffix(job.Name, ".jpg") || job.MIME != "image/jpeg" || filetype.Sniff(job.Data) != "image/jpeg" {
		t.Fatalf("jpeg: %q %q", job.Name, job.MIME)
	}
	s.Format = encode.Format{Kind: "webp"}
	job = captured(t, p, s)
	if !strings.HasSuffix(job.Name, ".webp") || filetype.Sniff(job.Data) != "image/webp" {
		t.Fatalf("webp: %q", job.Name)
	}
}

func TestFromClipboard(t *testing.T) {
	p, _ := newPipeline(t)
	clip := &fakeClip{}
	ctx := context.Background()
	for _, c := range []clipboard.Content{{Kind: clipboard.Empty}, {Kind: clipboard.Text, Text: "hello"}} {
		clip.content = c
		if _, err := p.FromClipboard(ctx, clip); !errors.Is(err, ErrNoImage) || explain.Error(err) != "The clipboard holds no image." {
			t.Errorf("%v: %v", c.Kind, err)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, testImage())
	clip.content = clipboard.Content{Kind: clipboard.Image, Image: buf.Bytes(), MIME: "image/png"}
	jobs, err := p.FromClipboard(ctx, clip)
	if err != nil || len(jobs) != 1 || jobs[0].Name != "imagecx-2026-11-28_12-34-56.png" || !jobs[0].FromClipboard {
		t.Fatalf("image: %+v %v", jobs, err)
	}
	// Described as a capture is, for the history.
	tb := testImage().Bounds()
	if j := jobs[0]; j.Width != tb.Dx() || j.Height != tb.Dy() || j.Thumb == nil {
		t.Errorf("the copied image: %d×%d, thumbnail %v", j.Width, j.Height, j.Thumb != nil)
	}

	dir := t.TempDir()
	a, b, txt := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png"), filepath.Join(dir, "notes.txt")
	os.WriteFile(a, buf.Bytes(), 0o644)
	os.WriteFile(b, buf.Bytes(), 0o644)
	os.WriteFile(txt, []byte("text"), 0o644)
	clip.content = clipboard.Content{Kind: clipboard.Files, Files: []string{a, txt, b}}
	jobs, err = p.FromClipboard(ctx, clip)
	if err != nil || len(jobs) != 2 || jobs[0].Name != "a.png" || jobs[1].Name != "b.png" || jobs[0].File != a || !bytes.Equal(jobs[1].Data, buf.Bytes()) {
		t.Fatalf("files: %d %v", len(jobs), err)
	}
	if jobs[1].Width != tb.Dx() || jobs[1].Thumb == nil {
		t.Errorf("a copied file: %d wide, thumbnail %v", jobs[1].Width, jobs[1].Thumb != nil)
	}
	clip.content = clipboard.Content{Kind: clipboard.Files, Files: []string{txt}}
	if _, err := p.FromClipboard(ctx, clip); !errors.Is(err, ErrNoImage) || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("only text files: %v", err)
	}
}

func TestSetupFromTheSettings(t *testing.T) {
	home := t.TempDir()
	getenv := func(k string) string { return map[string]string{"HOME": home}[k] }
	cfg := settings.Defaults()
	s := SetupFrom(cfg, getenv)
	if s.Mode != capture.AllMonitors || s.Format.Kind != "png" || s.Dir != filepath.Join(home, "Pictures", "imagecx") {
		t.Errorf("defaults: %+v", s)
	}
	cfg.Capture = settings.Capture{Monitors: "pointer", SaveDir: "/srv/shots", Format: "jpeg", Quality: 70, KeepLocal: false}
	cfg.Upload = settings.Upload{AlbumID: "oHo", Expiration: "P1D", NSFW: true, TitleTemplate: "{window}", AlwaysLossless: true, TimeoutSeconds: 9}
	cfg.LinkFormat = "markdown"
	s = SetupFrom(cfg, getenv)
	if s.Mode != capture.PointerMonitor || s.Format != (encode.Format{Kind: "jpeg", Quality: 70}) || s.Dir != "/srv/shots" {
		t.Errorf("set: %+v", s)
	}
}
