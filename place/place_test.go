package place

import (
	"image"
	"testing"
)

func TestCentred(t *testing.T) {
	left, right := image.Rect(0, 0, 1920, 1080), image.Rect(1920, 0, 4480, 1440)
	for _, c := range []struct {
		name     string
		monitors []image.Rectangle
		pointer  image.Point
		size     image.Point
		want     image.Point
	}{
		{"the left monitor", []image.Rectangle{left, right}, image.Pt(100, 100), image.Pt(620, 640), image.Pt(650, 220)},
		{"the right monitor", []image.Rectangle{left, right}, image.Pt(3000, 1300), image.Pt(620, 640), image.Pt(1920+970, 400)},
		{"the pointer on no monitor: the first", []image.Rectangle{left, right}, image.Pt(3000, 1500), image.Pt(620, 640), image.Pt(650, 220)},
		{"bigger than the monitor: its corner on it", []image.Rectangle{right}, image.Pt(2000, 10), image.Pt(3000, 2000), image.Pt(1920, 0)},
		{"no monitors", nil, image.Pt(5, 5), image.Pt(10, 10), image.Point{}},
	} {
		at, ok := Centred(c.monitors, c.pointer, c.size)
		if c.monitors == nil {
			if ok {
				t.Errorf("%s: placed at %v", c.name, at)
			}
			continue
		}
		if !ok || at != c.want {
			t.Errorf("%s: %v %v, want %v", c.name, at, ok, c.want)
		}
	}
}
