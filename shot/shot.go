// Package shot is the one pipeline every capture goes through, whoever
// asked for it (a hotkey, the tray menu, the command line, a command
// handed over by another imagecx):
//
//	Capture (the screen, encoded while its rows arrive)
//	  or Encode (an image picked in the overlay or the desktop's dialog)
//	  or FromClipboard (an image or image files copied elsewhere)
//	→ Save (the captures folder, before anything is sent)
//	→ Deliver (fitted to the size limit, uploaded, links formatted)
//	→ Copy (the links, or the image itself when nothing else kept it, to
//	  the clipboard)
//
// The steps take what they need of the settings as values (Setup,
// Delivery), read nothing from disk on their own, and leave what to tell
// the person to the caller: the tray app notifies, the command line prints.
package shot

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"imagecx/filetype"
	"imagecx/i18n"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "golang.org/x/image/bmp" // clipboard images that must be fitted
	_ "golang.org/x/image/webp"

	"imagecx/capture"
	"imagecx/clipboard"
	"imagecx/encode"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/internal/regular"
	"imagecx/internal/shrink"
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

// Setup is what a capture takes from the settings.
type Setup struct {
	Mode   capture.Mode  // what a full-screen capture covers
	Format encode.Format // PNG, JPEG or lossless WebP
	Dir    string        // the captures folder
}

// Delivery is what an upload takes from the settings.
type Delivery struct {
	Client  Uploader // nil when no key is set
	Link    uploader.LinkFormat
	Options uploader.Options
	// Title names uploads from a template ("{window} {date}"); "" lets
	// the server take the file name.
	Title string
	// Lossless refuses to convert a capture over the size limit to JPEG.
	Lossless bool
	// DropLocal deletes a saved capture once it is uploaded.
	DropLocal bool
}

// Pipeline captures, saves and delivers. One capture and one delivery may
// run at the same time (the tray app has a worker for each).
type Pipeline struct {
	Screen capture.Screen // nil where only a picker reads the screen (Wayland)
	Log    *slog.Logger
	Now    func() time.Time
	// History records every job and its upload; nil records nothing.
	History *history.Store

	uplink uplink
	pace   pace
}

// Job is one image on its way to the server. It holds the encoded image
// only: a waiting 4K capture is a few megabytes, not the 33 MB of its
// pixels, which ForUpload decodes again in the rare case they are needed.
type Job struct {
	// ID is its entry in the history; 0 when it is not recorded.
	ID   int64
	Name string // file name sent to the server
	Data []byte
	MIME string
	// Width and Height are the image's size, when known.
	Width, Height int
	// Thumb is a small copy (history.ThumbSize) for the history and the
	// notification; nil when there is none.
	Thumb *image.RGBA
	// Window is the focused window's title when the capture was taken.
	Window string
	File   string // where it is saved; "" when it lives elsewhere (a copied file) or saving failed
	// SaveErr is why it could not be saved, if it could not.
	SaveErr error
	// FromClipboard marks clipboard uploads (nothing to save: it came from
	// somewhere already).
	FromClipboard bool
	// Destination is where it goes: the custom uploader chosen when it was
	// taken, "" for image.cx.
	Destination string

	saved  bool  // Save wrote it (and Record is to say so)
	saveMS int64 // how long Save took
}

// Outcome is what a delivery did.
type Outcome struct {
	Jobs    []Job
	Results []uploader.Result
	Links   []string // formatted, one per uploaded job
	Fitted  []string // what was done to fit the size limit, per converted job
	Err     error    // the first failure; Results holds the successes
	Failed  []Failure
	CopyErr error // Copy could not put the links on the clipboard
}

// Failure is a job that was not uploaded, and why.
type Failure struct {
	Job Job
	Err error
}

// ErrNoImage is the clipboard holding no image or image file.
var ErrNoImage error = i18n.Errorf("the clipboard holds no image")

// Capture reads area of the screen (the empty rectangle: everything s.Mode
// covers) and encodes it in s.Format, PNG while the rows arrive. The
// result is not saved yet.
func (p *Pipeline) Capture(ctx context.Context, s Setup, area image.Rectangle) (Job, error) {
	if p.Screen == nil {
		return Job{}, capture.ErrUnsupported
	}
	if err := ctx.Err(); err != nil {
		return Job{}, err
	}
	if area.Empty() {
		var err error
		if area, err = capture.Area(p.Screen, s.Mode); err != nil {
			return Job{}, fmt.Errorf("capture the screen: %w", err)
		}
	}
	window := ""
	if t, ok := p.Screen.(capture.Titler); ok {
		window = t.ActiveTitle()
	}
	if s.Format.Kind != "png" && s.Format.Kind != "" {
		img, err := p.Screen.Capture(ctx, area)
		if err != nil {
			return Job{}, fmt.Errorf("capture the screen: %w", err)
		}
		return p.Encode(s, img, window)
	}
	start := time.Now()
	img, data, err := capturePNG(ctx, p.Screen, area, p.pngOptions())
	if err != nil {
		return Job{}, fmt.Errorf("capture the screen: %w", err)
	}
	p.Log.Info("captured", "size", img.Rect.Size().String(), "ms", time.Since(start).Milliseconds(), "bytes", len(data))
	return Job{Name: FileName(p.Now(), ".png"), Data: data, MIME: "image/png", Window: window,
		Width: img.Rect.Dx(), Height: img.Rect.Dy(), Thumb: shrink.Thumbnail(img, history.ThumbSize)}, nil
}

// Grab reads everything s.Mode covers as an image, not encoded: for the
// editor, which draws on it before anything is kept.
func (p *Pipeline) Grab(ctx context.Context, s Setup) (*image.RGBA, error) {
	if p.Screen == nil {
		return nil, capture.ErrUnsupported
	}
	area, err := capture.Area(p.Screen, s.Mode)
	if err != nil {
		return nil, fmt.Errorf("capture the screen: %w", err)
	}
	img, err := p.Screen.Capture(ctx, area)
	if err != nil {
		return nil, fmt.Errorf("capture the screen: %w", err)
	}
	return img, nil
}

// ImageOf decodes the first job that holds an image (clipboard data, or
// a copied file) for the editor; one larger than MaxFitPixels is refused
// before it is decoded.
func ImageOf(jobs []Job) (*image.RGBA, error) {
	var errs []error
	for _, job := range jobs {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(job.Data))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", job.Name, err))
			continue
		}
		if int64(cfg.Width)*int64(cfg.Height) > MaxFitPixels {
			errs = append(errs, i18n.Errorf("{{.file}} is {{.width}}×{{.height}} pixels, more than the editor opens", "file", job.Name, "width", cfg.Width, "height", cfg.Height))
			continue
		}
		src, _, err := image.Decode(bytes.NewReader(job.Data))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", job.Name, err))
			continue
		}
		b := src.Bounds()
		img := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(img, img.Rect, src, b.Min, draw.Src)
		return img, nil
	}
	return nil, fmt.Errorf("%w: %w", ErrNoImage, errors.Join(errs...))
}

// capturePNG reads r of the screen and encodes it as PNG at the same
// time: each band is encoded as soon as its rows have arrived.
func capturePNG(ctx context.Context, s capture.Screen, r image.Rectangle, o encode.PNGOptions) (*image.RGBA, []byte, error) {
	r = r.Intersect(s.Bounds())
	if r.Empty() {
		return nil, nil, i18n.Errorf("the area is outside the screen {{.screen}}", "screen", s.Bounds())
	}
	img := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	png := encode.StartPNG(img, o)
	if err := s.CaptureInto(ctx, img, r, png.Rows); err != nil {
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

// Encode turns an image picked in the overlay or the desktop's dialog into
// a Job in s.Format, not saved yet.
func (p *Pipeline) Encode(s Setup, img image.Image, window string) (Job, error) {
	e, err := encode.Image(img, s.Format, p.pngOptions())
	if err != nil {
		return Job{}, fmt.Errorf("encode the capture: %w", err)
	}
	b := img.Bounds()
	return Job{Name: FileName(p.Now(), e.Ext), Data: e.Data, MIME: e.MIME, Window: window,
		Width: b.Dx(), Height: b.Dy(), Thumb: shrink.Thumbnail(img, history.ThumbSize)}, nil
}

// Save writes job into the captures folder, fsynced, before anything is
// sent. A failure is recorded in the Job (the capture then still goes to
// the server, and to the clipboard if that fails too). "saved" is logged
// by Record, once the capture is in the history as well.
func (p *Pipeline) Save(s Setup, job Job) Job {
	start := time.Now()
	job.File, job.SaveErr = SaveFile(s.Dir, job.Name, job.Data)
	job.saveMS = time.Since(start).Milliseconds()
	job.saved = job.SaveErr == nil
	if job.SaveErr != nil {
		p.Log.Warn("capture not saved", "err", job.SaveErr)
	}
	return job
}

// Title expands a title template: "{date}" → 2006-01-02, "{time}" →
// 15:04:05, "{window}" → the focused window's title.
func Title(template string, t time.Time, window string) string {
	s := strings.NewReplacer("{date}", t.Format("2006-01-02"), "{time}", t.Format("15:04:05"), "{window}", window).Replace(template)
	return strings.Join(strings.Fields(s), " ") // an empty {window} leaves no double space
}

// FileName is "imagecx-2006-01-02_15-04-05.png": sortable, and valid on
// every file system.
func FileName(t time.Time, ext string) string {
	return "imagecx-" + t.Format("2006-01-02_15-04-05") + ext
}

// SaveFile writes data into dir under name, never over an existing file
// ("name-2.png" and so on), fsynced, and returns the path. Screenshots
// show whatever was on the screen: the file is the user's alone (0600),
// and a folder it makes is too (0700).
func SaveFile(dir, name string, data []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create the captures folder: %w", err)
	}
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		path := filepath.Join(dir, name)
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d%s", base, i, ext))
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
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
			return "", fmt.Errorf("save the capture: %w", werr)
		}
		return path, nil
	}
	return "", i18n.Errorf("save the capture: too many files named {{.name}} in {{.dir}}", "name", name, "dir", dir)
}

// Record puts jobs in the history, from source, in state (history.Saved:
// queued for upload; history.Uploading: this process's to upload, which
// no tray app takes over while it runs; history.Local: not to be
// uploaded), and returns them with their ids. An image that exists
// nowhere else (from the clipboard) is spooled to disk first, so the
// queue outlives the app. A job that cannot be recorded still goes on in
// memory; the first error says why.
func (p *Pipeline) Record(ctx context.Context, jobs []Job, source history.Source, state history.State) ([]Job, error) {
	if p.History == nil {
		for _, j := range jobs {
			p.logSaved(j)
		}
		return jobs, nil
	}
	var first error
	for i := range jobs {
		j := &jobs[i]
		if j.File == "" && j.FromClipboard {
			if path, err := p.History.Spool(j.Name, j.Data); err == nil {
				j.File = path
			} else {
				p.Log.Warn("clipboard image not spooled", "err", err)
			}
		}
		sum := sha256.Sum256(j.Data)
		id, err := p.History.Add(ctx, history.Entry{Source: source, Name: j.Name, File: j.File, SHA256: hex.EncodeToString(sum[:]),
			Bytes: int64(len(j.Data)), Width: j.Width, Height: j.Height, MIME: j.MIME, Window: j.Window, State: state, Destination: j.Destination})
		if err != nil {
			p.Log.Warn("not recorded in the history", "err", err)
			first = cmp.Or(first, err)
			p.logSaved(*j)
			continue
		}
		j.ID = id
		p.logSaved(*j)
		if j.Thumb != nil {
			if err := p.History.SaveThumb(id, j.Thumb); err != nil {
				p.Log.Warn("thumbnail not kept", "err", err)
			}
		}
	}
	return jobs, first
}

// logSaved says that j is on disk (and, with an ID, in the history): a
// process killed after this line loses nothing of j.
func (p *Pipeline) logSaved(j Job) {
	if j.saved {
		p.Log.Info("saved", "file", j.File, "id", j.ID, "ms", j.saveMS)
	}
}

// JobFrom is the job of a history entry that waits for an upload (after
// a restart): its bytes are read from its file.
func JobFrom(e history.Entry) (Job, error) {
	if e.File == "" {
		return Job{}, i18n.Errorf("{{.name}} was not saved anywhere, so it cannot be uploaded again", "name", e.Name)
	}
	data, err := regular.Read(e.File, maxResumed)
	if err != nil {
		return Job{}, fmt.Errorf("read %s: %w", e.Name, err)
	}
	return Job{ID: e.ID, Name: e.Name, Data: data, MIME: cmp.Or(e.MIME, filetype.Sniff(data)), Width: e.Width, Height: e.Height,
		Window: e.Window, File: e.File, FromClipboard: e.Source == history.FromClipboard, Destination: e.Destination}, nil
}

// maxResumed bounds a file read back for an upload.
const maxResumed = 256 << 20

// FromClipboard reads the clipboard: image data becomes one job, copied
// image files one job each. Text or nothing gives ErrNoImage.
func (p *Pipeline) FromClipboard(ctx context.Context, clip Clipboard) ([]Job, error) {
	c, err := clip.Read(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the clipboard: %w", err)
	}
	switch c.Kind {
	case clipboard.Image:
		return []Job{{Name: FileName(p.Now(), filetype.Ext(c.MIME)), Data: c.Image, MIME: c.MIME, FromClipboard: true}}, nil
	case clipboard.Files:
		var jobs []Job
		var errs []error
		for _, f := range c.Files {
			data, err := uploader.ReadFile(f, uploader.MaxSize)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", filepath.Base(f), err))
				continue
			}
			jobs = append(jobs, Job{Name: filepath.Base(f), Data: data, MIME: filetype.Sniff(data), File: f, FromClipboard: true})
		}
		if len(jobs) == 0 {
			return nil, fmt.Errorf("%w: %w", ErrNoImage, errors.Join(errs...))
		}
		return jobs, nil
	}
	return nil, ErrNoImage
}

// Deliver uploads the jobs in order, each fitted to the size limit, and
// formats their links. Without a client (no key) nothing is sent and Err
// is uploader.ErrNoKey.
func (p *Pipeline) Deliver(ctx context.Context, d Delivery, jobs []Job) Outcome {
	out := Outcome{Jobs: jobs}
	if d.Client == nil {
		out.Err = &uploader.Error{Kind: uploader.ErrNoKey, Said: uploader.NoKeyHint}
		for _, job := range jobs {
			out.Failed = append(out.Failed, Failure{Job: job, Err: out.Err})
		}
		return out
	}
	fail := func(job Job, err error) {
		if out.Err == nil {
			out.Err = err
		}
		out.Failed = append(out.Failed, Failure{Job: job, Err: err})
	}
	for i, job := range jobs {
		if err := ctx.Err(); err != nil {
			for _, rest := range jobs[i:] {
				fail(rest, err)
			}
			break
		}
		// Fitted to image.cx's limit only above the host's own: a custom
		// uploader's host takes its files as they are.
		name, data, how, err := job.Name, job.Data, "", error(nil)
		if int64(len(job.Data)) > maxSize(d.Client) {
			name, data, how, err = job.ForUpload(d.Lossless)
		}
		if err != nil {
			p.Log.Warn("too large to upload", "name", job.Name, "err", err)
			fail(job, err)
			continue
		}
		if how != "" {
			out.Fitted = append(out.Fitted, how)
		}
		o := d.Options
		if d.Title != "" && !job.FromClipboard {
			o.Title = Title(d.Title, p.Now(), job.Window)
		}
		if err := p.pace.wait(ctx); err != nil {
			fail(job, err)
			continue
		}
		if p.History != nil && job.ID != 0 {
			err := p.History.Uploading(ctx, job.ID, o.Title)
			if errors.Is(err, history.ErrSetAside) {
				p.Log.Warn("upload set aside: the app stopped twice while sending it", "id", job.ID, "name", job.Name)
				fail(job, err)
				continue
			}
			if err != nil {
				p.Log.Warn("history not updated", "id", job.ID, "err", err)
			}
		}
		if p.History != nil && job.ID != 0 {
			id := job.ID
			o.Answered = func() { p.History.Answering(context.WithoutCancel(ctx), id) }
		}
		start := time.Now()
		res, err := d.Client.Upload(ctx, name, data, o)
		if err != nil {
			p.Log.Warn("upload failed", "name", job.Name, "err", err)
			if ctx.Err() == nil {
				p.history(job, func(h *history.Store) error {
					return h.Fail(context.WithoutCancel(ctx), job.ID, explain.Error(err), !uploader.IsTemporary(err), time.Time{})
				})
			} else { // quitting: sent again at the next start
				p.history(job, func(h *history.Store) error { return h.Requeue(context.WithoutCancel(ctx), job.ID) })
			}
			fail(job, err)
			continue
		}
		p.history(job, func(h *history.Store) error { return h.Done(context.WithoutCancel(ctx), job.ID, name, res) })
		p.uplink.observe(len(data), time.Since(start))
		switch {
		case p.History != nil && p.History.Spooled(job.File):
			os.Remove(job.File) // uploaded: the spooled copy of a clipboard image is done with
			p.history(job, func(h *history.Store) error { return h.Moved(ctx, job.ID, "") })
		case d.DropLocal && job.File != "" && !job.FromClipboard:
			os.Remove(job.File) // uploaded: the user asked for no local copy
			p.history(job, func(h *history.Store) error { return h.Moved(ctx, job.ID, "") })
		}
		p.Log.Info("uploaded", "name", name, "url", res.Link(), "bytes", len(data), "ms", time.Since(start).Milliseconds())
		out.Results = append(out.Results, res)
		out.Links = append(out.Links, uploader.FormatLink(res, d.Link))
	}
	return out
}

// To sets where jobs go: a custom uploader's name, "" for image.cx.
func To(jobs []Job, destination string) []Job {
	for i := range jobs {
		jobs[i].Destination = destination
	}
	return jobs
}

// DeliverEach delivers jobs each to its own destination (Job.Destination),
// as deliveries says to deliver there, in order; a destination that
// cannot be used any more (its uploader was removed) fails its jobs for
// good, saying why.
func (p *Pipeline) DeliverEach(ctx context.Context, deliveries func(context.Context, string) (Delivery, error), jobs []Job) Outcome {
	var out Outcome
	for len(jobs) > 0 {
		dest := jobs[0].Destination
		var group, rest []Job
		for _, j := range jobs {
			if j.Destination == dest {
				group = append(group, j)
			} else {
				rest = append(rest, j)
			}
		}
		jobs = rest
		d, err := deliveries(ctx, dest)
		var o Outcome
		if err != nil {
			if dest != "" {
				err = fmt.Errorf("the custom uploader %q chosen when it was taken cannot be used: %w", dest, err)
			}
			o = Outcome{Jobs: group, Err: err}
			for _, j := range group {
				o.Failed = append(o.Failed, Failure{Job: j, Err: err})
				p.history(j, func(h *history.Store) error { return h.Fail(ctx, j.ID, explain.Error(err), true, time.Time{}) })
			}
		} else {
			o = p.Deliver(ctx, d, group)
		}
		out.Jobs = append(out.Jobs, o.Jobs...)
		out.Results = append(out.Results, o.Results...)
		out.Links = append(out.Links, o.Links...)
		out.Fitted = append(out.Fitted, o.Fitted...)
		out.Failed = append(out.Failed, o.Failed...)
		out.Err = cmp.Or(out.Err, o.Err)
	}
	return out
}

// history runs fn on the history for a recorded job; a failure is logged
// (the upload itself goes on).
func (p *Pipeline) history(job Job, fn func(*history.Store) error) {
	if p.History == nil || job.ID == 0 {
		return
	}
	if err := fn(p.History); err != nil {
		p.Log.Warn("history not updated", "id", job.ID, "err", err)
	}
}

// Copy puts what a delivery produced on the clipboard: the links, one per
// line. When a single capture was not uploaded because there is no key, or
// was neither saved nor uploaded, the image itself goes there instead, so
// nothing is lost. A failed copy of the links is kept in out.CopyErr.
func (p *Pipeline) Copy(clip Clipboard, out *Outcome) {
	if len(out.Links) > 0 {
		if err := clip.SetText(strings.Join(out.Links, "\n")); err != nil {
			p.Log.Warn("link not copied", "err", err)
			out.CopyErr = err
		}
		return
	}
	if out.Err == nil || len(out.Jobs) != 1 || out.Jobs[0].FromClipboard {
		return
	}
	job := out.Jobs[0]
	if job.File != "" && !errors.Is(out.Err, uploader.ErrNoKey) {
		return // saved: the notification says where
	}
	if err := clip.SetImage(job.MIME, job.Data); err != nil {
		if job.File == "" {
			p.Log.Error("capture neither saved, uploaded nor copied", "err", err)
		} else {
			p.Log.Warn("image not copied", "err", err)
		}
	}
}

// maxSize is the largest file the client's host takes.
func maxSize(c Uploader) int64 {
	if s, ok := c.(interface{ MaxSize() int64 }); ok {
		return s.MaxSize()
	}
	return uploader.MaxSize
}

// ForUpload returns the name and bytes to upload — the job as it is when
// it fits the host's limit, else converted by encode.Fit — and what was
// done. An image too large to convert within the tray app's memory
// (MaxFitPixels; a small PNG can hold a huge one) is refused before it is
// decoded.
func (job Job) ForUpload(lossless bool) (name string, data []byte, how string, err error) {
	if int64(len(job.Data)) <= uploader.MaxSize {
		return job.Name, job.Data, "", nil
	}
	tooLarge := uploader.TooLarge(int64(len(job.Data)), uploader.MaxSize)
	cfg, _, err := image.DecodeConfig(bytes.NewReader(job.Data))
	if err != nil {
		return "", nil, "", tooLarge
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxFitPixels {
		tooLarge.Said = i18n.Say("{{.size}}; at {{.width}}×{{.height}} pixels it is also too large to convert here (up to {{.mp}} megapixels, such as 7680×4320)",
			"size", tooLarge.Said.Local(), "width", cfg.Width, "height", cfg.Height, "mp", MaxFitPixels/1_000_000)
		return "", nil, "", tooLarge
	}
	img, _, err := image.Decode(bytes.NewReader(job.Data))
	if err != nil {
		return "", nil, "", tooLarge
	}
	var png []byte
	if job.MIME == "image/png" {
		png = job.Data
	}
	f, err := encode.Fit(img, png, uploader.MaxSize, lossless)
	if err != nil {
		return "", nil, "", &uploader.Error{Kind: uploader.ErrTooLarge, Detail: err.Error(), Err: err}
	}
	return strings.TrimSuffix(job.Name, filepath.Ext(job.Name)) + f.Ext, f.Data, f.How, nil
}

// MaxFitPixels bounds the images converted to fit the size limit: 8K
// (7680×4320), whose pixels alone are 133 MB.
const MaxFitPixels = 7680 * 4320
