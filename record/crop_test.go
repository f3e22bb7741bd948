package record

import (
	"context"
	"errors"
	"image"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"imagecx/internal/wlglobals"
)

// A region is cut from a screen cast's frames in the monitor's own
// pixels: on a monitor at (1920, 0) scaled 2× (1280×720 logical, frames
// of 2560×1440) a region of 400×300 logical at (2000, 100) is 800×600 at
// (160, 200); at 1× it is itself; a region across the monitor's edge is
// cut to the monitor; one off it is refused.
func TestCastCrop(t *testing.T) {
	monitor := image.Rect(1920, 0, 3200, 720)
	for _, c := range []struct {
		frame  image.Point
		area   image.Rectangle
		want   image.Point
		origin image.Point
	}{
		{image.Pt(2560, 1440), image.Rect(2000, 100, 2400, 400), image.Pt(800, 600), image.Pt(160, 200)},
		{image.Pt(1280, 720), image.Rect(2000, 100, 2400, 400), image.Pt(400, 300), image.Pt(80, 100)},
		{image.Pt(1280, 720), image.Rect(1800, 101, 2021, 400), image.Pt(100, 298), image.Pt(0, 101)},
		{image.Pt(1366, 768), image.Rectangle{}, image.Pt(1366, 768), image.Point{}},
		{image.Pt(1365, 767), image.Rectangle{}, image.Pt(1364, 766), image.Point{}},
	} {
		crop, err := castCrop(monitor, c.area)
		if err != nil {
			t.Fatal(err)
		}
		if got, at := cropWith(t, c.frame, crop); got != c.want || at != c.origin {
			t.Errorf("%v of a %v frame: %s gives %v at %v, want %v at %v", c.area, c.frame, crop, got, at, c.want, c.origin)
		}
	}
	if _, err := castCrop(monitor, image.Rect(0, 0, 500, 500)); !errors.Is(err, ErrRegionOffMonitor) {
		t.Errorf("a region off the monitor: %v", err)
	}
	if crop, _ := castCrop(image.Rectangle{}, image.Rect(11, 20, 412, 321)); crop != "crop=400:300:11:20:exact=1" {
		t.Errorf("no monitor said: %s", crop)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// cropWith runs ffmpeg's crop on a frame of size whose pixels say where
// they are (red and green the low bytes of x and y, blue their high
// nibbles) and returns the result's size and where its top left came
// from.
func cropWith(t *testing.T, size image.Point, crop string) (image.Point, image.Point) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "frame.mkv")
	src := "nullsrc=size=" + itoa(size.X) + "x" + itoa(size.Y) + ",format=rgb24,geq=r='mod(X,256)':g='mod(Y,256)':b='trunc(X/256)*16+trunc(Y/256)'"
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", src, "-frames:v", "1",
		"-vf", crop, "-c:v", "ffv1", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", crop, err, b)
	}
	_, got, err := Probe(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	pix, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", out, "-vf", "crop=1:1:0:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil || len(pix) != 3 {
		t.Fatalf("the top left pixel: %v", err)
	}
	return got, image.Pt(int(pix[2]>>4)<<8|int(pix[0]), int(pix[2]&15)<<8|int(pix[1]))
}

// The cast's monitor for a region, from the portal's report and the
// compositor's outputs: a 1280×720 monitor at (0, 0) and a 2× scaled one
// (2560×1440 pixels) right of it. The portal's logical report is taken;
// xdg-desktop-portal-wlr 0.7.0's report of (0, 0) and the pixels is
// placed on the region's monitor; a cast of the other monitor is said.
func TestCastMonitor(t *testing.T) {
	outs := []wlglobals.Output{
		{Name: "A", Logical: image.Rect(0, 0, 1280, 720), Pixels: image.Pt(1280, 720)},
		{Name: "B", Logical: image.Rect(1280, 0, 2560, 720), Pixels: image.Pt(2560, 1440)},
	}
	onB := image.Rect(1400, 100, 1800, 400)
	for _, c := range []struct {
		reported, area, want image.Rectangle
		err                  error
	}{
		{image.Rect(1280, 0, 2560, 720), onB, outs[1].Logical, nil},
		{image.Rect(0, 0, 2560, 1440), onB, outs[1].Logical, nil},
		{image.Rectangle{}, onB, outs[1].Logical, nil},
		{image.Rect(0, 0, 1280, 720), onB, image.Rectangle{}, ErrRegionOffMonitor},
		{image.Rect(0, 0, 1280, 720), image.Rect(1200, 0, 1300, 50), outs[0].Logical, nil}, // mostly on A
		{image.Rect(0, 0, 1280, 720), image.Rect(3000, 0, 3100, 50), image.Rectangle{}, ErrRegionOffMonitor},
		{image.Rect(5, 5, 50, 50), image.Rectangle{}, image.Rect(5, 5, 50, 50), nil}, // the whole cast
	} {
		got, err := castMonitor(c.reported, outs, c.area)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("reported %v, region %v: %v, %v; want %v, %v", c.reported, c.area, got, err, c.want, c.err)
		}
	}
	if got, _ := castMonitor(image.Rect(0, 0, 1280, 720), nil, onB); got != image.Rect(0, 0, 1280, 720) {
		t.Errorf("without the outputs: %v", got)
	}
}

// A region chosen on the desktop's screenshot of one scaled monitor (GNOME
// at 200 %: 2560×1440 pixels, 1280×720 in the layout) is halved into the
// layout; on a screenshot of the layout's own size, or of several
// monitors, it is kept.
func TestCastAreaLayout(t *testing.T) {
	r := image.Rect(200, 100, 600, 500)
	for _, c := range []struct {
		on      image.Point
		monitor image.Rectangle
		want    image.Rectangle
	}{
		{image.Pt(2560, 1440), image.Rect(0, 0, 1280, 720), image.Rect(100, 50, 300, 250)},
		{image.Pt(1280, 720), image.Rect(0, 0, 1280, 720), r},
		{image.Pt(3840, 1080), image.Rect(1920, 0, 3840, 1080), r},
		{image.Point{}, image.Rect(0, 0, 1280, 720), r},
		{image.Pt(2560, 1440), image.Rectangle{}, r},
	} {
		if got := (CastArea{Rect: r, On: c.on}).layout(c.monitor); got != c.want {
			t.Errorf("chosen on %v, monitor %v: %v, want %v", c.on, c.monitor, got, c.want)
		}
	}
}
