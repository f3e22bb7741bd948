package rawimage

import (
	"bytes"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	img := image.NewRGBA(image.Rect(3, 4, 40, 30)) // not at the origin
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 5), uint8(y * 7), uint8(x + y), 255})
		}
	}
	img.SetRGBA(5, 6, color.RGBA{40, 20, 0, 128}) // premultiplied, half covered
	path := filepath.Join(t.TempDir(), "x.pam")
	if err := Write(path, img); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rect.Size() != img.Rect.Size() {
		t.Fatalf("size %v", got.Rect)
	}
	for y := range got.Rect.Dy() {
		for x := range got.Rect.Dx() {
			if a, b := got.RGBAAt(x, y), img.RGBAAt(x+3, y+4); a != b {
				t.Fatalf("%d,%d: %v, want %v", x, y, a, b)
			}
		}
	}
	data, _ := os.ReadFile(path)
	if !IsPAM(data) {
		t.Error("not seen as PAM")
	}
}

func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"png":   {0x89, 'P', 'N', 'G'},
		"huge":  []byte("P7\nWIDTH 100000\nHEIGHT 100000\nDEPTH 4\nMAXVAL 255\nENDHDR\n"),
		"short": append([]byte("P7\nWIDTH 10\nHEIGHT 10\nDEPTH 4\nMAXVAL 255\nENDHDR\n"), bytes.Repeat([]byte{1}, 30)...),
		"16bit": []byte("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 4\nMAXVAL 65535\nENDHDR\n12345678"),
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		if _, err := Read(p); err == nil {
			t.Errorf("%s: read", name)
		}
	}
}
