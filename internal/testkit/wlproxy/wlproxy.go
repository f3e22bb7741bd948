//go:build linux

// Package wlproxy stands between a Wayland client and a compositor that
// renders in software, and makes its screen copies look like a GPU
// compositor's to the client: each wlr-screencopy frame announces a
// DMA-BUF format besides its shared-memory buffer.
//
// The tests need it for one client: xdg-desktop-portal-wlr 0.7 refuses to
// start a screen cast unless the compositor announces a DMA-BUF format
// (its check reads the portal interface's version, 4, not
// wlr-screencopy's), and the headless sway of the test machines, which
// have no DRM device, has none. Nothing else changes: the announced
// format comes with no modifiers, so the cast offers PipeWire shared
// memory only, the path a consumer without DMA-BUF support (GStreamer's
// pipewiresrc in Debian 12) takes on a real desktop too.
package wlproxy

import (
	"encoding/binary"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"imagecx/internal/wlglobals"
)

// Start listens on name in runtimeDir (a WAYLAND_DISPLAY for the clients)
// and relays each connection to the compositor's socket upstream (a path).
// It stops when the test ends.
func Start(t testing.TB, runtimeDir, name, upstream string) {
	t.Helper()
	path := filepath.Join(runtimeDir, name)
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatalf("wayland proxy: %v", err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []io.Closer
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
		os.Remove(path)
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			client, err := l.AcceptUnix()
			if err != nil {
				return
			}
			server, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: upstream, Net: "unix"})
			if err != nil {
				client.Close()
				continue
			}
			mu.Lock()
			open = append(open, client, server)
			mu.Unlock()
			c := &conn{registries: map[uint32]bool{}, managers: map[uint32]uint32{}, frames: map[uint32]uint32{}}
			wg.Add(2)
			go func() { defer wg.Done(); c.relay(client, server, c.request); server.CloseWrite() }()
			go func() { defer wg.Done(); c.relay(server, client, c.event); client.CloseWrite() }()
		}
	}()
}

// conn is one client's connection: the objects it made that matter here.
type conn struct {
	mu         sync.Mutex
	registries map[uint32]bool   // wl_registry
	managers   map[uint32]uint32 // zwlr_screencopy_manager_v1: its version
	frames     map[uint32]uint32 // zwlr_screencopy_frame_v1: its version
}

const header = 8

// relay copies whole messages from src to dst, with the file descriptors
// that came with them, passing each message to edit first.
func (c *conn) relay(src, dst *net.UnixConn, edit func(msg []byte) []byte) {
	var out []byte
	buf := make([]byte, 0, 1<<16)
	chunk := make([]byte, 1<<16)
	oob := make([]byte, syscall.CmsgSpace(253*4))
	var fds []int
	defer func() {
		for _, fd := range fds {
			syscall.Close(fd)
		}
	}()
	for {
		n, oobn, _, _, err := src.ReadMsgUnix(chunk, oob)
		n, oobn = max(n, 0), max(oobn, 0) // -1 with an error
		if oobn > 0 {
			if msgs, perr := syscall.ParseSocketControlMessage(oob[:oobn]); perr == nil {
				for _, m := range msgs {
					if got, rerr := syscall.ParseUnixRights(&m); rerr == nil {
						fds = append(fds, got...)
					}
				}
			}
		}
		buf = append(buf, chunk[:n]...)
		whole := 0
		out = out[:0]
		for len(buf)-whole >= header {
			size := int(binary.LittleEndian.Uint32(buf[whole+4:]) >> 16)
			if size < header || len(buf)-whole < size {
				break
			}
			out = append(out, edit(buf[whole:whole+size])...)
			whole += size
		}
		if whole > 0 {
			// libwayland queues the descriptors it receives, so they may
			// travel with the first bytes sent after they came (never
			// with none: a stream socket drops them then).
			sent, _, werr := dst.WriteMsgUnix(out, rights(fds), nil)
			if werr == nil && sent < len(out) {
				_, werr = dst.Write(out[sent:])
			}
			if werr != nil {
				return
			}
			for _, fd := range fds {
				syscall.Close(fd)
			}
			fds = fds[:0]
			buf = append(buf[:0], buf[whole:]...)
		}
		if err != nil {
			return // io.EOF: the other side has gone
		}
	}
}

func rights(fds []int) []byte {
	if len(fds) == 0 {
		return nil
	}
	return syscall.UnixRights(fds...)
}

// The requests and events read here (wayland.xml, wlr-screencopy-unstable-v1.xml).
const (
	displayGetRegistry = 1 // wl_display: new_id registry
	registryBind       = 0 // wl_registry: name, interface, version, new_id
	managerCapture     = 0 // zwlr_screencopy_manager_v1.capture_output: new_id frame, …
	managerCaptureArea = 1 // capture_output_region: new_id frame, …
	frameDestroy       = 1
	frameBuffer        = 0 // event: wl_shm format, width, height, stride
	frameLinuxDMABUF   = 5 // event (version 3): fourcc format, width, height
)

// request notes the objects the client makes that events are read on.
func (c *conn) request(msg []byte) []byte {
	obj, op := binary.LittleEndian.Uint32(msg), binary.LittleEndian.Uint32(msg[4:])&0xffff
	args := msg[header:]
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case obj == 1 && op == displayGetRegistry && len(args) >= 4:
		c.registries[wlglobals.Uint(args, 0)] = true
	case c.registries[obj] && op == registryBind && len(args) >= 8:
		if iface, rest, ok := wlglobals.Str(args[4:]); ok && iface == "zwlr_screencopy_manager_v1" && len(rest) >= 8 {
			c.managers[wlglobals.Uint(rest, 4)] = wlglobals.Uint(rest, 0)
		}
	case c.managers[obj] != 0 && (op == managerCapture || op == managerCaptureArea) && len(args) >= 4:
		c.frames[wlglobals.Uint(args, 0)] = c.managers[obj]
	case c.frames[obj] != 0 && op == frameDestroy:
		delete(c.frames, obj) // its id may come back as another object's
	}
	return msg
}

// event follows each screen copy frame's buffer event with a linux_dmabuf
// event of the same format and size, where the client bound the version
// that has it.
func (c *conn) event(msg []byte) []byte {
	obj, op := binary.LittleEndian.Uint32(msg), binary.LittleEndian.Uint32(msg[4:])&0xffff
	args := msg[header:]
	c.mu.Lock()
	version := c.frames[obj]
	c.mu.Unlock()
	if version < 3 || op != frameBuffer || len(args) < 16 {
		return msg
	}
	format := wlglobals.Uint(args, 0)
	switch format { // wl_shm's two formats that are not their DRM fourcc
	case 0:
		format = 0x34325241 // AR24
	case 1:
		format = 0x34325258 // XR24
	}
	const size = header + 12
	out := append([]byte(nil), msg...)
	out = binary.LittleEndian.AppendUint32(out, obj)
	out = binary.LittleEndian.AppendUint32(out, size<<16|frameLinuxDMABUF)
	out = binary.LittleEndian.AppendUint32(out, format)
	out = binary.LittleEndian.AppendUint32(out, wlglobals.Uint(args, 4))
	return binary.LittleEndian.AppendUint32(out, wlglobals.Uint(args, 8))
}
