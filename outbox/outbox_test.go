package outbox

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"go/parser"
	"go/token"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"imagecx/history"
	"imagecx/internal/testkit/refdesk"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/uploader"
)

type fakeClip struct {
	text  string
	image []byte
	fail  error
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

var testNow = time.Date(2026, 11, 28, 12, 34, 56, 0, time.UTC)

func newOutbox() *Outbox {
	return &Outbox{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return testNow }}
}

// withHistory is an outbox that records in a history of the test's own.
func withHistory(t *testing.T) (*Outbox, *history.Store) {
	t.Helper()
	store, err := history.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	o := newOutbox()
	o.History = store
	return o, store
}

// saved is a capture of img saved in dir, as shot leaves it.
func saved(t *testing.T, dir string, img image.Image) shot.Job {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	job := shot.Job{Name: shot.FileName(testNow, ".png"), Data: buf.Bytes(), MIME: "image/png", Width: b.Dx(), Height: b.Dy()}
	var err error
	if job.File, err = shot.SaveFile(dir, job.Name, job.Data); err != nil {
		t.Fatal(err)
	}
	job.Saved = true
	return job
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

func in(j shot.Job) Job { return Job{Job: j} }

// Every job is in the history from the moment it is added, and its
// upload is recorded as it goes; a passing failure is planned.
func TestTheHistoryFollowsEveryJob(t *testing.T) {
	ctx := context.Background()
	o, store := withHistory(t)
	up := &fakeUploader{fail: map[string]error{}}
	sj := saved(t, t.TempDir(), testImage())
	sj.Thumb = testImage()

	jobs, err := o.Add(ctx, []shot.Job{sj}, "", history.FromHotkey, history.Saved)
	job := jobs[0]
	if err != nil || job.ID == 0 {
		t.Fatalf("recorded %+v: %v", job, err)
	}
	e, _ := store.Get(ctx, job.ID)
	if e.State != history.Saved || e.File != job.File || e.Width != 40 || e.Height != 30 || e.SHA256 == "" || e.Source != history.FromHotkey {
		t.Errorf("saved entry %+v", e)
	}
	if _, err := os.Stat(store.ThumbPath(job.ID)); err != nil {
		t.Errorf("no thumbnail: %v", err)
	}

	up.fail[job.Name] = &uploader.Error{Kind: uploader.ErrServer, Status: 502}
	out := o.Send(ctx, One(Delivery{Client: up}), []Job{job})
	if e, _ := store.Get(ctx, job.ID); e.State != history.Failed || e.Permanent || e.Attempts != 1 || e.Error == "" || e.NextTry.IsZero() {
		t.Errorf("after a passing failure %+v", e)
	}
	if out.RetryIn != DefaultRetryDelays[0] {
		t.Errorf("tried again in %v", out.RetryIn)
	}
	up.fail[job.Name] = &uploader.Error{Kind: uploader.ErrBadKey}
	out = o.Send(ctx, One(Delivery{Client: up}), []Job{job})
	if e, _ := store.Get(ctx, job.ID); e.State != history.Failed || !e.Permanent || e.Attempts != 2 || out.RetryIn != 0 {
		t.Errorf("after a rejected key %+v, tried again in %v", e, out.RetryIn)
	}
	delete(up.fail, job.Name)
	o.Send(ctx, One(Delivery{Client: up}), []Job{job})
	if e, _ := store.Get(ctx, job.ID); e.State != history.Uploaded || e.URL == "" || e.Attempts != 3 {
		t.Errorf("after the upload %+v", e)
	}

	// An image from the clipboard is spooled until it is uploaded, and is
	// read back from there when it waited without its bytes.
	cjobs, _ := o.Add(ctx, []shot.Job{{Name: "clip.png", Data: job.Data, MIME: "image/png", FromClipboard: true}}, "", history.FromClipboard, history.Saved)
	cj := cjobs[0]
	if !store.Spooled(cj.File) {
		t.Fatalf("clipboard image not spooled: %q", cj.File)
	}
	// As the next start finds it (Due leaves a running process's own
	// entries to it): without its bytes.
	due := []Job{{ID: cj.ID, Job: shot.Job{Name: cj.Name, File: cj.File, FromClipboard: true}}}
	out = o.Send(ctx, One(Delivery{Client: up}), due)
	if out.Err != nil || len(out.Links) != 1 {
		t.Fatalf("sent from the history: %+v", out)
	}
	if _, err := os.Stat(cj.File); !errors.Is(err, os.ErrNotExist) {
		t.Error("the spooled copy outlived its upload")
	}
	if e, _ := store.Get(ctx, cj.ID); e.File != "" || e.State != history.Uploaded {
		t.Errorf("clipboard entry %+v", e)
	}
	// Sent already: found due before, it is not sent twice.
	before := len(up.names)
	if out := o.Send(ctx, One(Delivery{Client: up}), due); len(out.Jobs) != 0 || len(up.names) != before {
		t.Errorf("sent twice: %+v", out)
	}
	if _, err := jobFrom(history.Entry{Name: "gone.png"}); err == nil {
		t.Error("an entry with no file made a job")
	}
}

func TestTitleAndNoLocalCopy(t *testing.T) {
	o := newOutbox()
	dir := t.TempDir()
	up := &fakeUploader{fail: map[string]error{}}
	d := Delivery{Client: up, DropLocal: true, Title: "Shot {date} {time}"}
	job := saved(t, dir, testImage())
	o.Send(context.Background(), One(d), []Job{in(job)})
	if _, err := os.Stat(job.File); !os.IsNotExist(err) {
		t.Error("the local copy survived a successful upload")
	}
	if up.opts[0].Title != "Shot 2026-11-28 12:34:56" {
		t.Errorf("title %q", up.opts[0].Title)
	}
	job2 := saved(t, dir, testImage())
	up.fail[job2.Name] = &uploader.Error{Kind: uploader.ErrServer}
	o.Send(context.Background(), One(d), []Job{in(job2)})
	if _, err := os.Stat(job2.File); err != nil {
		t.Error("the local copy was deleted although the upload failed")
	}
	// A title given for the job wins over the template.
	delete(up.fail, job2.Name)
	o.Send(context.Background(), One(d), []Job{{Job: job2, Title: "Mine"}})
	if got := up.opts[len(up.opts)-1].Title; got != "Mine" {
		t.Errorf("given title %q", got)
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

func TestSendAndCopy(t *testing.T) {
	o := newOutbox()
	up := &fakeUploader{fail: map[string]error{}}
	clip := &fakeClip{text: "what the user had"}
	job := in(saved(t, t.TempDir(), testImage()))

	// Success: the link goes to the clipboard.
	out := o.Send(context.Background(), One(Delivery{Client: up, Link: uploader.LinkURL}), []Job{job})
	o.Copy(clip, &out)
	if out.Err != nil || len(out.Links) != 1 || clip.text != "https://i.cx/images/"+job.Name {
		t.Fatalf("%+v, clipboard %q", out, clip.text)
	}

	// A failure leaves the clipboard alone: the capture is saved.
	clip.text = "what the user had"
	up.fail[job.Name] = &uploader.Error{Kind: uploader.ErrServer, Status: 502}
	out = o.Send(context.Background(), One(Delivery{Client: up}), []Job{job})
	o.Copy(clip, &out)
	if !errors.Is(out.Err, uploader.ErrServer) || clip.text != "what the user had" {
		t.Fatalf("failure: %v, clipboard %q", out.Err, clip.text)
	}
	if len(out.Failed) != 1 || out.Failed[0].Job.Name != job.Name || !errors.Is(out.Failed[0].Err, uploader.ErrServer) {
		t.Fatalf("failed: %+v", out.Failed)
	}

	// Neither saved nor uploaded: the image goes to the clipboard.
	unsaved := job
	unsaved.File, unsaved.SaveErr = "", errors.New("disk full")
	out = o.Send(context.Background(), One(Delivery{Client: up}), []Job{unsaved})
	o.Copy(clip, &out)
	if !bytes.Equal(clip.image, job.Data) {
		t.Error("the capture is neither saved, uploaded nor on the clipboard")
	}

	// No key: nothing is sent, and the image goes to the clipboard.
	clip.image = nil
	before := len(up.names)
	out = o.Send(context.Background(), One(Delivery{}), []Job{job})
	o.Copy(clip, &out)
	if !errors.Is(out.Err, uploader.ErrNoKey) || len(up.names) != before || !bytes.Equal(clip.image, job.Data) {
		t.Fatalf("no key: %v, %d uploads, image copied %v", out.Err, len(up.names)-before, clip.image != nil)
	}

	// A clipboard that refuses is recorded; the links are in the outcome.
	delete(up.fail, job.Name)
	clip.fail = errors.New("no clipboard")
	out = o.Send(context.Background(), One(Delivery{Client: up}), []Job{job})
	o.Copy(clip, &out)
	if out.CopyErr == nil || len(out.Links) != 1 {
		t.Fatalf("copy failure: %+v", out)
	}

	// Cancelled: nothing more is sent.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before = len(up.names)
	if out = o.Send(ctx, One(Delivery{Client: up}), []Job{job, job}); !errors.Is(out.Err, context.Canceled) || len(up.names) != before || len(out.Failed) != 2 {
		t.Fatalf("cancelled: %v, %d sent, %d failed", out.Err, len(up.names)-before, len(out.Failed))
	}
}

// Jobs go each to the destination chosen when they were taken; one whose
// uploader is gone fails for good, saying so.
func TestEachJobToItsDestination(t *testing.T) {
	o := newOutbox()
	cx, custom := &fakeUploader{}, &fakeUploader{}
	dir := t.TempDir()
	a, b, c := saved(t, dir, testImage()), saved(t, dir, testImage()), saved(t, dir, testImage())
	deliveries := func(_ context.Context, dest string) (Delivery, error) {
		switch dest {
		case "":
			return Delivery{Client: cx}, nil
		case "mine":
			return Delivery{Client: custom}, nil
		}
		return Delivery{}, errors.New("no custom uploader has that name")
	}
	out := o.Send(context.Background(), deliveries, []Job{{Job: a}, {Job: b, Destination: "mine"}, {Job: c, Destination: "gone"}})
	if len(cx.names) != 1 || len(custom.names) != 1 || len(out.Links) != 2 || len(out.Failed) != 1 || !strings.Contains(out.Err.Error(), `"gone"`) {
		t.Fatalf("%v %v %+v", cx.names, custom.names, out)
	}
}

func TestDeliveryFromTheSettings(t *testing.T) {
	cfg := settings.Defaults()
	cfg.Capture.KeepLocal = false
	cfg.Upload = settings.Upload{AlbumID: "oHo", Expiration: "P1D", NSFW: true, TitleTemplate: "{window}", AlwaysLossless: true, TimeoutSeconds: 9}
	cfg.LinkFormat = "markdown"
	up := &fakeUploader{}
	d := DeliveryFrom(cfg, up)
	want := Delivery{Client: up, Link: uploader.LinkMarkdown, Options: uploader.Options{AlbumID: "oHo", Expiration: "P1D", NSFW: true},
		Title: "{window}", Lossless: true, DropLocal: true, Host: "image.cx", PerMinute: ImageCXPerMinute}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("delivery %+v", d)
	}
	cfg.Endpoint = "https://pics.example.org"
	if d := DeliveryFrom(cfg, up); d.Host != "pics.example.org" {
		t.Errorf("self-hosted: %q", d.Host)
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
	job := shot.Job{Name: "bomb.png", Data: b.Bytes(), MIME: "image/png", FromClipboard: true}
	_, _, _, err := ForUpload(job, false)
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
	o := newOutbox()
	big := make([]byte, uploader.MaxSize+1) // not an image: image.cx refuses it as too large
	copy(big, "\x89PNG\r\n\x1a\n")
	job := Job{Job: shot.Job{Name: "big.png", Data: big, MIME: "image/png", FromClipboard: true}}
	host := &bigHost{}
	if out := o.Send(context.Background(), One(Delivery{Client: host}), []Job{job}); out.Err != nil || len(out.Fitted) != 0 || len(host.names) != 1 {
		t.Fatalf("to a large host: %v, fitted %v", out.Err, out.Fitted)
	}
	cx := &fakeUploader{}
	if out := o.Send(context.Background(), One(Delivery{Client: cx}), []Job{job}); !errors.Is(out.Err, uploader.ErrTooLarge) || len(cx.names) != 0 {
		t.Fatalf("to image.cx: %v", out.Err)
	}
}

func TestSendFitsAnOversizedCapture(t *testing.T) {
	o := newOutbox()
	up := &fakeUploader{}
	job := saved(t, t.TempDir(), refdesk.Noise(1800, 1200, 5)) // about 6.5 MB as PNG
	if len(job.Data) <= uploader.MaxSize {
		t.Fatalf("the test capture is only %d bytes", len(job.Data))
	}
	out := o.Send(context.Background(), One(Delivery{Client: up}), []Job{in(job)})
	if out.Err != nil || len(out.Fitted) != 1 || !strings.HasSuffix(up.names[0], ".jpg") {
		t.Fatalf("%v %v %v", out.Err, out.Fitted, up.names)
	}
	if !strings.HasPrefix(out.Fitted[0], "uploaded as JPEG q") || !strings.HasSuffix(out.Fitted[0], "to fit 5.0 MB") {
		t.Errorf("fitted %q", out.Fitted[0])
	}
	out = o.Send(context.Background(), One(Delivery{Client: up, Lossless: true}), []Job{in(job)})
	if out.Err == nil || !strings.Contains(out.Err.Error(), "lossless only") {
		t.Errorf("lossless only: %v", out.Err)
	}
}

// No more than a host's PerMinute uploads start in any minute; each host
// is paced on its own, and one that sets none is not paced.
func TestPacePerHost(t *testing.T) {
	now := testNow
	o := &Outbox{Now: func() time.Time { return now }}
	cx := Delivery{Host: "image.cx", PerMinute: ImageCXPerMinute}
	for i := range ImageCXPerMinute {
		if d := o.pacer(cx).take(); d != 0 {
			t.Fatalf("upload %d waits %v", i+1, d)
		}
		now = now.Add(time.Second)
	}
	if d := o.pacer(cx).take(); d != 30*time.Second {
		t.Fatalf("the 31st waits %v, want until the first is a minute old", d)
	}
	if d := o.pacer(Delivery{Host: "other.example", PerMinute: 5}).take(); d != 0 {
		t.Fatalf("another host waits %v", d)
	}
	if p := o.pacer(Delivery{Host: "custom.example"}); p != nil || p.wait(context.Background()) != nil {
		t.Fatal("a host with no pace is paced")
	}
	now = now.Add(30 * time.Second)
	if d := o.pacer(cx).take(); d != 0 {
		t.Fatalf("a minute after the first: waits %v", d)
	}
}

func TestThumbnailsAreTheHistorysSize(t *testing.T) {
	if shot.ThumbSize != history.ThumbSize {
		t.Fatalf("shot makes thumbnails of %d, the history keeps %d", shot.ThumbSize, history.ThumbSize)
	}
}

// shot takes images and knows neither the history nor the hosts: none
// of its files (for any system) imports them.
func TestShotImportsNeitherHistoryNorUploader(t *testing.T) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob("../shot/*.go")
	if len(files) == 0 {
		t.Fatal("no files in ../shot")
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range src.Imports {
			switch imp.Path.Value {
			case `"imagecx/history"`, `"imagecx/uploader"`, `"imagecx/outbox"`:
				t.Errorf("%s imports %s", f, imp.Path.Value)
			}
		}
	}
}

// cancelling is an uploader that cancels its batch after the first file,
// as "Cancel the rest" does while that file is on its way.
type cancelling struct {
	fakeUploader
	cancel context.CancelCauseFunc
}

func (c *cancelling) Upload(ctx context.Context, name string, data []byte, o uploader.Options) (uploader.Result, error) {
	if o.Progress != nil {
		o.Progress(int64(len(data)/2), int64(len(data)))
	}
	if len(c.names) == 1 {
		c.cancel(ErrCancelled)
		return uploader.Result{}, ctx.Err()
	}
	return c.fakeUploader.Upload(ctx, name, data, o)
}

// A batch tells how far it is, job by job and byte by byte; cancelled,
// what was not sent is recorded as cancelled (Retry sends it), not left
// waiting for the next start, and the outcome says so.
func TestBatchProgressAndCancel(t *testing.T) {
	ctx := context.Background()
	o, store := withHistory(t)
	dir := t.TempDir()
	var taken []shot.Job
	for range 3 {
		taken = append(taken, saved(t, dir, testImage()))
	}
	jobs, _ := o.Add(ctx, taken, "", history.FromFiles, history.Saved)
	var seen []Progress
	out := o.SendWatched(ctx, One(Delivery{Client: &fakeUploader{}}), jobs, func(p Progress) { seen = append(seen, p) })
	last := seen[len(seen)-1]
	if out.Err != nil || last.Done != 3 || last.All != 3 || last.Sent != last.Total || last.Percent() != 100 || seen[0].Done != 0 || seen[0].Percent() != 0 {
		t.Fatalf("progress %+v, %v", seen, out.Err)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Sent < seen[i-1].Sent {
			t.Errorf("progress went back: %+v", seen)
		}
	}

	jobs, _ = o.Add(ctx, taken, "", history.FromFiles, history.Saved)
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	up := &cancelling{cancel: cancel}
	out = o.SendWatched(cctx, One(Delivery{Client: up}), jobs, func(Progress) {})
	if len(out.Links) != 1 || len(out.Failed) != 2 || !errors.Is(out.Err, ErrCancelled) {
		t.Fatalf("cancelled after the first: %d links, %d failed, %v", len(out.Links), len(out.Failed), out.Err)
	}
	for _, j := range jobs[1:] {
		if e, _ := store.Get(ctx, j.ID); e.State != history.Failed || !e.Permanent || e.Waits(testNow.Add(time.Hour)) {
			t.Errorf("a cancelled job: %+v", e)
		}
	}
	if n := out.Note(); n.Title != "1 of 3 uploaded, the rest cancelled" || n.Body != out.Links[0]+"\nThe 2 not sent are in the history: Retry sends them." {
		t.Errorf("note %q %q", n.Title, n.Body)
	}
}

// A file the person gave is theirs: "keep a local copy" off removes
// imagecx's own captures after the upload, never it.
func TestGivenFilesAreNeverRemoved(t *testing.T) {
	o := newOutbox()
	given := saved(t, t.TempDir(), testImage())
	given.Saved, given.Given = false, true
	out := o.Send(context.Background(), One(Delivery{Client: &fakeUploader{}, DropLocal: true, Title: "{window}"}), []Job{in(given)})
	if out.Err != nil {
		t.Fatal(out.Err)
	}
	if _, err := os.Stat(given.File); err != nil {
		t.Errorf("the person's file was removed: %v", err)
	}
}

// A capture the captures folder could not take (full) is kept in the
// history's folder until it is uploaded: a failure and a crash lose
// nothing; once uploaded, that copy goes.
func TestACaptureNotSavedIsSpooled(t *testing.T) {
	o, store := withHistory(t)
	var b bytes.Buffer
	png.Encode(&b, testImage())
	job := shot.Job{Name: "imagecx-full.png", Data: b.Bytes(), MIME: "image/png", SaveErr: errors.New("no space left on device")}
	jobs, err := o.Add(context.Background(), []shot.Job{job}, "", history.FromHotkey, history.Saved)
	if err != nil {
		t.Fatal(err)
	}
	spooled := jobs[0].File
	if spooled == "" || !store.Spooled(spooled) {
		t.Fatalf("not spooled: %q", spooled)
	}
	if e, _ := store.Get(context.Background(), jobs[0].ID); e.File != spooled {
		t.Errorf("the history has %q", e.File)
	}
	down := &fakeUploader{fail: map[string]error{"imagecx-full.png": &uploader.Error{Kind: uploader.ErrServer, Status: 503}}}
	out := o.Send(context.Background(), One(Delivery{Client: down}), jobs)
	if _, err := os.Stat(spooled); err != nil || !strings.Contains(out.Note().Body, spooled) {
		t.Fatalf("after a failure: %v; %q", err, out.Note().Body)
	}
	out = o.Send(context.Background(), One(Delivery{Client: &fakeUploader{}}), jobs)
	if out.Err != nil {
		t.Fatal(out.Err)
	}
	if _, err := os.Stat(spooled); !os.IsNotExist(err) {
		t.Error("the spooled copy outlived the upload")
	}
	if !strings.Contains(out.Note().Body, "No copy is kept") {
		t.Errorf("the note does not say the captures folder failed: %q", out.Note().Body)
	}
}
