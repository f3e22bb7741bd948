package instance

import "testing"

// Files with any character a path may hold (spaces, newlines, quotes)
// come through the command whole and in order.
func TestUploadFiles(t *testing.T) {
	files := []string{"/home/a b/x.png", "/tmp/line\nbreak.png", `/q"uote'.png`, "https://example.com/a.png?x=1"}
	got, ok := UploadedFiles(UploadFiles(files))
	if !ok || len(got) != len(files) {
		t.Fatalf("%q %v", got, ok)
	}
	for i := range files {
		if got[i] != files[i] {
			t.Errorf("%q became %q", files[i], got[i])
		}
	}
	for _, other := range []string{"upload", "uploads\x00/a.png", Status, "upload\x00"} {
		if _, ok := UploadedFiles(other); ok {
			t.Errorf("%q read as files", other)
		}
	}
}
