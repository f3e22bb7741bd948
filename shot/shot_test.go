package shot

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/capture"
	"imagecx/clipboard"
	"imagecx/explain"
	"imagecx/notify"
	"imagecx/uploader"
)

type fakeScreen struct{ img *image.RGBA }

func (f fakeScreen) Bounds() image.Rectangle              { return f.img.Rect }
func (f fakeScreen) Monitors() ([]capture.Monitor, error) { return nil, nil }
func (f fakeScreen) Pointer() (image.Point, error)        { return image.Point{}, nil }
func (f fakeScreen) Close() error                         { return nil }
func (f fakeScreen) Capture(r image.Rectangle) (*image.RGBA, error) {
	return f.img.SubImage(r).(*image.RGBA), nil
}
func (f fakeScreen) CaptureInto(dst *image.RGBA, r image.Rectangle, rows func(int)) error {
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
}

func (c *fakeClip) SetText(s string) error { c.text, c.image = s, nil; return nil }
func (c *fakeClip) SetImage(mime string, d []byte) error {
	c.image, c.text = d, ""
	return nil
}
func (c *fakeClip) Read(context.Context) (clipboard.Content, error) { return c.content, nil }

type fakeNotes struct{ notes []notify.Note }

func (n *fakeNotes) Notify(_ context.Context, note notify.Note) error {
	n.notes = append(n.notes, note)
	return nil
}

type fakeUploader struct {
	fail  map[string]error
	names []string
}

func (u *fakeUploader) Upload(_ context.Context, name string, data []byte, _ uploader.Options) (uploader.Result, error) {
	u.names = append(u.names, name)
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

func setup(t *testing.T, up Uploader) (*Pipeline, *fakeClip, *fakeNotes, string) {
	dir := filepath.Join(t.TempDir(), "Pictures", "imagecx")
	clip, notes := &fakeClip{}, &fakeNotes{}
	p := &Pipeline{
		Screen: fakeScreen{testImage()},
		Mode:   func() capture.Mode { return capture.AllMonitors },
		Dir:    func() string { return dir },
		Clip:   clip,
		Notes:  notes,
		Prefs: func() Prefs {
			return Prefs{Client: up, Format: uploader.LinkURL, Notify: true}
		},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return time.Date(2026, 11, 28, 12, 34, 56, 0, time.UTC) },
	}
	if up == nil {
		p.Prefs = func() Prefs { return Prefs{Notify: true} }
	}
	return p, clip, notes, dir
}

func TestCaptureSavesALosslessPNG(t *testing.T) {
	p, _, _, dir := setup(t, nil)
	job, err := p.CaptureFull(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if job.File != filepath.Join(dir, "imagecx-2026-11-28_12-34-56.png") || job.SaveErr != nil {
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
	want := testImage()
	for y := range 30 {
		for x := range 40 {
			if r1, g1, b1, _ := img.At(x, y).RGBA(); color.RGBAModel.Convert(img.At(x, y)) != want.At(x, y) {
				t.Fatalf("pixel %d,%d = %v %v %v", x, y, r1, g1, b1)
			}
		}
	}
	// The same second again: a new file, never an overwrite.
	job2, err := p.CaptureFull(context.Background())
	if err != nil || job2.File != filepath.Join(dir, "imagecx-2026-11-28_12-34-56-2.png") {
		t.Fatalf("second capture %q %v", job2.File, err)
	}
}

func TestDeliverSuccess(t *testing.T) {
	up := &fakeUploader{}
	p, clip, notes, _ := setup(t, up)
	job, _ := p.CaptureFull(context.Background())
	out := p.Deliver(context.Background(), []Job{job})
	if out.Err != nil || len(out.Links) != 1 {
		t.Fatalf("%+v", out)
	}
	if clip.text != "https://i.cx/images/"+job.Name {
		t.Errorf("clipboard %q", clip.text)
	}
	if len(notes.notes) != 1 || notes.notes[0].Title != "Uploaded — link copied" || notes.notes[0].Body != clip.text {
		t.Errorf("notes %+v", notes.notes)
	}
}

func TestDeliverFailureKeepsTheCaptureAndSaysWhere(t *testing.T) {
	up := &fakeUploader{fail: map[string]error{}}
	p, clip, notes, _ := setup(t, up)
	job, _ := p.CaptureFull(context.Background())
	up.fail[job.Name] = &uploader.Error{Kind: uploader.ErrServer, Status: 502, Detail: "HTTP 502 Bad Gateway, text/html instead of an API answer; try again later"}
	clip.text = "what the user had"
	out := p.Deliver(context.Background(), []Job{job})
	if !errors.Is(out.Err, uploader.ErrServer) {
		t.Fatal(out.Err)
	}
	if clip.text != "what the user had" {
		t.Error("a failed upload changed the clipboard")
	}
	n := notes.notes[0]
	if n.Title != "Upload failed" || !strings.Contains(n.Body, "The server failed") || !strings.Contains(n.Body, job.File) || n.Urgency != notify.Critical {
		t.Errorf("note %+v", n)
	}
	if _, err := os.Stat(job.File); err != nil {
		t.Error("the capture is gone")
	}
}

func TestNothingIsLostWhenSaveAndUploadFail(t *testing.T) {
	up := &fakeUploader{fail: map[string]error{}}
	p, clip, notes, _ := setup(t, up)
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o600)
	p.Dir = func() string { return filepath.Join(blocker, "sub") } // cannot be created
	job, err := p.CaptureFull(context.Background())
	if err != nil || job.SaveErr == nil || job.File != "" {
		t.Fatalf("job %+v %v", job.File, err)
	}
	up.fail[job.Name] = &uploader.Error{Kind: uploader.ErrNetwork, Detail: "image.cx: connection refused"}
	p.Deliver(context.Background(), []Job{job})
	if !bytes.Equal(clip.image, job.Data) {
		t.Error("the capture is neither saved, uploaded nor on the clipboard")
	}
	if b := notes.notes[0].Body; !strings.Contains(b, "could not be saved") || !strings.Contains(b, "on the clipboard") {
		t.Errorf("note %q", b)
	}
}

func TestFirstRunWithoutKey(t *testing.T) {
	p, clip, notes, _ := setup(t, nil)
	job, _ := p.CaptureFull(context.Background())
	out := p.Deliver(context.Background(), []Job{job})
	if !errors.Is(out.Err, uploader.ErrNoKey) {
		t.Fatal(out.Err)
	}
	if !bytes.Equal(clip.image, job.Data) {
		t.Error("the image is not on the clipboard")
	}
	n := notes.notes[0]
	if !strings.Contains(n.Body, "Settings") || !strings.Contains(n.Body, job.File) || !strings.Contains(n.Title, "copied as an image") {
		t.Errorf("note %+v", n)
	}
}

func TestClipboardJobs(t *testing.T) {
	up := &fakeUploader{}
	p, clip, notes, _ := setup(t, up)
	ctx := context.Background()
	for _, c := range []clipboard.Content{{Kind: clipboard.Empty}, {Kind: clipboard.Text, Text: "hello"}} {
		clip.content = c
		if _, err := p.ClipboardJobs(ctx); !errors.Is(err, ErrNoImage) || explain.Error(err) != "The clipboard holds no image." {
			t.Errorf("%v: %v", c.Kind, err)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, testImage())
	clip.content = clipboard.Content{Kind: clipboard.Image, Image: buf.Bytes(), MIME: "image/png"}
	jobs, err := p.ClipboardJobs(ctx)
	if err != nil || len(jobs) != 1 || jobs[0].Name != "imagecx-2026-11-28_12-34-56.png" || !jobs[0].FromClipboard {
		t.Fatalf("image: %+v %v", jobs, err)
	}

	dir := t.TempDir()
	a, b, txt := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png"), filepath.Join(dir, "notes.txt")
	os.WriteFile(a, buf.Bytes(), 0o644)
	os.WriteFile(b, buf.Bytes(), 0o644)
	os.WriteFile(txt, []byte("text"), 0o644)
	clip.content = clipboard.Content{Kind: clipboard.Files, Files: []string{a, txt, b}}
	jobs, err = p.ClipboardJobs(ctx)
	if err != nil || len(jobs) != 2 {
		t.Fatalf("files: %d %v", len(jobs), err)
	}
	out := p.Deliver(ctx, jobs)
	if clip.text != "https://i.cx/images/a.png\nhttps://i.cx/images/b.png" || out.Err != nil {
		t.Fatalf("clipboard %q, err %v", clip.text, out.Err)
	}
	if n := notes.notes[len(notes.notes)-1]; n.Title != "Uploaded 2 images — links copied" {
		t.Errorf("note %+v", n)
	}
	clip.content = clipboard.Content{Kind: clipboard.Files, Files: []string{txt}}
	if _, err := p.ClipboardJobs(ctx); !errors.Is(err, ErrNoImage) || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("only text files: %v", err)
	}
}

func TestPartialFailureNote(t *testing.T) {
	o := Outcome{
		Jobs:    []Job{{Name: "a"}, {Name: "b"}, {Name: "c"}},
		Results: []uploader.Result{{URL: "u1"}, {URL: "u2"}},
		Links:   []string{"u1", "u2"},
		Err:     &uploader.Error{Kind: uploader.ErrTooLarge, Detail: "6.0 MB, the limit is 5.0 MB"},
	}
	n := ResultNote(o)
	if n.Title != "1 of 3 uploads failed" || !strings.Contains(n.Body, "2 of 3 uploaded") || !strings.HasPrefix(n.Body, "The file is too large") {
		t.Errorf("%+v", n)
	}
	o.CopyErr = errors.New("wl-copy: exit status 1")
	if n := ResultNote(o); !strings.Contains(n.Body, "their links are not copied.\nCopying to the clipboard failed: wl-copy") {
		t.Errorf("not copied: %+v", n)
	}
	one := ResultNote(Outcome{Jobs: []Job{{}}, Results: []uploader.Result{{URL: "u"}}, Links: []string{"u"}, CopyErr: errors.New("no clipboard")})
	if one.Title != "Uploaded — link not copied" || one.Body != "u\nCopying to the clipboard failed: no clipboard." {
		t.Errorf("one, not copied: %+v", one)
	}
	mod := ResultNote(Outcome{Jobs: []Job{{}}, Results: []uploader.Result{{ViewerURL: "v", AwaitingApproval: true}}, Links: []string{"v"}})
	if !strings.Contains(mod.Body, "reviews uploads") {
		t.Errorf("moderated: %+v", mod)
	}
}

func TestDefaultDir(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"HOME": home}
	getenv := func(k string) string { return env[k] }
	if got := DefaultDir(getenv); got != filepath.Join(home, "Pictures", "imagecx") {
		t.Errorf("default: %s", got)
	}
	os.MkdirAll(filepath.Join(home, ".config"), 0o700)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("# x\nXDG_PICTURES_DIR=\"$HOME/Bilder\"\n"), 0o600)
	if got := DefaultDir(getenv); got != filepath.Join(home, "Bilder", "imagecx") {
		t.Errorf("user-dirs: %s", got)
	}
	env["XDG_PICTURES_DIR"] = "/srv/pics"
	if got := DefaultDir(getenv); got != "/srv/pics/imagecx" {
		t.Errorf("env: %s", got)
	}
}

func TestFormatsTitleAndNoLocalCopy(t *testing.T) {
	up := &fakeUploader{}
	p, _, _, _ := setup(t, up)
	p.Format = func() Format { return Format{Kind: "jpeg", Quality: 80} }
	job, err := p.CaptureFull(context.Background())
	if err != nil || !strings.HasSuffix(job.Name, ".jpg") || job.MIME != "image/jpeg" || uploader.Sniff(job.Data) != "image/jpeg" {
		t.Fatalf("jpeg: %q %q %v", job.Name, job.MIME, err)
	}
	p.Format = func() Format { return Format{Kind: "webp"} }
	job, err = p.CaptureFull(context.Background())
	if err != nil || !strings.HasSuffix(job.Name, ".webp") || uploader.Sniff(job.Data) != "image/webp" {
		t.Fatalf("webp: %q %v", job.Name, err)
	}
	// No local copy: gone after the upload, kept when the upload fails.
	p.Prefs = func() Prefs {
		return Prefs{Client: up, Notify: true, DropLocal: true, Title: "Shot {date} {time}"}
	}
	p.Deliver(context.Background(), []Job{job})
	if _, err := os.Stat(job.File); !os.IsNotExist(err) {
		t.Error("the local copy survived a successful upload")
	}
	up.fail = map[string]error{}
	job2, _ := p.CaptureFull(context.Background())
	up.fail[job2.Name] = &uploader.Error{Kind: uploader.ErrServer}
	p.Deliver(context.Background(), []Job{job2})
	if _, err := os.Stat(job2.File); err != nil {
		t.Error("the local copy was deleted although the upload failed")
	}
	at := time.Date(2026, 11, 28, 9, 5, 7, 0, time.UTC)
	if got := Title("Shot {date} {time}", at, ""); got != "Shot 2026-11-28 09:05:07" {
		t.Errorf("title %q", got)
	}
	if got := Title("{window} {date}", at, "Terminal — vim"); got != "Terminal — vim 2026-11-28" {
		t.Errorf("title %q", got)
	}
	if got := Title("{window} {date}", at, ""); got != "2026-11-28" {
		t.Errorf("title without a window %q", got)
	}
}
