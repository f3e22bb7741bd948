package region

import (
	"bytes"
	"image"
	"testing"

	"imagecx/fonts"
	"imagecx/i18n"
)

func TestPainter(t *testing.T) {
	const w, h = 400, 300
	frozen := make([]byte, w*h*4)
	for i := 0; i < len(frozen); i += 4 {
		px := i / 4
		frozen[i], frozen[i+1], frozen[i+2], frozen[i+3] = byte(px%251), byte(px%241), byte(px%239), 0
	}
	back := make([]byte, w*h*4)
	p := newPainter(frozen, back, w, h, "")
	at := func(buf []byte, x, y int) bgra {
		o := (y*w + x) * 4
		return bgra{buf[o], buf[o+1], buf[o+2], buf[o+3]}
	}
	dimmed := func(x, y int) bgra {
		c := at(frozen, x, y)
		return bgra{byte(int(c[0]) * 5 / 8), byte(int(c[1]) * 5 / 8), byte(int(c[2]) * 5 / 8), 255}
	}
	if at(back, 10, 10) != dimmed(10, 10) {
		t.Fatal("the first frame is not the dimmed screen")
	}
	sel := Selection{Bounds: image.Rect(0, 0, w, h), Rect: image.Rect(100, 80, 220, 160), Pointer: image.Pt(220, 160)}
	damaged := p.paint(layout(sel, labelWidth, p.hint.Rect.Dx()))
	if len(damaged) == 0 {
		t.Fatal("nothing damaged")
	}
	inside := at(frozen, 150, 120)
	inside[3] = 0
	if got := at(back, 150, 120); got[0] != inside[0] || got[1] != inside[1] || got[2] != inside[2] {
		t.Errorf("inside the selection: %v, the screen had %v", got, inside)
	}
	if got := at(back, 100-1, 120); got != colour(colBorder) {
		t.Errorf("border: %v", got)
	}
	if got := at(back, 380, 280); got != dimmed(380, 280) {
		t.Errorf("outside: %v, want the dimmed %v", got, dimmed(380, 280))
	}
	if got := at(back, 5, 160); got != colour(colCross) {
		t.Errorf("crosshair: %v", got)
	}
	// The magnifier's centre cell is the pixel under the pointer.
	f := layout(sel, labelWidth, p.hint.Rect.Dx())
	c := f.mag.Min.Add(image.Pt(2+zoomSrc/2*zoom+zoom/2, 2+zoomSrc/2*zoom+zoom/2))
	want := at(frozen, 220, 160)
	want[3] = 255
	if got := at(back, c.X, c.Y); got != want {
		t.Errorf("magnifier centre %v, the pointer's pixel %v", got, want)
	}
	// The label says the size, in light pixels on its dark box.
	if f.label != " 120 x 80 " {
		t.Errorf("label %q", f.label)
	}
	light := 0
	for y := f.labelAt.Y - 12; y < f.labelAt.Y+4; y++ {
		for x := f.labelAt.X; x < f.labelAt.X+labelWidth(f.label); x++ {
			if at(back, x, y) == colour(colText) {
				light++
			}
		}
	}
	if light < 20 {
		t.Errorf("%d text pixels in the label", light)
	}
	// The next frame puts back what the last one drew and it no longer draws.
	sel.Rect, sel.Pointer = image.Rectangle{}, image.Pt(30, 250)
	p.paint(layout(sel, labelWidth, p.hint.Rect.Dx()))
	if got := at(back, 205, 95); got != dimmed(205, 95) {
		t.Errorf("the old selection was not dimmed again: %v", got)
	}
	if got := at(back, 5, 160); got != dimmed(5, 160) {
		t.Errorf("the old crosshair is still there: %v", got)
	}
}

// The hint line keeps out of the selection and away from the pointer.
func TestHintKeepsOutOfTheWay(t *testing.T) {
	screen := image.Rect(0, 0, 1920, 1080)
	hw := hintImage("").Rect.Dx()
	box := func(f frame) image.Rectangle {
		return image.Rect(f.hintAt.X, f.hintAt.Y-12, f.hintAt.X+hw, f.hintAt.Y+4)
	}
	for _, sel := range []Selection{
		{Bounds: screen, Pointer: image.Pt(100, 100)},
		{Bounds: screen, Pointer: image.Pt(960, 1070)},
		{Bounds: screen, Pointer: image.Pt(960, 10), Rect: image.Rect(300, 900, 1700, 1080)},
		{Bounds: screen, Pointer: image.Pt(100, 500), Rect: image.Rect(0, 0, 1920, 1080)},
	} {
		f := layout(sel, labelWidth, hw)
		b := box(f)
		if !f.hasText() || !b.In(screen) {
			t.Fatalf("no hint on screen for %+v: %v", sel, b)
		}
		if b.Overlaps(f.mag) || f.p.In(b.Inset(-20)) {
			t.Errorf("the hint %v is under the pointer %v or its magnifier %v", b, f.p, f.mag)
		}
		if !sel.Rect.Empty() && sel.Rect != screen && b.Overlaps(sel.Rect) {
			t.Errorf("the hint %v covers the selection %v", b, sel.Rect)
		}
	}
	if f := layout(Selection{Bounds: screen}, func(string) int { return 0 }, hw); f.hasText() {
		t.Error("a hint without a font")
	}
}

// In Chinese the hint line draws its Han characters (the labels' bitmap
// font has none: without the CJK font they would be left out), in the
// labels' box height.
func TestHintInChinese(t *testing.T) {
	defer i18n.Use(i18n.Current())
	i18n.Use(i18n.English)
	en := hintImage("")
	i18n.Use(i18n.Traditional)
	if _, err := fonts.CJK(i18n.Traditional); err != nil {
		t.Fatalf("%v: scripts/deps.sh test installs fonts-noto-cjk", err)
	}
	zh := hintImage("")
	if zh.Rect.Dy() != hintH || en.Rect.Dy() != hintH {
		t.Fatalf("heights %d and %d", zh.Rect.Dy(), en.Rect.Dy())
	}
	text := []rune(i18n.T(Hint))
	if text[0] < 0x4e00 || text[0] > 0x9fff {
		t.Fatalf("the Traditional Chinese hint does not start with a Han character: %q", string(text))
	}
	// The first character sits after the leading space (7 pixels) and is
	// about 13 wide: it must leave light pixels there.
	light := 0
	for y := range hintH {
		for x := 7; x < 7+13; x++ {
			if zh.RGBAAt(x, y) == rgb(colText) {
				light++
			}
		}
	}
	if light < 15 {
		t.Errorf("the first Han character is not drawn (%d light pixels)", light)
	}
}

// Once a region is chosen the hint line says what now (Enter, move,
// resize), not "Drag: region" any more; the recording's says it records.
func TestTheHintFollowsTheSelection(t *testing.T) {
	for _, key := range []string{"", RecordHint} {
		p := newPainter(make([]byte, 4*64*64), make([]byte, 4*64*64), 64, 64, key)
		none, chosen := p.hintFor(image.Rectangle{}), p.hintFor(image.Rect(1, 1, 9, 9))
		if none != p.hint || chosen != p.chosen || bytes.Equal(none.Pix, chosen.Pix) {
			t.Errorf("%q: the same line before and after a region is chosen", key)
		}
	}
	if chosenHint(RecordHint) != RecordChosenHint || chosenHint("") != ChosenHint {
		t.Error("the chosen lines")
	}
}
