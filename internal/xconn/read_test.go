//go:build linux

package xconn

import (
	"image"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/refdesk"
	"imagecx/internal/testkit/xvfb"
)

// shmSegments counts the System V segments this process created that
// still exist.
func shmSegments(t *testing.T) int {
	data, err := os.ReadFile("/proc/sysvipc/shm")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	col := -1
	for i, f := range strings.Fields(lines[0]) {
		if f == "cpid" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no cpid column in /proc/sysvipc/shm: %q", lines[0])
	}
	n := 0
	for _, l := range lines[1:] {
		if f := strings.Fields(l); len(f) > col && f[col] == strconv.Itoa(os.Getpid()) {
			n++
		}
	}
	return n
}

// paintedConn is a connection to an Xvfb showing the reference desktop.
func paintedConn(t *testing.T) (*xgb.Conn, xproto.Window, *image.RGBA) {
	t.Helper()
	want := refdesk.Image()
	x := xvfb.Start(t, want.Rect.Dx(), want.Rect.Dy())
	x.Paint(t, want)
	conn, err := Dial(x.Display, errMine)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	return conn, xproto.Setup(conn).DefaultScreen(conn).Root, want
}

// TestBothTransports reads the painted desktop through shared memory and
// through the socket, in strips of every size the ring meets: both must
// give every pixel, and on a local Xvfb the shared memory must really be
// used (a silent fall back to the socket would cost a third of the time).
func TestBothTransports(t *testing.T) {
	conn, root, want := paintedConn(t)
	ring, err := openShm(conn, xproto.Drawable(root), 4096, 2)
	if err != nil {
		t.Fatalf("MIT-SHM is not usable on a local Xvfb: %v", err)
	}
	ring.close()
	for _, local := range []bool{true, false} {
		r := NewReader(conn, local)
		// The whole screen, fewer strips than slots, and an odd width.
		for _, area := range []image.Rectangle{want.Rect, image.Rect(0, 0, 1, 1), image.Rect(13, 7, 333, 12), image.Rect(3000, 100, 3839, 2160)} {
			got := image.NewRGBA(image.Rect(0, 0, area.Dx(), area.Dy()))
			rows := 0
			if err := r.Read(t.Context(), xproto.Drawable(root), got, area, func(n int) { rows = n }); err != nil {
				t.Fatal(err)
			}
			if r.Shared() != local {
				t.Fatalf("local=%v: shared memory in use: %v", local, r.Shared())
			}
			if rows != area.Dy() {
				t.Errorf("local=%v, %v: rows reported up to %d", local, area, rows)
			}
			if n := imgdiff.Count(got, want, area); n != 0 {
				t.Fatalf("local=%v, %v: %d pixels differ", local, area, n)
			}
		}
	}
	// Nothing is left behind in the system's shared memory, once the
	// server has handled the detaches.
	if _, err := xproto.GetInputFocus(conn).Reply(); err != nil {
		t.Fatal(err)
	}
	if segs := shmSegments(t); segs != 0 {
		t.Fatalf("%d shared memory segments of this process remain", segs)
	}
	// An image of the wrong size is refused.
	if err := NewReader(conn, true).Read(t.Context(), xproto.Drawable(root), image.NewRGBA(image.Rect(0, 0, 5, 5)), image.Rect(0, 0, 6, 6), nil); err == nil {
		t.Error("a 6×6 area was read into a 5×5 image")
	}
}

// TestShmNotShared is the container case: the server attached a segment
// that is not the memory this process reads. It must be noticed.
func TestShmNotShared(t *testing.T) {
	x := xvfb.Start(t, 64, 64)
	conn, err := Dial(x.Display, errMine)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	root := xproto.Drawable(xproto.Setup(conn).DefaultScreen(conn).Root)
	ring, err := openShm(conn, root, 4096, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer ring.close()
	other := make([]byte, 4096)
	if err := verifyShared(conn, root, ring.seg, other); err == nil {
		t.Fatal("memory the server never wrote passed as shared")
	}
	if err := verifyShared(conn, root, ring.seg, ring.mem); err != nil {
		t.Fatal(err)
	}
}

func TestKeymap(t *testing.T) {
	x := xvfb.Start(t, 64, 64)
	conn, err := Dial(x.Display, errMine)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	km, err := ReadKeymap(conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, sym := range []xproto.Keysym{'1', 'a', 0xff1b /* Escape */, 0xffbe /* F1 */} {
		code, ok := km.Keycode(sym)
		if !ok {
			t.Fatalf("no key types %#x", sym)
		}
		if got := km.Keysym(code); got != sym {
			t.Errorf("key %d types %#x, want %#x", code, got, sym)
		}
	}
	if _, ok := km.Keycode(0x10fffff); ok {
		t.Error("a keysym no key types was found")
	}
	if km.Keysym(0) != 0 {
		t.Error("keycode 0 types something")
	}
}
