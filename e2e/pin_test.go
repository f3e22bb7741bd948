package e2e

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
)

// startPin runs `imagecx pin args…` and returns it with its window.
func (d *desk) startPin(args ...string) (*exec.Cmd, string) {
	d.t.Helper()
	before := map[string]bool{}
	for _, w := range d.windows("imagecx pin") {
		before[w] = true
	}
	cmd := exec.Command(binary, append([]string{"pin"}, args...)...)
	cmd.Env = d.u.environ()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if d.t.Failed() {
			d.t.Logf("imagecx pin %q said:\n%s", args, out.String())
		}
	})
	win := poll.Value(d.t, 15*time.Second, "the pin's window", func() (string, bool) {
		for _, w := range d.windows("imagecx pin") {
			if !before[w] {
				return w, true
			}
		}
		return "", false
	})
	return cmd, win
}

func (d *desk) geometry(win string) image.Rectangle {
	return shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", win))
}

// stackedAbove says whether window a is above window b (xwininfo lists
// the root's children topmost first).
func (d *desk) stackedAbove(a, b string) bool {
	ia, _ := strconv.ParseUint(a, 10, 32)
	ib, _ := strconv.ParseUint(b, 10, 32)
	pa, pb := -1, -1
	for i, l := range strings.Split(d.tool("xwininfo", "-root", "-children"), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case fmt.Sprintf("0x%x", ia):
			pa = i
		case fmt.Sprintf("0x%x", ib):
			pb = i
		}
	}
	return pa >= 0 && pb >= 0 && pa < pb
}

// A pinned image as a person uses it: centred under the pointer, above a
// window opened after it, zoomed with the wheel around the pointer,
// see-through with Ctrl+wheel, moved by dragging, copied with Ctrl+C,
// closed with Esc; a second pin at once, placed with --at, closed with a
// double-click.
func TestPinStaysAboveZoomsAndCloses(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	file := writePNG(t, d.u.home, "pin.png", 400, 300, true)
	d.tool("xdotool", "mousemove", "1000", "800")
	first, win := d.startPin(file)
	if got := d.geometry(win); got != image.Rect(1720, 930, 2120, 1230) {
		t.Errorf("the pin opened at %v, want the image's size centred on the screen", got)
	}
	if state := d.tool("xprop", "-id", win, "_NET_WM_STATE"); !strings.Contains(state, "_NET_WM_STATE_ABOVE") {
		t.Errorf("the pin does not ask to stay above: %s", state)
	}

	// A window opened afterwards, over the pin's place, goes under it.
	other := xvfb.MapWindow(t, d.x.Display, "another application", image.Rect(1500, 800, 2500, 1500))
	poll.Until(t, 5*time.Second, "the pin above the new window", func() bool { return d.stackedAbove(win, strconv.Itoa(int(other))) })

	// The wheel zooms around the pointer; Ctrl+wheel makes it see-through.
	d.tool("xdotool", "mousemove", "1820", "1030", "click", "4")
	poll.Until(t, 5*time.Second, "the pin zoomed in", func() bool {
		return d.geometry(win) == image.Rect(1710, 920, 2150, 1250)
	})
	d.tool("xdotool", "keydown", "ctrl", "click", "5", "keyup", "ctrl")
	poll.Until(t, 5*time.Second, "the pin see-through", func() bool {
		return strings.Contains(d.tool("xprop", "-id", win, "_NET_WM_WINDOW_OPACITY"), "= 3865470565") // 0.9
	})

	// A drag moves it.
	d.tool("xdotool", "mousemove", "1900", "1100", "mousedown", "1", "mousemove", "2000", "1150", "mousemove", "2100", "1200", "mouseup", "1")
	poll.Until(t, 5*time.Second, "the pin moved", func() bool { return d.geometry(win).Min == image.Pt(1910, 1020) })

	// Ctrl+C copies the image, at its own size.
	d.key("ctrl+c")
	want, _ := os.ReadFile(file)
	wantImg, _ := imgdiff.Decode(want)
	poll.Until(t, 10*time.Second, "the pinned image on the clipboard", func() bool {
		probe := exec.Command("xclip", "-o", "-selection", "clipboard", "-t", "image/png")
		probe.Env = d.u.environ()
		data, err := probe.Output()
		if err != nil {
			return false
		}
		got, err := imgdiff.Decode(data)
		return err == nil && imgdiff.Count(got, wantImg, wantImg.Bounds()) == 0
	})

	// A second pin at once, where --at says.
	second, win2 := d.startPin("--at", "100,200", file)
	if got := d.geometry(win2); got.Min != image.Pt(100, 200) {
		t.Errorf("the second pin at %v, want (100,200)", got.Min)
	}
	if len(d.windows("imagecx pin")) != 2 {
		t.Errorf("pins: %v", d.windows("imagecx pin"))
	}

	// Esc closes the one with the keyboard (clicked last: the first).
	d.tool("xdotool", "mousemove", "2100", "1200", "click", "1")
	time.Sleep(500 * time.Millisecond) // not a double-click
	d.key("Escape")
	waitExit(t, first)
	// A double-click closes the second.
	d.tool("xdotool", "mousemove", "300", "300", "click", "--repeat", "2", "--delay", "80", "1")
	waitExit(t, second)
	if w := d.windows("imagecx pin"); len(w) != 0 {
		t.Errorf("pins left: %v", w)
	}
}

// waitExit waits for cmd to end by itself, with success.
func waitExit(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("imagecx pin: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the pin did not close")
	}
}

// Pin region to screen in the tray menu: the dragged part of the screen
// stays where it was, in a pin of its own (its pixels are the screen's,
// inside the pin's frame), and the private copy handed to it is gone.
func TestPinRegionFromTheTray(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()
	d.tray.Click(t, p.item, "Pin region to screen")
	d.dragRegion(0, image.Pt(2000, 1200), image.Pt(2480, 1520))
	win := d.waitWindow("imagecx pin", 15*time.Second)
	poll.Until(t, 5*time.Second, "the pin where the region was", func() bool {
		return d.geometry(win) == image.Rect(2000, 1200, 2480, 1520)
	})
	shot, err := imgdiff.Decode([]byte(d.tool("import", "-window", win, "png:-")))
	if err != nil {
		t.Fatal(err)
	}
	inside := image.Rect(1, 1, 479, 319) // within the one-pixel frame
	want := desktopImage(t).SubImage(inside.Add(image.Pt(2000, 1200)))
	if n := imgdiff.Count(imgdiff.RGBA(shot).SubImage(inside), want, want.Bounds()); n != 0 {
		t.Errorf("%d pixels of the pin differ from the screen's", n)
	}
	left, _ := filepath.Glob(filepath.Join(d.u.env["XDG_RUNTIME_DIR"], "imagecx-pin-*"))
	if len(left) != 0 {
		t.Errorf("the region's private copy is left: %v", left)
	}
	if n := len(d.srv.Stored()); n != 0 {
		t.Errorf("%d uploads; a pin uploads nothing", n)
	}
}

// `imagecx pin --last` pins the newest capture whose file is still
// there, and says so when there is none.
func TestPinTheLastCapture(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	if r := d.u.run("", "pin", "--last"); r.code == 0 || !strings.Contains(r.stderr, "No capture to pin") {
		t.Errorf("pin --last with no capture:\n%s", r)
	}
	if r := d.u.run("", "pin", "--at", "a,b", "x.png"); r.code != 2 || !strings.Contains(r.stderr, "is not a place on the screen") {
		t.Errorf("pin --at a,b:\n%s", r)
	}
	if r := d.u.run("", "capture", "full", "--no-upload"); r.code != 0 {
		t.Fatalf("capture:\n%s", r)
	}
	d.tool("xdotool", "mousemove", "100", "100")
	_, win := d.startPin("--last")
	if got := d.geometry(win).Size(); got != image.Pt(3456, 1944) {
		t.Errorf("the last capture (the 4K screen) pinned at %v, want nine tenths of the screen", got)
	}
}
