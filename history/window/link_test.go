package window

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"
)

// The link form takes the clipboard's link, never its other text; Upload
// is enabled only for a web address, hands it on and closes; a failure
// keeps the window and says why.
func TestLinkForm(t *testing.T) {
	test.NewTempApp(t)
	var sent []string
	closed, failed := 0, 0
	var sendErr error
	form := func(clip string) *LinkForm {
		f := NewLinkForm(clip, func(l string) error { sent = append(sent, l); return sendErr }, func() { closed++ }, func(error) { failed++ })
		test.NewWindow(f.Content)
		return f
	}
	if f := form("  https://example.com/cat.png\n"); f.Text() != "https://example.com/cat.png" || !f.CanUpload() {
		t.Errorf("the clipboard's link: %q, upload %v", f.Text(), f.CanUpload())
	}
	for _, clip := range []string{"my password", "https://", "https://a.example/x y.png", "ftp://example.com/a.png", "file:///etc/passwd"} {
		if f := form(clip); f.Text() != "" || f.CanUpload() {
			t.Errorf("clipboard %q filled in %q (upload %v)", clip, f.Text(), f.CanUpload())
		}
	}
	f := form("")
	f.SetText("not a link")
	f.Submit()
	if f.CanUpload() || len(sent) != 0 {
		t.Errorf("a non-link: upload %v, sent %q", f.CanUpload(), sent)
	}
	f.SetText("https://example.com/a.jpg ")
	f.Submit()
	if len(sent) != 1 || sent[0] != "https://example.com/a.jpg" || closed != 1 {
		t.Errorf("sent %q, closed %d", sent, closed)
	}
	sendErr = errors.New("refused")
	f.Submit()
	if failed != 1 || closed != 1 {
		t.Errorf("a failed hand-off: failed %d, closed %d", failed, closed)
	}
}
