package record

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/internal/console"
)

// Fitted is a recording made to fit the host.
type Fitted struct {
	File     string // an H.264 MP4 (yuv420p, its index first)
	Size     image.Point
	Duration time.Duration
	Bytes    int64
	// How says what was done to fit it, in the person's words; "" when
	// it fitted as recorded.
	How string
}

// minBitsPerPixel is the least a frame's pixel gets (bits per pixel and
// frame) before the video is scaled down instead: under it, text on a
// screen smears. Screen recordings are mostly still, so it is low.
const minBitsPerPixel = 0.02

// Fit makes raw into an MP4 at out of at most limit bytes: as recorded
// when it fits, else encoded again at the bitrate the duration allows
// (two passes), scaled down where that is too few bits for the size,
// and measured: a result over the limit is made again with less.
func Fit(ctx context.Context, raw Raw, limit int64, out string) (Fitted, error) {
	enc, err := raw.Enc.orFind()
	if err != nil {
		return Fitted{}, err
	}
	bin := enc.FFmpeg
	st, err := os.Stat(raw.File)
	if err != nil {
		return Fitted{}, err
	}
	f := Fitted{File: out, Size: raw.Size, Duration: raw.Duration}
	if st.Size() <= limit {
		// As it is, in an MP4 with its index first (players start at
		// once).
		if err := run(ctx, bin, "-i", raw.File, "-map", "0:v:0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", out); err != nil {
			return Fitted{}, err
		}
		if f.Bytes, err = size(out); err == nil && f.Bytes <= limit {
			return f, nil
		}
	}
	secs := max(raw.Duration.Seconds(), 0.5)
	// What the limit allows, less the container's share.
	rate := float64(limit) * 8 * 0.94 / secs
	fps := float64(cmpOr(raw.FPS, DefaultFPS))
	for try := 0; try < 4; try++ {
		scale := scaleFor(rate, raw.Size, fps)
		w, h := int(float64(raw.Size.X)*scale)&^1, int(float64(raw.Size.Y)*scale)&^1
		if w < 2 || h < 2 {
			return Fitted{}, i18n.Errorf("the recording is too long to fit {{.limit}} at any readable size", "limit", explain.Size(limit))
		}
		if err := twoPass(ctx, bin, raw.File, out, int64(rate), image.Pt(w, h), int(fps)); err != nil {
			return Fitted{}, err
		}
		if f.Bytes, err = size(out); err != nil {
			return Fitted{}, err
		}
		if f.Bytes <= limit {
			f.Size = image.Pt(w, h)
			if scale < 1 {
				f.How = madeSmaller(limit, f.Size, raw.Size)
			} else {
				f.How = i18n.T("Encoded again to fit {{.limit}}.", "limit", explain.Size(limit))
			}
			return f, nil
		}
		// Measured over: try again with what was over taken off, and a
		// little more.
		rate *= float64(limit) / float64(f.Bytes) * 0.9
	}
	os.Remove(out)
	return Fitted{}, i18n.Errorf("the recording could not be made to fit {{.limit}}", "limit", explain.Size(limit))
}

// scaleFor is how much smaller than size a video at rate bits a second
// and fps must be for each pixel of a frame to have minBitsPerPixel; 1
// when it has them, at least 0.2.
func scaleFor(rate float64, size image.Point, fps float64) float64 {
	if bpp := rate / (float64(size.X*size.Y) * fps); bpp < minBitsPerPixel {
		return math.Max(math.Sqrt(bpp/minBitsPerPixel), 0.2)
	}
	return 1
}

// madeSmaller says that a video of size was made size to fit limit.
func madeSmaller(limit int64, size, was image.Point) string {
	return i18n.T("Made smaller to fit {{.limit}}: {{.width}}×{{.height}} instead of {{.w0}}×{{.h0}}.",
		"limit", explain.Size(limit), "width", size.X, "height", size.Y, "w0", was.X, "h0", was.Y)
}

// mfRate is the bitrate and size at which a recording of area at fps as
// long as most fits limit as it is encoded (Media Foundation's, which
// nothing fits afterwards): the limit spread over the cap, less the
// container's share, at most a quality that needs no more; the size made
// smaller where that leaves too few bits for it.
func mfRate(limit int64, most time.Duration, area image.Point, fps int) (int, image.Point) {
	rate := float64(limit) * 8 * 0.85 / max(most.Seconds(), 1)
	rate = min(rate, 0.15*float64(area.X*area.Y*fps), 50e6)
	scale := scaleFor(rate, area, float64(fps))
	return int(max(rate, 100e3)), image.Pt(max(2, int(float64(area.X)*scale)&^1), max(2, int(float64(area.Y)*scale)&^1))
}

// twoPass encodes in at rate bits a second, scaled to size: the first
// pass measures, the second spends the bits where the frames change.
// Both at a constant fps: a screen grab's frames come when they come,
// and the passes must see the same frames.
func twoPass(ctx context.Context, bin, in, out string, rate int64, size image.Point, fps int) error {
	dir, err := os.MkdirTemp(filepath.Dir(out), ".imagecx-pass-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	log := filepath.Join(dir, "pass")
	common := []string{"-i", in, "-map", "0:v:0", "-vf", fmt.Sprintf("scale=%d:%d:flags=lanczos", size.X, size.Y),
		"-fps_mode", "cfr", "-r", strconv.Itoa(fps),
		"-c:v", "libx264", "-preset", "medium", "-b:v", strconv.FormatInt(rate, 10),
		"-maxrate", strconv.FormatInt(rate*2, 10), "-bufsize", strconv.FormatInt(rate*2, 10),
		"-pix_fmt", "yuv420p", "-passlogfile", log}
	if err := run(ctx, bin, append(common, "-pass", "1", "-an", "-f", "null", os.DevNull)...); err != nil {
		return err
	}
	return run(ctx, bin, append(common, "-pass", "2", "-an", "-movflags", "+faststart", "-f", "mp4", out)...)
}

// run runs ffmpeg quietly; its last words are the error.
func run(ctx context.Context, bin string, args ...string) error {
	cmd := console.Hidden(exec.CommandContext(ctx, bin, append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}, args...)...))
	said := &tail{max: 4096}
	cmd.Stderr = said
	if err := cmd.Run(); err != nil {
		return failed("ffmpeg", err, said.bytes())
	}
	return nil
}

func size(file string) (int64, error) {
	st, err := os.Stat(file)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func cmpOr(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

func decodePNG(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }

// FirstFrame is the video's first frame, for a thumbnail, made at most
// maxSide pixels wide and high by ffmpeg (a 4K frame decoded here would
// be 33 MB of the tray app's memory); 0 keeps its size.
func FirstFrame(ctx context.Context, file string, maxSide int) (image.Image, error) {
	return Encoder{}.firstFrame(ctx, file, maxSide)
}

func (e Encoder) firstFrame(ctx context.Context, file string, maxSide int) (image.Image, error) {
	e, err := e.orFind()
	if err != nil {
		return nil, err
	}
	bin := e.FFmpeg
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-i", file, "-frames:v", "1"}
	if maxSide > 0 {
		args = append(args, "-vf", fmt.Sprintf("scale=w=%d:h=%d:force_original_aspect_ratio=decrease", maxSide, maxSide))
	}
	cmd := console.Hidden(exec.CommandContext(ctx, bin, append(args, "-f", "image2pipe", "-c:v", "png", "-")...))
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("read the first frame: %w", err)
	}
	return decodePNG(out)
}

// thumbSide is the first frame's largest side: the history's thumbnails
// are smaller.
const thumbSide = 512

// Video is a finished recording, fitted: its bytes, what they show and
// its first frame.
type Video struct {
	Data     []byte // an H.264 MP4, or a GIF
	MIME     string // video/mp4, image/gif
	Size     image.Point
	Duration time.Duration
	How      string      // what was done to fit it; "" for nothing
	First    image.Image // the first frame, at most 512 pixels a side; nil when it could not be read
}

// Finish stops s and fits what it recorded to limit, working in dir; the
// files it made are removed.
func Finish(ctx context.Context, s *Session, limit int64, dir string) (Video, error) {
	defer os.Remove(s.File())
	raw, err := s.Stop(ctx)
	if err != nil {
		return Video{}, err
	}
	return fitVideo(ctx, raw, limit, dir)
}

// fitVideo fits raw to limit in a file of dir, and reads it back.
func fitVideo(ctx context.Context, raw Raw, limit int64, dir string) (Video, error) {
	f, err := os.CreateTemp(dir, "imagecx-recording-*.mp4")
	if err != nil {
		return Video{}, fmt.Errorf("make the video's file: %w", err)
	}
	f.Close()
	defer os.Remove(f.Name())
	fitted, err := Fit(ctx, raw, limit, f.Name())
	if err != nil {
		return Video{}, err
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		return Video{}, err
	}
	v := Video{Data: data, MIME: "video/mp4", Size: fitted.Size, Duration: fitted.Duration, How: fitted.How}
	v.First, _ = raw.Enc.firstFrame(ctx, f.Name(), thumbSide)
	return v, nil
}

// Leftovers are the recordings in dir that a process which stopped
// while recording (a crash, a logout) left, not written to for a while
// (one being written is another process's); the rest of what such a
// process left (a GIF's frames, a half-fitted video) is removed.
func Leftovers(dir string, now time.Time) []string {
	var raws []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, "imagecx-recording-") {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < leftAlone {
			continue
		}
		path := filepath.Join(dir, name)
		if strings.HasSuffix(name, ".mkv") {
			raws = append(raws, path)
		} else {
			os.Remove(path)
		}
	}
	return raws
}

// leftAlone is how long a recording's file has not been written to
// before it counts as left over.
const leftAlone = time.Minute

// Recover makes a video of a recording that was cut off (Leftovers),
// fitted to limit by o's encoder, and removes the recording's file once
// it is made; one with no frame is removed.
func Recover(ctx context.Context, file string, limit int64, dir string, o Options) (Video, error) {
	enc, err := FindEncoder(o.FFmpeg)
	if err != nil {
		return Video{}, err // kept for when there is one
	}
	_, size, err := enc.probe(ctx, file)
	d := enc.lastFrame(ctx, file) // a cut-off file's stated length is what it was to be
	if err != nil || d <= 0 {
		os.Remove(file)
		return Video{}, ErrTooShort
	}
	v, err := fitVideo(ctx, Raw{File: file, Size: size, Duration: d, FPS: DefaultFPS, Enc: enc}, limit, dir)
	if err != nil {
		return Video{}, err
	}
	os.Remove(file)
	return v, nil
}

// lastFrame is when the video's last frame shows: how long a file that
// was cut off holds.
func (e Encoder) lastFrame(ctx context.Context, file string) time.Duration {
	out, err := console.Hidden(exec.CommandContext(ctx, e.FFprobe, "-v", "quiet", "-select_streams", "v:0",
		"-show_entries", "packet=pts_time", "-of", "csv=p=0", file)).Output()
	if err != nil && len(out) == 0 {
		return 0
	}
	var last float64
	for _, l := range strings.Split(string(out), "\n") {
		if f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l), ",")), 64); err == nil && f > last {
			last = f
		}
	}
	return time.Duration(last * float64(time.Second))
}
