package quick

import (
	"image"
	"testing"
)

func TestLayout(t *testing.T) {
	l := Lay(image.Pt(256, 144))
	if l.Size != image.Pt(240, 135+barHeight) || l.Picture != image.Rect(0, 0, 240, 135) || len(l.Buttons) != len(Buttons) {
		t.Fatalf("layout %+v", l)
	}
	if l.At(image.Pt(10, 140)) != 0 || l.At(image.Pt(239, 150)) != len(Buttons)-1 || l.At(image.Pt(100, 50)) != -1 {
		t.Errorf("buttons at %v", l.Buttons)
	}
	if tall := Lay(image.Pt(100, 1000)); tall.Picture.Dy() != maxPicture {
		t.Errorf("a tall picture: %v", tall.Picture)
	}
	if at := Corner(image.Rect(1920, 0, 3840, 1080), l.Size); at != image.Pt(3840-24-240, 1080-24-l.Size.Y) {
		t.Errorf("corner %v", at)
	}
	img := Draw(l, image.NewRGBA(image.Rect(0, 0, 256, 144)), 2)
	if img.Rect.Size() != l.Size || img.RGBAAt(l.Buttons[2].Min.X+2, l.Buttons[2].Min.Y+2) != hoverColour {
		t.Errorf("the button under the pointer is not highlighted")
	}
}
