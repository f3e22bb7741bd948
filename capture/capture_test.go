package capture

import (
	"errors"
	"image"
	"os"
	"os/exec"
	"testing"

	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/refdesk"
	"imagecx/internal/testkit/xvfb"
)

// loadFixture is the reference desktop (internal/testkit/refdesk); read only.
func loadFixture(t testing.TB) *image.RGBA {
	t.Helper()
	return refdesk.Image()
}

// paintedScreen is an Xvfb showing the reference desktop, opened; it is
// closed when the test ends.
func paintedScreen(t testing.TB) (Screen, *image.RGBA) {
	t.Helper()
	want := loadFixture(t)
	x := xvfb.Start(t, want.Rect.Dx(), want.Rect.Dy())
	x.Paint(t, want)
	s, err := Open(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, want
}

// diff counts pixels of got that differ from want's area r.
var diff = imgdiff.Count

func TestCaptureEqualsThePaintedDesktop(t *testing.T) {
	s, want := paintedScreen(t)
	got, err := Full(t.Context(), s, AllMonitors)
	if err != nil {
		t.Fatal(err)
	}
	if n := diff(got, want, want.Rect); n != 0 {
		t.Fatalf("%d pixels differ from the painted desktop", n)
	}
	// Reading in strips reports the rows as they arrive, all of them.
	into := image.NewRGBA(want.Rect)
	rows := 0
	if err := s.CaptureInto(t.Context(), into, s.Bounds(), func(n int) {
		if n < rows {
			t.Errorf("rows went back from %d to %d", rows, n)
		}
		rows = n
	}); err != nil {
		t.Fatal(err)
	}
	if rows != want.Rect.Dy() || diff(into, want, want.Rect) != 0 {
		t.Fatalf("CaptureInto: rows up to %d, %d pixels differ", rows, diff(into, want, want.Rect))
	}
	// A sub-rectangle, and one hanging off the edge (clipped).
	r := image.Rect(100, 200, 740, 680)
	sub, err := s.Capture(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	if n := diff(sub, want, r); n != 0 {
		t.Fatalf("%d pixels differ in %v", n, r)
	}
	edge, err := s.Capture(t.Context(), image.Rect(3800, 2100, 4000, 2300))
	if err != nil || edge.Rect.Dx() != 40 || edge.Rect.Dy() != 60 {
		t.Fatalf("edge capture: %v %v", edge.Rect, err)
	}
	if _, err := s.Capture(t.Context(), image.Rect(5000, 5000, 5100, 5100)); err == nil {
		t.Fatal("an area off the screen was captured")
	}
}

func TestPointerMonitorOnTwoMonitors(t *testing.T) {
	xvfb.Need(t, "xrandr", "xdotool")
	want := loadFixture(t)
	x := xvfb.Start(t, 3840, 2160)
	x.Paint(t, want)
	env := append(os.Environ(), "DISPLAY="+x.Display)
	for _, args := range [][]string{
		{"--setmonitor", "left", "1920/508x2160/286+0+0", "screen"},
		{"--setmonitor", "right", "1920/508x2160/286+1920+0", "none"},
	} {
		cmd := exec.Command("xrandr", args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xrandr %v: %v %s", args, err, out)
		}
	}
	s, err := Open(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mons, err := s.Monitors()
	if err != nil || len(mons) != 2 {
		t.Fatalf("monitors %v %v", mons, err)
	}
	move := exec.Command("xdotool", "mousemove", "2500", "300")
	move.Env = env
	if out, err := move.CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	got, err := Full(t.Context(), s, PointerMonitor)
	if err != nil {
		t.Fatal(err)
	}
	if n := diff(got, want, image.Rect(1920, 0, 3840, 2160)); n != 0 {
		t.Fatalf("pointer monitor: %d pixels differ (got %v)", n, got.Rect)
	}
	all, err := Full(t.Context(), s, AllMonitors)
	if err != nil || all.Rect.Dx() != 3840 {
		t.Fatalf("all monitors: %v %v", all.Rect, err)
	}
}

func TestMonitorAt(t *testing.T) {
	mons := []Monitor{
		{Name: "left", Bounds: image.Rect(-1920, 0, 0, 1080)},
		{Name: "main", Bounds: image.Rect(0, 0, 2560, 1440)},
	}
	for p, want := range map[image.Point]string{
		{-5, 10}: "left", {0, 0}: "main", {2000, 1400}: "main", {-100, 1300}: "left", {3000, 10}: "main",
	} {
		if got := MonitorAt(mons, p).Name; got != want {
			t.Errorf("MonitorAt(%v) = %s, want %s", p, got, want)
		}
	}
}

func TestActiveTitle(t *testing.T) {
	x := xvfb.Start(t, 320, 200)
	s, err := Open(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.(Titler).ActiveTitle(); got != "" {
		t.Fatalf("no window manager, yet %q", got)
	}
	xvfb.AnnounceWindow(t, x.Display, "Terminal — vim")
	if got := s.(Titler).ActiveTitle(); got != "Terminal — vim" {
		t.Fatalf("title %q", got)
	}
}

func TestOpenWithoutDisplayIsUnsupported(t *testing.T) {
	t.Setenv("DISPLAY", "")
	if _, err := Open(""); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("capture: %v", err)
	}
}
