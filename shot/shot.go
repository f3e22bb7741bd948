// Package shot is the one pipeline every capture goes through, whoever
// asked for it (a hotkey, the tray menu, the command line):
//
//	capture → encode (PNG) → save to the captures folder → upload →
//	link on the clipboard → notification
//
// The capture is on disk before the upload starts, so a failed upload loses
// nothing; without a key the image itself goes to the clipboard.
package shot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"imagecx/encode"

	_ "golang.org/x/image/bmp" // clipboard images that must be fitted
	_ "golang.org/x/image/webp"

	"imagecx/capture"
	"imagecx/clipboard"
	"imagecx/explain"
	"imagecx/notify"
	"imagecx/uploader"
)

// Uploader is what the pipeline needs of the image.cx client.
type Uploader interface {
	Upload(ctx context.Context, name string, data []byte, o uploader.Options) (uploader.Result, error)
}

// Clipboard is what the pipeline needs of the clipboard.
type Clipboard interface {
	SetText(text string) error
	SetImage(mime string, data []byte) error
	Read(ctx context.Context) (clipboard.Content, error)
}

// Notifier shows notifications.
type Notifier interface {
	Notify(ctx context.Context, n notify.Note) error
}

// Prefs are the settings a delivery reads, fetched per job so a change in
// Settings applies to the next upload.
type Prefs struct {
	Client  Uploader // nil when no key is set
	Format  uploader.LinkFormat
	Options uploader.Options
	Notify  bool
	Sound   bool // the capture sound with a successful upload
	// Lossless refuses to convert a capture that is over the size limit
	// (see Fit).
	Lossless bool
	// DropLocal deletes the saved capture once it is uploaded.
	DropLocal bool
	// Title names uploads; "{date}" and "{time}" are replaced.
	Title string
}

// Format is how captures are encoded.
type Format = encode.Format

// Pipeline captures and delivers. Its fields are fixed once it runs.
type Pipeline struct {
	Screen capture.Screen
	Mode   func() capture.Mode
	Format func() Format // nil means PNG
	Dir    func() string // captures folder
	Clip   Clipboard
	Notes  Notifier
	Prefs  func() Prefs
	Log    *slog.Logger
	Now    func() time.Time

	uplink uplink
}

// Job is one image waiting to be uploaded.
type Job struct {
	Name string // file name sent to the server
	Data []byte
	MIME string
	Img  image.Image // the decoded capture, kept for Fit; nil for files
	// Window is the focused window's title when the capture was taken.
	Window string
	File   string // where it is saved; "" when it lives elsewhere (a copied file) or saving failed
	// SaveErr is why it could not be saved, if it could not.
	SaveErr error
	// FromClipboard marks clipboard uploads (nothing to save: it came from
	// somewhere already).
	FromClipboard bool
}

// Outcome is what a delivery did.
type Outcome struct {
	Jobs    []Job
	Results []uploader.Result
	Links   []string // formatted, one per uploaded job
	Fitted  []string // what was done to fit the size limit, per converted job
	Err     error    // the first failure; Results holds the successes
	CopyErr error    // the links could not be put on the clipboard
	Note    notify.Note
}

// ErrNoImage is the clipboard holding no image or image file.
var ErrNoImage = errors.New("the clipboard holds no image")

// CaptureFull captures the screen as configured, encodes it and saves it.
// Only a failed capture is an error: a failed save is recorded in the Job
// and reported after the upload.
func (p *Pipeline) CaptureFull(ctx context.Context) (Job, error) {
	job, err := p.Grab(ctx)
	if err != nil {
		return Job{}, err
	}
	return p.Keep(job), nil
}

// Grab captures the screen as configured and encodes it, without saving.
func (p *Pipeline) Grab(ctx context.Context) (Job, error) {
	r, err := capture.Area(p.Screen, p.Mode())
	if err != nil {
		return Job{}, fmt.Errorf("capture the screen: %w", err)
	}
	return p.shoot(r)
}

// CaptureRect captures r of the screen as it is now (repeat last region),
// encodes it and saves it.
func (p *Pipeline) CaptureRect(ctx context.Context, r image.Rectangle) (Job, error) {
	job, err := p.shoot(r)
	if err != nil {
		return Job{}, err
	}
	return p.Keep(job), nil
}

// shoot captures r and encodes it while the rows arrive.
func (p *Pipeline) shoot(r image.Rectangle) (Job, error) {
	job, err := p.shootImage(r)
	if t, ok := p.Screen.(capture.Titler); ok && err == nil {
		job.Window = t.ActiveTitle()
	}
	return job, err
}

func (p *Pipeline) shootImage(r image.Rectangle) (Job, error) {
	if f := p.format(); f.Kind != "png" {
		img, err := p.Screen.Capture(r)
		if err != nil {
			return Job{}, fmt.Errorf("capture the screen: %w", err)
		}
		return p.Encode(img)
	}
	start := time.Now()
	img, data, err := capturePNG(p.Screen, r, p.pngOptions())
	if err != nil {
		return Job{}, fmt.Errorf("capture the screen: %w", err)
	}
	p.Log.Info("captured", "size", img.Rect.Size().String(), "ms", time.Since(start).Milliseconds(), "bytes", len(data))
	return Job{Name: FileName(p.Now(), ".png"), Data: data, MIME: "image/png", Img: img}, nil
}

// capturePNG reads r of the screen and encodes it as PNG at the same
// time: each band is encoded as soon as its rows have arrived.
func capturePNG(s capture.Screen, r image.Rectangle, o encode.PNGOptions) (*image.RGBA, []byte, error) {
	r = r.Intersect(s.Bounds())
	if r.Empty() {
		return nil, nil, fmt.Errorf("the area is outside the screen %v", s.Bounds())
	}
	img := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	png := encode.StartPNG(img, o)
	if err := s.CaptureInto(img, r, png.Rows); err != nil {
		png.Fail(err)
		png.Wait()
		return nil, nil, err
	}
	png.Rows(r.Dy())
	data, err := png.Wait()
	return img, data, err
}

func (p *Pipeline) pngOptions() encode.PNGOptions {
	return encode.PNGOptions{Fast: p.uplink.fast()}
}

// Encode turns an image (a capture, or a crop of the frozen screen) into
// a Job, not yet saved.
func (p *Pipeline) Encode(img image.Image) (Job, error) {
	e, err := encode.Image(img, p.format(), p.pngOptions())
	if err != nil {
		return Job{}, fmt.Errorf("encode the capture: %w", err)
	}
	return Job{Name: FileName(p.Now(), e.Ext), Data: e.Data, MIME: e.MIME, Img: img}, nil
}

func (p *Pipeline) format() Format {
	f := Format{Kind: "png"}
	if p.Format != nil {
		f = p.Format()
	}
	if f.Quality < 1 || f.Quality > 100 {
		f.Quality = 90
	}
	return f
}

// Title expands a title template: "{date}" → 2006-01-02, "{time}" →
// 15:04:05, "{window}" → the focused window's title.
func Title(template string, t time.Time, window string) string {
	s := strings.NewReplacer("{date}", t.Format("2006-01-02"), "{time}", t.Format("15:04:05"), "{window}", window).Replace(template)
	return strings.Join(strings.Fields(s), " ") // an empty {window} leaves no double space
}

// Keep saves job in the captures folder.
func (p *Pipeline) Keep(job Job) Job {
	start := time.Now()
	job.File, job.SaveErr = Save(p.Dir(), job.Name, job.Data)
	if job.SaveErr != nil {
		p.Log.Warn("capture not saved", "err", job.SaveErr)
	} else {
		p.Log.Info("saved", "file", job.File, "ms", time.Since(start).Milliseconds())
	}
	return job
}

// FileName is "imagecx-2006-01-02_15-04-05.png": sortable, and valid on
// every file system.
func FileName(t time.Time, ext string) string {
	return "imagecx-" + t.Format("2006-01-02_15-04-05") + ext
}

// Save writes data into dir under name, never over an existing file
// ("name-2.png" and so on), and returns the path.
func Save(dir, name string, data []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create the captures folder: %w", err)
	}
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		path := filepath.Join(dir, name)
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d%s", base, i, ext))
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("save the capture: %w", err)
		}
		_, werr := f.Write(data)
		if serr := f.Sync(); werr == nil {
			werr = serr
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(path) // a half-written file is worse than none
			return "", fmt.Errorf("save the capture to %s: %w", dir, werr)
		}
		return path, nil
	}
	return "", fmt.Errorf("save the capture: too many files named %s in %s", name, dir)
}

// ClipboardJobs reads the clipboard: image data becomes one job, copied
// image files one job each. Text or nothing gives ErrNoImage.
func (p *Pipeline) ClipboardJobs(ctx context.Context) ([]Job, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	c, err := p.Clip.Read(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the clipboard: %w", err)
	}
	switch c.Kind {
	case clipboard.Image:
		return []Job{{Name: FileName(p.Now(), uploader.Ext(c.MIME)), Data: c.Image, MIME: c.MIME, FromClipboard: true}}, nil
	case clipboard.Files:
		var jobs []Job
		var errs []error
		for _, f := range c.Files {
			data, err := uploader.ReadFile(f, uploader.MaxSize)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", filepath.Base(f), err))
				continue
			}
			jobs = append(jobs, Job{Name: filepath.Base(f), Data: data, MIME: uploader.Sniff(data), File: f, FromClipboard: true})
		}
		if len(jobs) == 0 {
			return nil, fmt.Errorf("%w: %w", ErrNoImage, errors.Join(errs...))
		}
		return jobs, nil
	}
	return nil, ErrNoImage
}

// Deliver uploads the jobs in order, puts the links on the clipboard (one per
// line) and shows one notification. Without a key, a single capture goes to
// the clipboard as an image instead.
func (p *Pipeline) Deliver(ctx context.Context, jobs []Job) Outcome {
	prefs := p.Prefs()
	out := Outcome{Jobs: jobs}
	if prefs.Client == nil {
		if len(jobs) == 1 && !jobs[0].FromClipboard {
			if err := p.Clip.SetImage(jobs[0].MIME, jobs[0].Data); err != nil {
				p.Log.Warn("image not copied", "err", err)
			}
		}
		out.Err = uploader.ErrNoKey
		out.Note = NoKeyNote(jobs)
		p.notify(ctx, prefs, out.Note, true)
		return out
	}
	for _, job := range jobs {
		name, data, how, err := job.ForUpload(prefs.Lossless)
		if err != nil {
			p.Log.Warn("too large to upload", "name", job.Name, "err", err)
			if out.Err == nil {
				out.Err = err
			}
			continue
		}
		if how != "" {
			out.Fitted = append(out.Fitted, how)
		}
		start := time.Now()
		o := prefs.Options
		if prefs.Title != "" && !job.FromClipboard {
			o.Title = Title(prefs.Title, p.Now(), job.Window)
		}
		res, err := prefs.Client.Upload(ctx, name, data, o)
		if err != nil {
			p.Log.Warn("upload failed", "name", job.Name, "err", err)
			if out.Err == nil {
				out.Err = err
			}
			continue
		}
		p.uplink.observe(len(data), time.Since(start))
		if prefs.DropLocal && job.File != "" && !job.FromClipboard {
			os.Remove(job.File) // uploaded: the user asked for no local copy
		}
		p.Log.Info("uploaded", "name", name, "url", res.Link(), "bytes", len(data), "ms", time.Since(start).Milliseconds())
		out.Results = append(out.Results, res)
		out.Links = append(out.Links, uploader.FormatLink(res, prefs.Format))
	}
	if len(out.Links) > 0 {
		if err := p.Clip.SetText(strings.Join(out.Links, "\n")); err != nil {
			p.Log.Warn("link not copied", "err", err)
			out.CopyErr = err
		}
	}
	// Nothing may be lost: a capture that is neither saved nor uploaded
	// goes to the clipboard as an image.
	if out.Err != nil && len(jobs) == 1 && jobs[0].File == "" && !jobs[0].FromClipboard {
		if err := p.Clip.SetImage(jobs[0].MIME, jobs[0].Data); err != nil {
			p.Log.Error("capture neither saved, uploaded nor copied", "err", err)
		}
	}
	out.Note = ResultNote(out)
	if prefs.Sound && out.Err == nil {
		out.Note.Sound = "screen-capture"
	}
	p.notify(ctx, prefs, out.Note, out.Err != nil)
	return out
}

// notify shows n unless notifications are off (failures always show).
func (p *Pipeline) notify(ctx context.Context, prefs Prefs, n notify.Note, failure bool) {
	if !prefs.Notify && !failure {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := p.Notes.Notify(ctx, n); err != nil {
		p.Log.Warn("notification not shown", "title", n.Title, "body", n.Body, "err", err)
	}
}

// Notify shows a note outside a delivery (e.g. "the clipboard holds no image").
func (p *Pipeline) Notify(ctx context.Context, n notify.Note) {
	p.notify(ctx, Prefs{Notify: true}, n, true)
}

// ForUpload returns the name and bytes to upload — the job as it is when
// it fits the host's limit, else converted by Fit — and what was done.
func (job Job) ForUpload(lossless bool) (name string, data []byte, how string, err error) {
	if int64(len(job.Data)) <= uploader.MaxSize {
		return job.Name, job.Data, "", nil
	}
	img := job.Img
	if img == nil {
		if img, _, err = image.Decode(bytes.NewReader(job.Data)); err != nil {
			return "", nil, "", &uploader.Error{Kind: uploader.ErrTooLarge, Detail: fmt.Sprintf("%s, over the %s limit", explain.Size(int64(len(job.Data))), explain.Size(uploader.MaxSize))}
		}
	}
	f, err := encode.Fit(img, nil, uploader.MaxSize, lossless) // job.Data is already known to be too large
	if err != nil {
		return "", nil, "", &uploader.Error{Kind: uploader.ErrTooLarge, Detail: err.Error(), Err: err}
	}
	return strings.TrimSuffix(job.Name, filepath.Ext(job.Name)) + f.Ext, f.Data, f.How, nil
}
