package region

import (
	"image"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func newSel() *Selection { return &Selection{Bounds: image.Rect(0, 0, 3840, 2160)} }

func drag(s *Selection, from, to image.Point, at time.Time) Result {
	s.Press(from, 1, at)
	s.Motion(image.Pt((from.X+to.X)/2, (from.Y+to.Y)/2))
	s.Motion(to)
	return s.Release(to, 1)
}

func TestDragSelects(t *testing.T) {
	s := newSel()
	if r := drag(s, image.Pt(100, 200), image.Pt(740, 680), t0); r != Continue {
		t.Fatalf("release = %v", r)
	}
	if s.Rect != image.Rect(100, 200, 740, 680) {
		t.Fatalf("rect %v", s.Rect)
	}
	if s.Key(KeyEnter, false) != Confirm {
		t.Fatal("Enter does not confirm")
	}
	// Dragging up-left gives the same rectangle; off-screen is clipped.
	s = newSel()
	drag(s, image.Pt(740, 680), image.Pt(100, 200), t0)
	if s.Rect != image.Rect(100, 200, 740, 680) {
		t.Fatalf("reverse drag %v", s.Rect)
	}
	drag(s, image.Pt(3800, 2100), image.Pt(5000, 3000), t0.Add(time.Second))
	if s.Rect != image.Rect(3800, 2100, 3840, 2160) {
		t.Fatalf("clipped %v", s.Rect)
	}
}

func TestClickPicksAWindowAndDoubleClickConfirms(t *testing.T) {
	s := newSel()
	if r := drag(s, image.Pt(50, 50), image.Pt(51, 50), t0); r != PickWindow {
		t.Fatalf("click = %v", r)
	}
	s.Rect = image.Rect(40, 40, 400, 300) // the window the caller found
	if r := s.Press(image.Pt(50, 50), 1, t0.Add(200*time.Millisecond)); r != Confirm {
		t.Fatalf("double click = %v", r)
	}
	// Two presses far apart in time are not a double click.
	s = newSel()
	drag(s, image.Pt(10, 10), image.Pt(200, 200), t0)
	if r := s.Press(image.Pt(100, 100), 1, t0.Add(2*time.Second)); r != Continue {
		t.Fatalf("slow second press = %v", r)
	}
}

func TestMoveResizeAndNudge(t *testing.T) {
	s := newSel()
	drag(s, image.Pt(100, 100), image.Pt(500, 400), t0)
	// Drag inside: moves.
	drag(s, image.Pt(300, 250), image.Pt(310, 270), t0.Add(time.Second))
	if s.Rect != image.Rect(110, 120, 510, 420) {
		t.Fatalf("moved %v", s.Rect)
	}
	// Drag the bottom-right corner: resizes.
	drag(s, image.Pt(509, 419), image.Pt(609, 519), t0.Add(2*time.Second))
	if s.Rect != image.Rect(110, 120, 610, 520) {
		t.Fatalf("resized %v", s.Rect)
	}
	// Drag the left edge past the right: flips, never negative.
	drag(s, image.Pt(110, 300), image.Pt(700, 300), t0.Add(3*time.Second))
	if s.Rect != image.Rect(610, 120, 700, 520) {
		t.Fatalf("flipped %v", s.Rect)
	}
	s.Key(KeyLeft, false)
	s.Key(KeyDown, true)
	if s.Rect != image.Rect(609, 130, 699, 530) {
		t.Fatalf("nudged %v", s.Rect)
	}
	// Moving never leaves the screen.
	for range 100 {
		s.Key(KeyUp, true)
	}
	if s.Rect.Min.Y != 0 || s.Rect.Dy() != 400 {
		t.Fatalf("nudged off screen: %v", s.Rect)
	}
}

func TestCancel(t *testing.T) {
	s := newSel()
	if s.Key(KeyEscape, false) != Cancel || s.Press(image.Pt(1, 1), 3, t0) != Cancel {
		t.Fatal("Esc and right click must cancel")
	}
	if s.Key(KeyEnter, false) != Continue {
		t.Fatal("Enter without a selection must not confirm")
	}
}

func TestLastRegion(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadLast(dir); err != ErrNoLast {
		t.Fatal(err)
	}
	r := image.Rect(-100, 20, 540, 500)
	if err := SaveLast(dir, r); err != nil {
		t.Fatal(err)
	}
	if got, err := LoadLast(dir); err != nil || got != r {
		t.Fatalf("%v %v", got, err)
	}
}

// A remembered region that no screen can have is refused, not wrapped
// around into some other rectangle.
func TestLastRegionOutOfRange(t *testing.T) {
	for _, s := range []string{"9223372036854775807 0 10 10", "0 0 9223372036854775807 10", "-9223372036854775808 0 10 10", "0 0 0 10", "0 0 10 -5", "1 2 3", "x y w h", "0 0 2000000 10"} {
		if r, err := parseLast(s); err != ErrBadLast {
			t.Errorf("%q: %v, %v", s, r, err)
		}
	}
	if r, err := parseLast("-3840 0 100 50\n"); err != nil || r != image.Rect(-3840, 0, -3740, 50) {
		t.Errorf("%v %v", r, err)
	}
}

func TestEditColourAndHover(t *testing.T) {
	s := &Selection{Bounds: image.Rect(0, 0, 400, 300), Windows: []image.Rectangle{image.Rect(50, 50, 150, 120), image.Rect(0, 0, 500, 200)}}
	s.Motion(image.Pt(60, 60))
	if got := s.Hover(); got != image.Rect(50, 50, 150, 120) {
		t.Errorf("hover over the top window: %v", got)
	}
	s.Motion(image.Pt(300, 100))
	if got := s.Hover(); got != image.Rect(0, 0, 400, 200) {
		t.Errorf("hover over a window larger than the screen: %v", got)
	}
	s.Motion(image.Pt(300, 250))
	if got := s.Hover(); got != s.Bounds {
		t.Errorf("hover over no window: %v", got)
	}
	if s.Key(KeyE, false) != Continue || s.Key(KeyT, false) != Continue {
		t.Error("E or T with nothing selected")
	}
	if s.Key(KeyC, false) != PickColour {
		t.Error("C does not pick the colour")
	}
	t0 := time.Now()
	if r := drag(s, image.Pt(60, 60), image.Pt(61, 60), t0); r != PickWindow || s.Rect != image.Rect(50, 50, 150, 120) {
		t.Fatalf("click: %v %v", r, s.Rect)
	}
	if got := s.Hover(); !got.Empty() {
		t.Errorf("hover with a selection: %v", got)
	}
	if s.Key(KeyT, false) != ConfirmText {
		t.Error("T does not confirm for the text")
	}
	if s.Key(KeyE, false) != ConfirmEdit {
		t.Error("E does not confirm for the editor")
	}
}
