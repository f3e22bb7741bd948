package ocr

import (
	"context"
	"errors"
	"image"
	"testing"
)

// Find on Windows: tesseract where it is installed, else Windows' own
// recognition, which reads at least one language; where neither is (Wine
// has no Windows.Media.Ocr), ErrNoWindowsOCR, which says both.
func TestFindOnWindows(t *testing.T) {
	e, err := Find()
	switch {
	case errors.Is(err, ErrNoWindowsOCR):
		t.Log("no engine here:", err)
	case err != nil:
		t.Fatalf("Find: %v", err)
	default:
		langs, err := e.Languages(context.Background())
		if err != nil || len(langs) == 0 {
			t.Fatalf("%T reads %v (%v)", e, langs, err)
		}
		if _, err := e.Read(context.Background(), image.NewGray(image.Rect(0, 0, 64, 32)), langs); err != nil {
			t.Errorf("%T reading a blank image: %v", e, err)
		}
	}
}

// Windows' language tags by tesseract's names.
func TestNameOf(t *testing.T) {
	for tag, want := range map[string]string{"en-US": "eng", "en": "eng", "zh-Hant-TW": "chi_tra", "zh-TW": "chi_tra", "zh-HK": "chi_tra",
		"zh-Hans-CN": "chi_sim", "zh-CN": "chi_sim", "ja-JP": "jpn", "ja": "jpn", "de-DE": "", "jam": ""} {
		if got := nameOf(tag); got != want {
			t.Errorf("%s: %q, want %q", tag, got, want)
		}
	}
}

// The grey image as Windows takes it: BGRA, each grey in the three
// colours, opaque; made smaller to the engine's limit, its shape kept.
func TestBGRAOf(t *testing.T) {
	img := image.NewGray(image.Rect(10, 20, 14, 22))
	for i := range img.Pix {
		img.Pix[i] = uint8(40 * i)
	}
	bgra, w, h := bgraOf(img, 0)
	if w != 4 || h != 2 || len(bgra) != 32 {
		t.Fatalf("%d×%d, %d bytes", w, h, len(bgra))
	}
	for i, v := range img.Pix {
		if got := bgra[i*4 : i*4+4]; got[0] != v || got[1] != v || got[2] != v || got[3] != 0xff {
			t.Fatalf("pixel %d: %v, want %d", i, got, v)
		}
	}
	if _, w, h := bgraOf(img, 2); w != 2 || h != 1 {
		t.Errorf("made smaller to 2: %d×%d", w, h)
	}
}
