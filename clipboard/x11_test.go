//go:build linux

package clipboard

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
)

func xclip(t *testing.T, display string, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("xclip", append([]string{"-selection", "clipboard"}, args...)...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	if args[len(args)-1] != "-i" {
		// With -i xclip forks a child that keeps serving; it must not
		// hold our pipes open.
		cmd.Stdout, cmd.Stderr = &out, &errb
	}
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("xclip %v: %v %s", args, err, errb.String())
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("xclip %v hung", args)
	}
	return out.Bytes()
}

// xclipIn puts data on the clipboard with xclip and waits until xclip's
// background child really owns it (it takes the selection after the parent
// exits).
func xclipIn(t *testing.T, c Conn, display string, data []byte, args ...string) {
	t.Helper()
	conn := c.(*x11).conn
	clip := c.(*x11).a("CLIPBOARD")
	before, err := xproto.GetSelectionOwner(conn, clip).Reply()
	if err != nil {
		t.Fatal(err)
	}
	xclip(t, display, data, append(args, "-i")...)
	poll.Until(t, 10*time.Second, "xclip to take the clipboard", func() bool {
		r, err := xproto.GetSelectionOwner(conn, clip).Reply()
		return err == nil && r.Owner != before.Owner && r.Owner != xproto.WindowNone
	})
}

func noise(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

func open(t *testing.T) (*xvfb.Server, Conn) {
	xvfb.Need(t, "xclip")
	x := xvfb.Start(t, 320, 240)
	c, err := Open(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return x, c
}

func TestWriteTextAndImagesToXclip(t *testing.T) {
	x, c := open(t)
	if err := c.SetText("https://image.cx/images/a.png"); err != nil {
		t.Fatal(err)
	}
	if got := string(xclip(t, x.Display, nil, "-o")); got != "https://image.cx/images/a.png" {
		t.Fatalf("xclip read %q", got)
	}
	for _, size := range []int{1000, 300 << 10, 3 << 20} { // one request, and INCR
		img := noise(size)
		if err := c.SetImage("image/png", img); err != nil {
			t.Fatal(err)
		}
		targets := string(xclip(t, x.Display, nil, "-o", "-t", "TARGETS"))
		if !bytes.Contains([]byte(targets), []byte("image/png")) {
			t.Fatalf("TARGETS %q", targets)
		}
		if got := xclip(t, x.Display, nil, "-o", "-t", "image/png"); !bytes.Equal(got, img) {
			t.Fatalf("%d bytes: xclip read %d bytes, not the same", size, len(got))
		}
	}
	// Reading our own content needs no round trip.
	got, err := c.Read(context.Background())
	if err != nil || got.Kind != Image || len(got.Image) != 3<<20 {
		t.Fatalf("own content: %v %v", got.Kind, err)
	}
}

func TestReadFromXclip(t *testing.T) {
	x, c := open(t)
	ctx := context.Background()
	got, err := c.Read(ctx)
	if err != nil || got.Kind != Empty {
		t.Fatalf("nothing owned: %+v %v", got.Kind, err)
	}

	xclipIn(t, c, x.Display, []byte("just text"))
	got, err = c.Read(ctx)
	if err != nil || got.Kind != Text || got.Text != "just text" {
		t.Fatalf("text: %+v %v", got, err)
	}

	for _, size := range []int{2000, 5 << 20} { // small, and INCR (xclip goes INCR above ~256 KB)
		img := noise(size)
		xclipIn(t, c, x.Display, img, "-t", "image/png")
		got, err = c.Read(ctx)
		if err != nil || got.Kind != Image || got.MIME != "image/png" || !bytes.Equal(got.Image, img) {
			t.Fatalf("%d-byte image: kind %v, %d bytes, %v", size, got.Kind, len(got.Image), err)
		}
	}

	dir := t.TempDir()
	a, b := filepath.Join(dir, "a b.png"), filepath.Join(dir, "c.jpg")
	xclipIn(t, c, x.Display, []byte("file://"+filepath.ToSlash(dir)+"/a%20b.png\r\nfile://"+b+"\r\n"), "-t", "text/uri-list")
	got, err = c.Read(ctx)
	if err != nil || got.Kind != Files || len(got.Files) != 2 || got.Files[0] != a || got.Files[1] != b {
		t.Fatalf("files: %+v %v", got, err)
	}

	// Taking the clipboard back works after someone else had it.
	if err := c.SetText("mine again"); err != nil {
		t.Fatal(err)
	}
	if got := string(xclip(t, x.Display, nil, "-o")); got != "mine again" {
		t.Fatalf("xclip read %q", got)
	}
}

func TestParseURIList(t *testing.T) {
	got := parseURIList("copy\nfile:///home/u/a%20b.png\n# comment\nhttps://x/y.png\nfile://localhost/tmp/c.png\nfile://other/tmp/d.png\n")
	want := []string{"/home/u/a b.png", "/tmp/c.png"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %q", got)
	}
}

// Taking the clipboard (to copy a link) must not wait behind a Read that
// waits for an owner who never answers.
func TestWriteDoesNotWaitForARead(t *testing.T) {
	x, c := open(t)
	// A program that owns the clipboard and never answers.
	conn, err := xgb.NewConnDisplay(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	scr := xproto.Setup(conn).DefaultScreen(conn)
	win, _ := xproto.NewWindowId(conn)
	xproto.CreateWindow(conn, scr.RootDepth, win, scr.Root, 0, 0, 1, 1, 0, xproto.WindowClassInputOutput, scr.RootVisual, 0, nil)
	clip := c.(*x11).a("CLIPBOARD")
	if err := xproto.SetSelectionOwnerChecked(conn, win, clip, xproto.TimeCurrentTime).Check(); err != nil {
		t.Fatal(err)
	}
	reading := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := c.Read(ctx)
		reading <- err
	}()
	time.Sleep(200 * time.Millisecond) // the Read is waiting now
	start := time.Now()
	if err := c.SetText("https://image.cx/images/a.png"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("SetText waited %v behind a Read", took)
	}
	if err := <-reading; err == nil {
		t.Error("the Read of a silent owner succeeded")
	}
}

// Lost says when another program takes the clipboard (the keeper of a
// command's link then ends).
func TestLostWhenAnotherProgramCopies(t *testing.T) {
	x, c := open(t)
	if c.(Owner).Lost() != nil {
		t.Fatal("lost before anything was owned")
	}
	if err := c.SetText("https://image.cx/images/a.png"); err != nil {
		t.Fatal(err)
	}
	lost := c.(Owner).Lost()
	select {
	case <-lost:
		t.Fatal("lost while still owned")
	case <-time.After(200 * time.Millisecond):
	}
	xclip(t, x.Display, []byte("something else"), "-i")
	select {
	case <-lost:
	case <-time.After(5 * time.Second):
		t.Fatal("not told that another program took the clipboard")
	}
}
