package shot

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"imagecx/filetype"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"imagecx/capture"
	"imagecx/clipboard"
	"imagecx/encode"
	"imagecx/explain"
	"imagecx/internal/imgdiff"
	"imagecx/settings"
	"imagecx/uploader"
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

type fakeClip struct {
	text    string
	image   []byte
	content clipboard.Content
	fail    error
}

func (c *fakeClip) SetText(s string) error {
	if c.fail != nil {
		return c.fail
	}
	c.text, c.image = s, nil
	return nil
}
func (c *fakeClip) SetImage(mime string, d []byte) error {
	if c.fail != nil {
		return c.fail
	}
	c.image, c.text = d, ""
	return nil
}
func (c *fakeClip) Read(context.Context) (clipboard.Content, error) { return c.content, nil }

type fakeUploader struct {
	fail  map[string]error
	names []string
	opts  []uploader.Options
}

func (u *fakeUploader) Upload(_ context.Context, name string, data []byte, o uploader.Options) (uploader.Result, error) {
	u.names = append(u.names, name)
	u.opts = append(u.opts, o)
	if err := u.fail[name]; err != nil {
		return uploader.Result{}, err
	}
	return uploader.Result{Filename: name, URL: "https://i.cx/images/" + name, ViewerURL: "https://i.cx/image/" + name}, nil
}

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

func TestFormatsTitleAndNoLocalCopy(t *testing.T) {
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
	// No local copy: gone after the upload, kept when the upload fails.
	up := &fakeUploader{fail: map[string]error{}}
	d := Delivery{Client: up, DropLocal: true, Title: "Shot {date} {time}"}
	p.Deliver(context.Background(), d, []Job{job})
	if _, err := os.Stat(job.File); !os.IsNotExist(err) {
		t.Error("the local copy survived a successful upload")
	}
	if up.opts[0].Title != "Shot 2026-11-28 12:34:56" {
		t.Errorf("title %q", up.opts[0].Title)
	}
	job2 := captured(t, p, s)
	up.fail[job2.Name] = &uploader.Error{Kind: uploader.ErrServer}
	p.Deliver(context.Background(), d, []Job{job2})
	if _, err := os.Stat(job2.File); err != nil {
		t.Error("the local copy was deleted although the upload failed")
	}
	at := time.Date(2026, 11, 28, 9, 5, 7, 0, time.UTC)
	for _, c := range []struct{ template, window, want string }{
		{"Shot {date} {time}", "", "Shot 2026-11-28 09:05:07"},
		{"{window} {date}", "Terminal — vim", "Terminal — vim 2026-11-28"},
		{"{window} {date}", "", "2026-11-28"},
	} {
		if got := Title(c.template, at, c.window); got != c.want {
			t.Errorf("Title(%q, %q) = %q", c.template, c.window, got)
		}
	}
}

func TestDeliverAndCopy(t *testing.T) {
	p, s := newPipeline(t)
	up := &fakeUploader{fail: map[string]error{}}
	clip := &fakeClip{text: "what the user had"}
	job := captured(t, p, s)

	// Success: the link goes to the clipboard.
	out := p.Deliver(context.Background(), Delivery{Client: up, Link: uploader.LinkURL}, []Job{job})
	p.Copy(clip, &out)
	if out.Err != nil || len(out.Links) != 1 || clip.text != "https://i.cx/images/"+job.Name {
		t.Fatalf("%+v, clipboard %q", out, clip.text)
	}

	// A failure leaves the clipboard alone: the capture is saved.
	clip.text = "what the user had"
	up.fail[job.Name] = &uploader.Error{Kind: uploader.ErrServer, Status: 502}
	out = p.Deliver(context.Background(), Delivery{Client: up}, []Job{job})
	p.Copy(clip, &out)
	if !errors.Is(out.Err, uploader.ErrServer) || clip.text != "what the user had" {
		t.Fatalf("failure: %v, clipboard %q", out.Err, clip.text)
	}
	if len(out.Failed) != 1 || out.Failed[0].Job.Name != job.Name || !errors.Is(out.Failed[0].Err, uploader.ErrServer) {
		t.Fatalf("failed: %+v", out.Failed)
	}

	// Neither saved nor uploaded: the image goes to the clipboard.
	unsaved := job
	unsaved.File, unsaved.SaveErr = "", errors.New("disk full")
	out = p.Deliver(context.Background(), Delivery{Client: up}, []Job{unsaved})
	p.Copy(clip, &out)
	if !bytes.Equal(clip.image, job.Data) {
		t.Error("the capture is neither saved, uploaded nor on the clipboard")
	}

	// No key: nothing is sent, and the image goes to the clipboard.
	clip.image = nil
	before := len(up.names)
	out = p.Deliver(context.Background(), Delivery{}, []Job{job})
	p.Copy(clip, &out)
	if !errors.Is(out.Err, uploader.ErrNoKey) || len(up.names) != before || !bytes.Equal(clip.image, job.Data) {
		t.Fatalf("no key: %v, %d uploads, image copied %v", out.Err, len(up.names)-before, clip.image != nil)
	}

	// A clipboard that refuses is recorded; the links are in the outcome.
	delete(up.fail, job.Name)
	clip.fail = errors.New("no clipboard")
	out = p.Deliver(context.Background(), Delivery{Client: up}, []Job{job})
	p.Copy(clip, &out)
	if out.CopyErr == nil || len(out.Links) != 1 {
		t.Fatalf("copy failure: %+v", out)
	}

	// Cancelled: nothing more is sent.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before = len(up.names)
	if out = p.Deliver(ctx, Delivery{Client: up}, []Job{job, job}); !errors.Is(out.Err, context.Canceled) || len(up.names) != before || len(out.Failed) != 2 {
		t.Fatalf("cancelled: %v, %d sent, %d failed", out.Err, len(up.names)-before, len(out.Failed))
	}
}

func TestFromClipboard(t *testing.T) {
	p, _ := newPipeline(t)
	clip := &fakeClip{}
	up := &fakeUploader{}
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

	dir := t.TempDir()
	a, b, txt := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png"), filepath.Join(dir, "notes.txt")
	os.WriteFile(a, buf.Bytes(), 0o644)
	os.WriteFile(b, buf.Bytes(), 0o644)
	os.WriteFile(txt, []byte("text"), 0o644)
	clip.content = clipboard.Content{Kind: clipboard.Files, Files: []string{a, txt, b}}
	jobs, err = p.FromClipboard(ctx, clip)
	if err != nil || len(jobs) != 2 {
		t.Fatalf("files: %d %v", len(jobs), err)
	}
	out := p.Deliver(ctx, Delivery{Client: up}, jobs)
	p.Copy(clip, &out)
	if clip.text != "https://i.cx/images/a.png\nhttps://i.cx/images/b.png" || out.Err != nil {
		t.Fatalf("clipboard %q, err %v", clip.text, out.Err)
	}
	clip.content = clipboard.Content{Kind: clipboard.Files, Files: []string{txt}}
	if _, err := p.FromClipboard(ctx, clip); !errors.Is(err, ErrNoImage) || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("only text files: %v", err)
	}
}

func TestSetupAndDeliveryFromTheSettings(t *testing.T) {
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
	up := &fakeUploader{}
	d := DeliveryFrom(cfg, up)
	want := Delivery{Client: up, Link: uploader.LinkMarkdown, Options: uploader.Options{AlbumID: "oHo", Expiration: "P1D", NSFW: true},
		Title: "{window}", Lossless: true, DropLocal: true}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("delivery %+v", d)
	}
}

// A small file can hold a huge image (a PNG of 20000×20000 pixels is a
// few megabytes): it is refused from its header, not decoded into
// gigabytes.
func TestDecompressionBombIsRefusedFromItsHeader(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 20000)
	binary.BigEndian.PutUint32(ihdr[4:], 20000)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", make([]byte, 6<<20))
	job := Job{Name: "bomb.png", Data: b.Bytes(), MIME: "image/png", FromClipboard: true}
	_, _, _, err := job.ForUpload(false)
	if !errors.Is(err, uploader.ErrTooLarge) || !strings.Contains(err.Error(), "20000×20000") {
		t.Fatalf("err = %v", err)
	}
}

// bigHost is an uploader whose host takes large files (a custom one).
type bigHost struct{ fakeUploader }

func (bigHost) MaxSize() int64 { return 200 << 20 }

// A file over image.cx's limit goes to a host that takes it as it is,
// and is fitted for image.cx.
func TestFittedOnlyForTheHostsLimit(t *testing.T) {
	p, _ := newPipeline(t)
	big := make([]byte, uploader.MaxSize+1) // not an image: image.cx refuses it as too large
	copy(big, "\x89PNG\r\n\x1a\n")
	job := Job{Name: "big.png", Data: big, MIME: "image/png", FromClipboard: true}
	host := &bigHost{}
	if out := p.Deliver(context.Background(), Delivery{Client: host}, []Job{job}); out.Err != nil || len(out.Fitted) != 0 || len(host.names) != 1 {
		t.Fatalf("to a large host: %v, fitted %v", out.Err, out.Fitted)
	}
	cx := &fakeUploader{}
	if out := p.Deliver(context.Background(), Delivery{Client: cx}, []Job{job}); !errors.Is(out.Err, uploader.ErrTooLarge) || len(cx.names) != 0 {
		t.Fatalf("to image.cx: %v", out.Err)
	}
}
