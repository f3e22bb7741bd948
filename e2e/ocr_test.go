package e2e

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/i18n"
	"imagecx/internal/testkit/textimg"
	"imagecx/internal/testkit/xvfb"
	"imagecx/ocr"
)

// textOnScreen is the reference desktop with lines of l's text drawn at
// at, and where they are.
func textOnScreen(t *testing.T, lines []string, l i18n.Lang, at image.Point) (*image.RGBA, image.Rectangle) {
	t.Helper()
	text, err := textimg.Render(lines, l, textimg.Style{Size: 14})
	if err != nil {
		t.Fatal(err)
	}
	desk := desktopImage(t)
	screen := image.NewRGBA(desk.Rect) // a copy: the reference desktop is shared
	copy(screen.Pix, desk.Pix)
	r := text.Rect.Add(at)
	draw.Draw(screen, r, text, image.Point{}, draw.Src)
	return screen, r
}

// Copy text from region as a person does it, in image.cx's language:
// the tray's item, a drag around Chinese text on the screen, Enter; the
// text is on the clipboard and in a notification, and nothing is
// uploaded. From a desktop shortcut (`imagecx ocr --copy`, Wayland's
// hotkeys) the running tray app does the same, and T on a capture's
// overlay reads the region's text instead of capturing it.
func TestCopyTextFromRegion(t *testing.T) {
	xvfb.Need(t, "tesseract")
	lines := textimg.Samples(i18n.Traditional)[:4]
	want := strings.Join(lines, "\n")
	screen, where := textOnScreen(t, lines, i18n.Traditional, image.Pt(600, 500))
	d := newDesk(t, deskOpts{screen: screen})
	d.u.env[i18n.EnvLanguage] = "zh-Hant"
	p := d.start()

	d.tray.Click(t, p.item, i18n.In(i18n.Traditional, "Copy text from region"))
	d.dragRegion(0, where.Min.Add(image.Pt(4, 4)), where.Max.Sub(image.Pt(4, 4)))
	note := d.notes.Wait(t, 0, 60*time.Second, titled(i18n.In(i18n.Traditional, "Text copied")))
	got := string(d.clipboard("UTF8_STRING"))
	if acc := ocr.Accuracy(got, want); acc < 0.95 {
		t.Errorf("%.1f %% of the characters read right:\n%s", 100*acc, got)
	}
	if first := strings.SplitN(got, "\n", 2)[0]; !strings.HasPrefix(note.Body, first) {
		t.Errorf("the notification shows %q, the clipboard %q", note.Body, got)
	}

	// Handed over from a desktop shortcut: the overlay's second showing.
	d.copyToClipboard("UTF8_STRING", []byte("something else"))
	from := len(d.notes.All())
	r := d.u.run("", "ocr", "--copy")
	if r.code != 0 || !strings.Contains(r.stderr, "從區域複製文字") {
		t.Fatalf("imagecx ocr --copy with the tray app running:\n%s", r)
	}
	d.dragRegion(1, where.Min.Add(image.Pt(4, 4)), where.Max.Sub(image.Pt(4, 4)))
	d.notes.Wait(t, from, 60*time.Second, titled(i18n.In(i18n.Traditional, "Text copied")))
	if got := string(d.clipboard("UTF8_STRING")); ocr.Accuracy(got, want) < 0.95 {
		t.Errorf("handed over, the clipboard holds %q", got)
	}

	// T instead of Enter on a capture's overlay: its text, not a capture.
	d.copyToClipboard("UTF8_STRING", []byte("something else"))
	from = len(d.notes.All())
	d.key("ctrl+shift+2")
	d.waitLog("overlay shown", 3, 15*time.Second)
	a, b := where.Min.Add(image.Pt(4, 4)), where.Max.Sub(image.Pt(4, 4))
	d.tool("xdotool", "mousemove", itoa(a.X), itoa(a.Y), "mousedown", "1", "mousemove", itoa(b.X), itoa(b.Y), "mouseup", "1")
	d.key("t")
	d.notes.Wait(t, from, 60*time.Second, titled(i18n.In(i18n.Traditional, "Text copied")))
	if got := string(d.clipboard("UTF8_STRING")); ocr.Accuracy(got, want) < 0.95 {
		t.Errorf("after T, the clipboard holds %q", got)
	}
	if n := len(d.srv.Stored()); n != 0 {
		t.Errorf("%d uploads; reading text uploads nothing", n)
	}
}

// `imagecx ocr FILE` prints the text of an image file, in the language
// asked for; without tesseract it says what to install.
func TestOCRFromTheCommandLine(t *testing.T) {
	xvfb.Need(t, "tesseract")
	u := newUser(t)
	for _, c := range []struct {
		lang  i18n.Lang
		flags []string
	}{
		{i18n.English, nil},
		{i18n.Japanese, []string{"--lang", "jpn+eng"}},
	} {
		lines := textimg.Samples(c.lang)
		img, err := textimg.Render(lines, c.lang, textimg.Style{Size: 13})
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(u.home, "text-"+string(c.lang)+".png")
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(file, buf.Bytes(), 0o600)
		r := u.run("", append(append([]string{"ocr"}, c.flags...), file)...)
		if r.code != 0 || ocr.Accuracy(r.stdout, strings.Join(lines, "\n")) < 0.95 {
			t.Errorf("imagecx ocr %s (%s):\n%s", file, c.lang, r)
		}
	}

	// No tesseract on PATH: said, with what to install.
	u.env["PATH"] = t.TempDir()
	r := u.run("", "ocr", filepath.Join(u.home, "text-en.png"))
	if r.code == 0 || !strings.Contains(r.stderr, "install tesseract-ocr") {
		t.Errorf("without tesseract:\n%s", r)
	}
	// Not an image.
	u.env["PATH"] = os.Getenv("PATH")
	os.WriteFile(filepath.Join(u.home, "notes.txt"), []byte("hello"), 0o600)
	if r := u.run("", "ocr", filepath.Join(u.home, "notes.txt")); r.code == 0 || !strings.Contains(r.stderr, "is not an image imagecx can read") {
		t.Errorf("a text file:\n%s", r)
	}
}
