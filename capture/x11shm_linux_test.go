package capture

import (
	"image"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jezek/xgb/xproto"

	"imagecx/internal/xvfb"
)

func rect(r [4]int) image.Rectangle { return image.Rect(r[0], r[1], r[2], r[3]) }

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

// TestBothTransports captures the painted desktop through shared memory
// and through the socket, in strips of every size the ring meets: both
// must give every pixel, and on a local Xvfb the shared memory must really
// be used (a silent fall back to the socket would cost a third of the time).
func TestBothTransports(t *testing.T) {
	s, want := paintedScreen(t)
	xs := s.(*x11Screen)
	ring, err := openShm(xs.conn, xproto.Drawable(xs.root), 4096, 2)
	if err != nil {
		t.Fatalf("MIT-SHM is not usable on a local Xvfb: %v", err)
	}
	ring.close()
	for _, socket := range []bool{false, true} {
		xs.noShm = socket
		for _, o := range []PNGOptions{{}, {Fast: true}} {
			img, data, err := Shoot(s, s.Bounds(), o)
			if err != nil {
				t.Fatal(err)
			}
			if xs.noShm != socket {
				t.Fatalf("socket=%v: shared memory was given up", socket)
			}
			if n := diff(img, want, want.Rect); n != 0 {
				t.Fatalf("socket=%v: %d pixels differ", socket, n)
			}
			samePixels(t, data, want)
		}
		// Fewer strips than slots, and an odd width.
		for _, r := range [][4]int{{0, 0, 1, 1}, {13, 7, 333, 5}, {3000, 100, 3839, 2160}} {
			got, err := s.Capture(rect(r))
			if err != nil {
				t.Fatal(err)
			}
			if n := diff(got, want, rect(r)); n != 0 {
				t.Fatalf("socket=%v, %v: %d pixels differ", socket, r, n)
			}
		}
	}
	// Nothing is left behind in the system's shared memory, once the
	// server has handled the detaches.
	if _, err := xproto.GetInputFocus(xs.conn).Reply(); err != nil {
		t.Fatal(err)
	}
	if segs := shmSegments(t); segs != 0 {
		t.Fatalf("%d shared memory segments of this process remain", segs)
	}
}

// TestShmNotShared is the container case: the server attached a segment
// that is not the memory this process reads. It must be noticed.
func TestShmNotShared(t *testing.T) {
	x := xvfb.Start(t, 64, 64)
	s, err := Open(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	xs := s.(*x11Screen)
	ring, err := openShm(xs.conn, xproto.Drawable(xs.root), 4096, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer ring.close()
	other := make([]byte, 4096)
	if err := verifyShared(xs.conn, xproto.Drawable(xs.root), ring.seg, other); err == nil {
		t.Fatal("memory the server never wrote passed as shared")
	}
	if err := verifyShared(xs.conn, xproto.Drawable(xs.root), ring.seg, ring.mem); err != nil {
		t.Fatal(err)
	}
}
