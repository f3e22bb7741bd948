package record

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/i18n"
	"imagecx/internal/portal"
	"imagecx/internal/wlglobals"
)

// ErrNoGStreamer means the program that reads the desktop's stream on
// Wayland is missing.
var ErrNoGStreamer error = i18n.Errorf("recording on Wayland needs GStreamer's PipeWire source: install gstreamer1.0-tools and gstreamer1.0-pipewire")

// ErrNoFrames is a recording during which the desktop sent no frame.
var ErrNoFrames error = i18n.Errorf("the desktop sent no picture of the screen while recording: it sends one when something on the screen changes")

// StartWayland records the monitor the ScreenCast portal gives (asking
// the person unless restore, a token of an earlier session, lets it
// skip that), area of it when area is not empty (in the desktop's
// layout; outs, the compositor's outputs where it says them, place it on
// the cast's monitor): GStreamer reads the
// PipeWire stream (pipewiresrc) and hands its frames to ffmpeg, which
// encodes them as StartX11's are. The session's new restore token is
// returned to be kept for next time.
func StartWayland(ctx context.Context, conn *dbus.Conn, restore string, area image.Rectangle, outs []wlglobals.Output, dir string, o Options) (*Session, string, error) {
	bin, err := ffmpeg()
	if err != nil {
		return nil, "", err
	}
	gst, err := exec.LookPath("gst-launch-1.0")
	if err != nil {
		return nil, "", ErrNoGStreamer
	}
	cast, err := portal.StartScreenCast(ctx, conn, restore)
	if err != nil {
		return nil, "", fmt.Errorf("the desktop's screen cast: %w", err)
	}
	monitor, err := castMonitor(cast.Monitor, outs, area)
	crop := ""
	if err == nil {
		crop, err = castCrop(monitor, area)
	}
	if err != nil {
		cast.Remote.Close()
		cast.Close()
		return nil, "", err
	}
	filter := []string{"-vf", crop}
	size := area.Size()
	// GStreamer's frames go to ffmpeg through a pipe, in Matroska (their
	// times kept: the desktop sends a frame when the screen changes). Its
	// colours are BT.601, as ffmpeg's own conversion on X11: GStreamer
	// takes BT.709 for HD sizes and ffmpeg writes no colour tags, so
	// players would show those colours shifted.
	r, w, err := os.Pipe()
	if err != nil {
		cast.Remote.Close()
		cast.Close()
		return nil, "", err
	}
	reader := exec.Command(gst, "-q", "-e", "pipewiresrc", "fd=3", "path="+strconv.FormatUint(uint64(cast.Node), 10), "do-timestamp=true",
		"keepalive-time=1000", "!", "videorate", "!", "video/x-raw,framerate="+strconv.Itoa(o.fps())+"/1", "!",
		"videoconvert", "!", "video/x-raw,format=I420,colorimetry=bt601", "!", "matroskamux", "streamable=true", "!", "fdsink", "fd=1")
	reader.ExtraFiles = []*os.File{cast.Remote}
	reader.Stdout = w
	said := &tail{max: 4096}
	reader.Stderr = said
	if err := reader.Start(); err != nil {
		r.Close()
		w.Close()
		cast.Remote.Close()
		cast.Close()
		return nil, "", fmt.Errorf("start GStreamer: %w", err)
	}
	w.Close()
	cast.Remote.Close() // the reader has its own
	in := append([]string{"-f", "matroska", "-i", "pipe:0"}, filter...)
	s, err := start(ctx, bin, in, r, size, dir, o)
	if err != nil {
		reader.Process.Kill()
		reader.Wait()
		cast.Close()
		return nil, "", err
	}
	// ffmpeg reads the pipe; it ends when GStreamer has sent its last
	// frame (-e: on SIGINT it ends the stream properly).
	var readerErr error
	readerDone := make(chan struct{})
	var killed atomic.Bool
	stopWith := func() {
		reader.Process.Signal(os.Interrupt)
		// With no frame yet, GStreamer may not end by itself.
		time.AfterFunc(5*time.Second, func() {
			select {
			case <-readerDone:
			default:
				killed.Store(true)
				reader.Process.Kill()
			}
		})
	}
	go func() {
		readerErr = reader.Wait()
		close(readerDone)
		<-s.done
		cast.Close()
	}()
	// A recording with no frame: GStreamer's failure, or a desktop that
	// sent nothing (it sends a frame when the screen changes; wlroots
	// sends a new cast of an unchanged screen none).
	noFrames := func(encoder []byte) error {
		select {
		case <-readerDone:
		case <-time.After(10 * time.Second):
			return nil
		}
		switch {
		case readerErr != nil && !killed.Load():
			return failed("GStreamer", readerErr, said.bytes())
		case bytes.Contains(encoder, []byte("pipe:0:")):
			return ErrNoFrames
		}
		return nil
	}
	s.mu.Lock()
	s.stopWith, s.noFrames = stopWith, noFrames
	s.mu.Unlock()
	go func() {
		select {
		case <-ctx.Done():
			reader.Process.Signal(os.Interrupt)
		case <-s.done:
		}
		time.AfterFunc(10*time.Second, func() { reader.Process.Kill() })
	}()
	return s, cast.RestoreToken, nil
}
