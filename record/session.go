package record

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"imagecx/internal/console"
)

// Session is a recording under way: the encoder runs until Stop, until
// the recording's cap, or until it fails (Done says when).
type Session struct {
	enc     Encoder
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	file    string
	fps     int
	started time.Time
	done    chan struct{}
	said    *tail

	// stopWith, when set, stops the recording instead of ffmpeg's q (on
	// Wayland: GStreamer, whose frames ffmpeg reads, is told to end).
	stopWith func()
	// noFrames, when set, says why a recording has no frame, given what
	// the encoder said (nil: the encoder's failure says it).
	noFrames func(encoder []byte) error

	mu      sync.Mutex
	err     error // how the encoder ended
	feedErr error // why StartFed's frames stopped coming
	stopped bool
}

// StartX11 starts recording area of the X display (":0"; "" is
// $DISPLAY) into a new file in dir. With outline, a thin frame is drawn
// on the screen around the area, outside it (not in the video).
func StartX11(ctx context.Context, display string, area image.Rectangle, outline bool, dir string, o Options) (*Session, error) {
	enc, err := FindEncoder(o.FFmpeg)
	if err != nil {
		return nil, err
	}
	if display == "" {
		display = os.Getenv("DISPLAY")
	}
	if !strings.Contains(display[strings.LastIndexByte(display, ':')+1:], ".") {
		display += ".0"
	}
	if area, err = videoArea(area); err != nil {
		return nil, err
	}
	in := []string{"-f", "x11grab", "-draw_mouse", "1", "-framerate", strconv.Itoa(o.fps()),
		"-video_size", fmt.Sprintf("%dx%d", area.Dx(), area.Dy())}
	if outline {
		in = append(in, "-show_region", "1", "-region_border", "2")
	}
	in = append(in, "-i", fmt.Sprintf("%s+%d,%d", display, area.Min.X, area.Min.Y))
	return start(ctx, enc, in, nil, dir, o)
}

// start runs the encoder on the input arguments in; feed, when set, is
// its standard input (the frames), else that takes its q.
func start(ctx context.Context, enc Encoder, in []string, feed *os.File, dir string, o Options) (*Session, error) {
	f, err := os.CreateTemp(dir, "imagecx-recording-*.mkv")
	if err != nil {
		return nil, fmt.Errorf("make the recording's file: %w", err)
	}
	f.Close()
	args := append([]string{"-hide_banner", "-loglevel", "error", "-nostats", "-y"}, in...)
	// Fast enough to keep up on two cores at 4K; the quality is high, and
	// Fit makes it small. Matroska: a crash leaves what was written
	// readable. A keyframe every two seconds bounds what a crash loses.
	args = append(args, "-t", fmt.Sprintf("%.3f", o.max().Seconds()),
		"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-crf", "18", "-pix_fmt", "yuv420p",
		"-g", strconv.Itoa(2*o.fps()), "-flush_packets", "1", "-f", "matroska", f.Name())
	cmd := console.Hidden(exec.CommandContext(ctx, enc.FFmpeg, args...))
	cmd.Cancel = func() error { return interrupt(cmd.Process) } // ffmpeg ends the file on SIGINT
	cmd.WaitDelay = 10 * time.Second
	var stdin io.WriteCloser
	if feed != nil {
		cmd.Stdin = feed
	} else if stdin, err = cmd.StdinPipe(); err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	said := &tail{max: 4096}
	cmd.Stdout, cmd.Stderr = io.Discard, said
	err = cmd.Start()
	if feed != nil {
		feed.Close() // ffmpeg has its own
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("start ffmpeg: %w", err)
	}
	s := &Session{enc: enc, cmd: cmd, stdin: stdin, file: f.Name(), fps: o.fps(), started: time.Now(), done: make(chan struct{}), said: said}
	// ffmpeg's -t counts the frames' time; a desktop that sends none (an
	// unchanged screen on Wayland) is stopped by the clock. (x11grab's
	// frames come with the clock: there -t is left to end it, frames it
	// still encodes included.)
	stopClock := func() bool { return false }
	if feed != nil {
		stopClock = time.AfterFunc(o.max()+time.Second, s.end).Stop
	}
	go func() {
		err := cmd.Wait()
		stopClock()
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(s.done)
	}()
	return s, nil
}

// Done is closed when the encoder has ended: stopped, at the cap, or
// failed.
func (s *Session) Done() <-chan struct{} { return s.done }

// Elapsed is how long it has been recording.
func (s *Session) Elapsed() time.Duration { return time.Since(s.started) }

// File is the recording's file (readable up to its last second while it
// is written).
func (s *Session) File() string { return s.file }

// Stop ends the recording (if it has not ended by itself) and returns
// it. The file is the caller's to remove.
func (s *Session) Stop(ctx context.Context) (Raw, error) {
	s.end()
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		interrupt(s.cmd.Process)
		<-s.done
	case <-ctx.Done():
		interrupt(s.cmd.Process)
		<-s.done
	}
	s.mu.Lock()
	err, feedErr := s.err, s.feedErr
	s.mu.Unlock()
	d, size, perr := s.enc.probe(context.WithoutCancel(ctx), s.file)
	if perr != nil || d <= 0 {
		if isNoEncoder(perr) { // ffprobe (part of ffmpeg) missing: said so; the file stays
			return Raw{}, perr
		}
		if feedErr != nil {
			os.Remove(s.file)
			return Raw{}, feedErr
		}
		if err != nil {
			if s.noFrames != nil {
				if why := s.noFrames(s.said.bytes()); why != nil {
					os.Remove(s.file)
					return Raw{}, why
				}
			}
			return Raw{}, failed("ffmpeg", err, s.said.bytes())
		}
		os.Remove(s.file)
		return Raw{}, ErrTooShort
	}
	// Ended by the cap, or by q: both leave a finished file. Any other
	// failure with frames in the file keeps them.
	return Raw{File: s.file, Size: size, Duration: d, FPS: s.fps, Enc: s.enc}, nil
}

// end tells the recording to end, once.
func (s *Session) end() {
	s.mu.Lock()
	first := !s.stopped
	s.stopped = true
	stopWith := s.stopWith
	s.mu.Unlock()
	switch {
	case first && stopWith != nil:
		stopWith()
	case first:
		io.WriteString(s.stdin, "q") // ffmpeg's own key to finish the file
		s.stdin.Close()
	}
}

// Probe reads a video's length and frame size (the ffprobe on the PATH).
func Probe(ctx context.Context, file string) (time.Duration, image.Point, error) {
	return Encoder{}.probe(ctx, file)
}

// interrupt asks ffmpeg to end its file: SIGINT, which Windows does not
// have (there the process ends; what it wrote stays readable).
func interrupt(p *os.Process) error {
	if runtime.GOOS == "windows" {
		return p.Kill()
	}
	return p.Signal(os.Interrupt)
}

func (e Encoder) probe(ctx context.Context, file string) (time.Duration, image.Point, error) {
	e, err := e.orFind()
	if err != nil {
		return 0, image.Point{}, err
	}
	out, err := console.Hidden(exec.CommandContext(ctx, e.FFprobe, "-v", "error", "-select_streams", "v:0",
		"-show_entries", "stream=width,height:format=duration", "-of", "default=noprint_wrappers=1", file)).Output()
	if err != nil {
		return 0, image.Point{}, fmt.Errorf("read %s: %w", filepath.Base(file), err)
	}
	var d time.Duration
	var size image.Point
	for _, l := range strings.Split(string(out), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(l), "=")
		switch k {
		case "width":
			size.X, _ = strconv.Atoi(v)
		case "height":
			size.Y, _ = strconv.Atoi(v)
		case "duration":
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				d = time.Duration(f * float64(time.Second))
			}
		}
	}
	if size.X == 0 || size.Y == 0 {
		return 0, image.Point{}, errors.New("no video in " + filepath.Base(file))
	}
	return d, size, nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bytes.Clone(t.b)
}
