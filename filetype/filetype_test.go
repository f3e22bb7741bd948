package filetype

import (
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	ftyp := func(major string, compat ...string) []byte {
		b := []byte{0, 0, 0, byte(16 + 4*len(compat)), 'f', 't', 'y', 'p'}
		b = append(b, major...)
		b = append(b, 0, 0, 0, 0)
		for _, c := range compat {
			b = append(b, c...)
		}
		return append(b, make([]byte, 16)...)
	}
	cases := map[string][]byte{
		"image/png":       []byte("\x89PNG\r\n\x1a\n...."),
		"image/jpeg":      {0xFF, 0xD8, 0xFF, 0xE0, 0, 0},
		"image/gif":       []byte("GIF89a......"),
		"image/bmp":       append([]byte("BM"), make([]byte, 40)...),
		"image/webp":      []byte("RIFF\x00\x00\x00\x00WEBPVP8 "),
		"image/avif":      ftyp("avif", "mif1", "miaf"),
		"video/quicktime": ftyp("qt  "),
		"video/mp4":       ftyp("isom", "iso2", "mp41"),
		"video/webm":      append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x9f, 0x42, 0x82, 0x84}, []byte("webm....")...),
		"":                []byte("hello"),
	}
	cases["HEIC"] = ftyp("heic", "mif1", "heic")
	for want, data := range cases {
		if want == "HEIC" {
			want = ""
		}
		if got := Sniff(data); got != want {
			t.Errorf("Sniff(%q...) = %q, want %q", data[:min(8, len(data))], got, want)
		}
	}
	if Sniff(append([]byte{0x1A, 0x45, 0xDF, 0xA3}, []byte("matroska")...)) != "" {
		t.Error("Matroska (not WebM) accepted")
	}
}

func TestExt(t *testing.T) {
	for mime, want := range map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "video/quicktime": ".mov", "image/webp": ".webp", "image/bmp": ".bmp", "image/x-bmp": ".bmp", "": ""} {
		if got := Ext(mime); got != want {
			t.Errorf("Ext(%q) = %q, want %q", mime, got, want)
		}
	}
}

// FuzzSniff: any bytes are named or refused without a panic, and a name
// has an extension.
func FuzzSniff(f *testing.F) {
	for _, s := range []string{"\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "GIF89a", "BM" + strings.Repeat("\x00", 30), "RIFF\x00\x00\x00\x00WEBPVP8 ",
		"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1", "\x00\x00\x00\x08ftyp", "\x00\x00\x00\xffftypqt  ", "\x1a\x45\xdf\xa3webm"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		mime := Sniff(data)
		if mime != "" && (Ext(mime) == "" || !strings.Contains(mime, "/")) {
			t.Fatalf("%q named %q", data, mime)
		}
		Playable(data) // never panics, whatever the boxes claim
	})
}
