// Package shot takes the images, whoever asked for them (a hotkey, the
// tray menu, the command line, a command handed over by another
// imagecx):
//
//	Capture (the screen, encoded while its rows arrive)
//	  or Encode (an image picked in the overlay or the desktop's dialog)
//	  or FromClipboard (an image or image files copied elsewhere)
//	→ Save (the captures folder, before anything is sent)
//
// and hands them to package outbox, which records, uploads and copies
// them. It knows neither the history nor the hosts. The steps take what
// they need of the settings as values (Setup), read nothing from disk on
// their own, and leave what to tell the person to the caller.
package shot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // copied images, described for the history
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
	"imagecx/filetype"
	"imagecx/i18n"
	"imagecx/internal/hugemem"
	"imagecx/internal/regular"
	"imagecx/internal/shrink"
)

// Clipboard is what FromClipboard reads.
type Clipboard interface {
	Read(ctx context.Context) (clipboard.Content, error)
}

// Setup is what a capture takes from the settings.
type Setup struct {
	Mode   capture.Mode  // what a full-screen capture covers
	Format encode.Format // PNG, JPEG or lossless WebP
	Dir    string        // the captures folder
}

// Pipeline captures, encodes and saves. Its steps may run on several
// goroutines at once.
type Pipeline struct {
	Screen capture.Screen // nil where only a picker reads the screen (Wayland)
	Log    *slog.Logger
	Now    func() time.Time
	// ReadFile reads a copied file for FromClipboard, refusing what the
	// host would (nil: any regular file up to 256 MB).
	ReadFile func(path string) ([]byte, error)
	// NoThumbs leaves Job.Thumb nil: for a capture nothing records (a
	// command's -o FILE --no-upload).
	NoThumbs bool

	uplink uplink
}

// ThumbSize is the longest side of a job's thumbnail (the history keeps
// them at this size).
const ThumbSize = 256

// Job is one image taken. It holds the encoded image only: a waiting 4K
// capture is a few megabytes, not the 33 MB of its pixels, which are
// decoded again in the rare case they are needed.
type Job struct {
	Name string // file name sent to the server
	Data []byte
	MIME string
	// Width and Height are the image's size, when known.
	Width, Height int
	// Duration is how long a recording plays; 0 for a still image.
	Duration time.Duration
	// Thumb is a small copy (ThumbSize) for the history and the
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
	// Given marks a file the person gave (chosen, dropped, sent from a
	// file manager): it is theirs, so it is never removed after the
	// upload and its title is its own.
	Given bool
	// Saved says Save wrote it, in SaveTook (the outbox logs "saved" once
	// it is in the history too).
	Saved    bool
	SaveTook time.Duration
}

// errNotAnImage is a copied file that holds no image or video a host
// takes.
var errNotAnImage error = i18n.Errorf("not an image or video that can be uploaded")

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
		Width: img.Rect.Dx(), Height: img.Rect.Dy(), Thumb: p.thumb(img)}, nil
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
// a copied file) for the editor; one larger than MaxImagePixels is refused
// before it is decoded.
func ImageOf(jobs []Job) (*image.RGBA, error) {
	var errs []error
	for _, job := range jobs {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(job.Data))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", job.Name, err))
			continue
		}
		if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
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
	img := &image.RGBA{Pix: hugemem.Bytes(4 * r.Dx() * r.Dy()), Stride: 4 * r.Dx(), Rect: image.Rect(0, 0, r.Dx(), r.Dy())}
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
		Width: b.Dx(), Height: b.Dy(), Thumb: p.thumb(img)}, nil
}

// thumb is img's thumbnail, unless the pipeline makes none.
func (p *Pipeline) thumb(img image.Image) *image.RGBA {
	if p.NoThumbs {
		return nil
	}
	return shrink.Thumbnail(img, ThumbSize)
}

// Save writes job into the captures folder, fsynced, before anything is
// sent. A failure is recorded in the Job (the capture then still goes to
// the server, and to the clipboard if that fails too). "saved" is logged
// by the outbox, once the capture is in the history as well.
func (p *Pipeline) Save(s Setup, job Job) Job {
	start := time.Now()
	job.File, job.SaveErr = SaveFile(s.Dir, job.Name, job.Data)
	job.SaveTook = time.Since(start)
	job.Saved = job.SaveErr == nil
	if job.SaveErr != nil {
		p.Log.Warn("capture not saved", "err", job.SaveErr)
	}
	return job
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

// FromClipboard reads the clipboard: image data becomes one job, copied
// image files one job each. Text or nothing gives ErrNoImage.
func (p *Pipeline) FromClipboard(ctx context.Context, clip Clipboard) ([]Job, error) {
	c, err := clip.Read(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the clipboard: %w", err)
	}
	switch c.Kind {
	case clipboard.Image:
		return []Job{p.Described(Job{Name: FileName(p.Now(), filetype.Ext(c.MIME)), Data: c.Image, MIME: c.MIME, FromClipboard: true})}, nil
	case clipboard.Files:
		jobs, errs := p.ReadFiles(c.Files)
		if len(jobs) == 0 {
			return nil, fmt.Errorf("%w: %w", ErrNoImage, errors.Join(errs...))
		}
		for i := range jobs { // the rest were copied with them, as a file manager copies a selection
			jobs[i].FromClipboard, jobs[i].Given = true, false
		}
		return jobs, nil
	}
	return nil, ErrNoImage
}

// ReadFiles reads image and video files the person gave, one job each,
// described for the history. Those that cannot be read or hold no image
// are left out, each one's reason (naming the file) in errs.
func (p *Pipeline) ReadFiles(files []string) (jobs []Job, errs []error) {
	for _, f := range files {
		data, err := p.readFile(f)
		if err == nil && filetype.Sniff(data) == "" {
			err = errNotAnImage
		}
		if err != nil {
			errs = append(errs, i18n.Errorf("{{.file}}: {{.why}}", "file", filepath.Base(f), "why", err))
			continue
		}
		jobs = append(jobs, p.Described(Job{Name: filepath.Base(f), Data: data, MIME: filetype.Sniff(data), File: f, Given: true}))
	}
	return jobs, errs
}

// Described gives a copied image the size and thumbnail a capture has,
// for the history; what does not decode (a video, an AVIF) or would take
// too much memory keeps none.
func (p *Pipeline) Described(j Job) Job {
	if !strings.HasPrefix(j.MIME, "image/") {
		return j
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(j.Data))
	if err != nil || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return j
	}
	j.Width, j.Height = cfg.Width, cfg.Height
	if !p.NoThumbs {
		if img, _, err := image.Decode(bytes.NewReader(j.Data)); err == nil {
			j.Thumb = shrink.Thumbnail(img, ThumbSize)
		}
	}
	return j
}

// Video is a recording as a job: an MP4 or a GIF (mime) of size that
// plays for d, its first frame the thumbnail (none when first is nil).
func (p *Pipeline) Video(data []byte, mime string, size image.Point, d time.Duration, first image.Image) Job {
	j := Job{Name: FileName(p.Now(), filetype.Ext(mime)), Data: data, MIME: mime, Width: size.X, Height: size.Y, Duration: d}
	if first != nil && !p.NoThumbs {
		j.Thumb = shrink.Thumbnail(first, ThumbSize)
	}
	return j
}

// readFile reads a copied file.
func (p *Pipeline) readFile(path string) ([]byte, error) {
	if p.ReadFile != nil {
		return p.ReadFile(path)
	}
	return regular.Read(path, 256<<20)
}

// Observe tells the pipeline an upload of n bytes took d: on a fast link
// the capture's PNG is encoded faster (and larger).
func (p *Pipeline) Observe(n int, d time.Duration) { p.uplink.observe(n, d) }

// MaxImagePixels bounds the images decoded outside the editor (to fit
// the size limit, or from the clipboard for the editor): 8K (7680×4320),
// whose pixels alone are 133 MB.
const MaxImagePixels = 7680 * 4320
