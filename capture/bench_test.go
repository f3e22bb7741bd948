package capture

import "testing"

func BenchmarkCaptureX11Fixture(b *testing.B) {
	s, _ := paintedScreen(b)
	for b.Loop() {
		if _, err := Full(b.Context(), s, AllMonitors); err != nil {
			b.Fatal(err)
		}
	}
}
