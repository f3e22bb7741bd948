package record

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/i18n"
	"imagecx/internal/portal"
)

// ErrNoGStreamer means the program that reads the desktop's stream on
// Wayland is missing.
var ErrNoGStreamer error = i18n.Errorf("recording on Wayland needs GStreamer's PipeWire source: install gstreamer1.0-tools and gstreamer1.0-pipewire")

// ErrNoFrames is a recording during which the desktop sent no frame.
var ErrNoFrames error = i18n.Errorf("the desktop sent no picture of the screen while recording: it sends one when something on the screen changes")

// StartWayland records the monitor the ScreenCast portal gives (asking
// the person unless restore, a token of an earlier session, lets it
// skip that), area of it when area.Rect is not empty: GStreamer reads the
// PipeWire stream (pipewiresrc) and hands its frames to ffmpeg, which
// encodes them as StartX11's are. The session's new restore token is
// returned to be kept for next time.
func StartWayland(ctx context.Context, conn *dbus.Conn, restore string, area CastArea, dir string, o Options) (*Session, string, error) {
	enc, err := FindEncoder(o.FFmpeg)
	if err != nil {
		return nil, "", err
	}
	c, err := openCast(ctx, conn, restore, area, o.fps())
	if err != nil {
		return nil, "", err
	}
	in := []string{"-f", "matroska", "-i", "pipe:0", "-vf", c.crop}
	s, err := start(ctx, enc, in, c.out, dir, o)
	if err != nil {
		c.close()
		return nil, "", err
	}
	// ffmpeg reads the pipe; it ends when GStreamer has sent its last
	// frame (-e: on SIGINT it ends the stream properly). A recording with
	// no frame: GStreamer's failure, or a desktop that sent nothing (it
	// sends a frame when the screen changes; wlroots sends a new cast of
	// an unchanged screen none).
	noFrames := func(encoder []byte) error {
		if err := c.failure(); err != nil {
			return err
		}
		if bytes.Contains(encoder, []byte("pipe:0:")) {
			return ErrNoFrames
		}
		return nil
	}
	s.mu.Lock()
	s.stopWith, s.noFrames = c.stop, noFrames
	s.mu.Unlock()
	go func() {
		select {
		case <-ctx.Done():
		case <-s.done:
		}
		c.close()
	}()
	return s, c.cast.RestoreToken, nil
}

// castReader is a screen cast that GStreamer reads into a pipe.
type castReader struct {
	cast    *portal.ScreenCast
	monitor image.Rectangle // the cast's place and size in the layout; empty when unknown
	area    image.Rectangle // what is recorded, in the layout; empty for all of it
	crop    string          // ffmpeg's filter that cuts the area out of the frames
	reader  *exec.Cmd       // GStreamer, started
	out     *os.File        // its frames, in Matroska
	said    *tail           // what it said last

	done    chan struct{} // closed when GStreamer has ended
	err     error         // how
	killed  atomic.Bool   // by stop, which it did not heed
	stopped sync.Once
}

// stop tells GStreamer to end the stream (once), and makes it end if it
// has not in 5 s (with no frame yet, it may not).
func (c *castReader) stop() {
	c.stopped.Do(func() {
		c.reader.Process.Signal(os.Interrupt)
		time.AfterFunc(5*time.Second, func() {
			select {
			case <-c.done:
			default:
				c.killed.Store(true)
				c.reader.Process.Kill()
			}
		})
	})
}

// close stops GStreamer and, once it has ended, the screen cast.
func (c *castReader) close() {
	c.stop()
	go func() {
		<-c.done
		c.cast.Close()
	}()
}

// failure is GStreamer's failure once it has ended (nil when it ended
// as told, or has not ended in 10 s).
func (c *castReader) failure() error {
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		return nil
	}
	if c.err != nil && !c.killed.Load() {
		return failed("GStreamer", c.err, c.said.bytes())
	}
	return nil
}

// openCast starts a screen cast through the portal and GStreamer reading
// it at fps frames a second, with area's crop (see StartWayland).
func openCast(ctx context.Context, conn *dbus.Conn, restore string, area CastArea, fps int) (*castReader, error) {
	gst, err := exec.LookPath("gst-launch-1.0")
	if err != nil {
		return nil, ErrNoGStreamer
	}
	cast, err := portal.StartScreenCast(ctx, conn, restore)
	if err != nil {
		return nil, fmt.Errorf("the desktop's screen cast: %w", err)
	}
	defer cast.Remote.Close() // the reader has its own
	c := &castReader{cast: cast, said: &tail{max: 4096}}
	c.area = area.layout(cast.Monitor)
	c.monitor, err = castMonitor(cast.Monitor, area.Outputs, c.area)
	if err == nil {
		c.crop, err = castCrop(c.monitor, c.area)
	}
	if err != nil {
		cast.Close()
		return nil, err
	}
	// GStreamer's frames go to ffmpeg through a pipe, in Matroska (their
	// times kept: the desktop sends a frame when the screen changes). Its
	// colours are BT.601, as ffmpeg's own conversion on X11: GStreamer
	// takes BT.709 for HD sizes and ffmpeg writes no colour tags, so
	// players would show those colours shifted.
	r, w, err := os.Pipe()
	if err != nil {
		cast.Close()
		return nil, err
	}
	defer w.Close()
	c.reader = exec.Command(gst, "-q", "-e", "pipewiresrc", "fd=3", "path="+strconv.FormatUint(uint64(cast.Node), 10), "do-timestamp=true",
		"keepalive-time=1000", "!", "videorate", "!", "video/x-raw,framerate="+strconv.Itoa(fps)+"/1", "!",
		"videoconvert", "!", "video/x-raw,format=I420,colorimetry=bt601", "!", "matroskamux", "streamable=true", "!", "fdsink", "fd=1")
	c.reader.ExtraFiles = []*os.File{cast.Remote}
	// If imagecx dies, GStreamer ends the stream (and ffmpeg the file)
	// rather than reading the screen for nobody.
	c.reader.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGINT}
	c.reader.Stdout = w
	c.reader.Stderr = c.said
	if err := c.reader.Start(); err != nil {
		r.Close()
		cast.Close()
		return nil, fmt.Errorf("start GStreamer: %w", err)
	}
	c.out, c.done = r, make(chan struct{})
	go func() {
		c.err = c.reader.Wait()
		close(c.done)
	}()
	return c, nil
}
