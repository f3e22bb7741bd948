package capture

import (
	"testing"

	"imagecx/internal/xvfb"
)

func BenchmarkCaptureX11Fixture(b *testing.B) {
	want := loadFixture(b)
	x := xvfb.Start(b, want.Rect.Dx(), want.Rect.Dy())
	x.Paint(b, want)
	s, err := Open(x.Display)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if _, err := Full(s, AllMonitors); err != nil {
			b.Fatal(err)
		}
	}
}
