package editor

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"imagecx/annotate"
	"imagecx/i18n"
	"imagecx/internal/testkit/poll"
)

type harness struct {
	e      *Editor
	result Result
	img    *image.RGBA
	calls  int
}

func newHarness(t *testing.T) *harness {
	test.NewTempApp(t)
	base := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range base.Pix {
		base.Pix[i] = uint8(i * 7)
	}
	for i := 3; i < len(base.Pix); i += 4 {
		base.Pix[i] = 255
	}
	h := &harness{}
	h.e = New(base, Deps{Done: func(r Result, img *image.RGBA) { h.result, h.img = r, img; h.calls++ }})
	w := test.NewTempWindow(t, h.e.Content)
	w.Resize(fyne.NewSize(1000, 700)) // the capture at its size
	return h
}

// at is the view position of a capture pixel.
func (h *harness) at(x, y int) fyne.Position { return h.e.board.toView(image.Pt(x, y)) }

func (h *harness) drag(pts ...image.Point) {
	b := h.e.board
	b.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: h.at(pts[0].X, pts[0].Y)}, Button: desktop.MouseButtonPrimary})
	for _, p := range pts[1:] {
		b.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: h.at(p.X, p.Y)}})
	}
	b.DragEnd()
	b.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: h.at(pts[len(pts)-1].X, pts[len(pts)-1].Y)}, Button: desktop.MouseButtonPrimary})
}

func (h *harness) click(x, y int) {
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: h.at(x, y)}, Button: desktop.MouseButtonPrimary}
	h.e.board.MouseDown(ev)
	h.e.board.MouseUp(ev)
}

func pt(x, y int) image.Point { return image.Pt(x, y) }

// Each tool's key picks it, and a drag draws its shape where the pointer
// went, in the capture's pixels.
func TestKeysPickToolsAndDragsDraw(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		key  fyne.KeyName
		tool annotate.Tool
	}{
		{fyne.KeyA, annotate.Arrow}, {fyne.KeyL, annotate.Line}, {fyne.KeyR, annotate.Rect},
		{fyne.KeyE, annotate.Ellipse}, {fyne.KeyD, annotate.Pen}, {fyne.KeyH, annotate.Highlighter},
		{fyne.KeyP, annotate.Pixelate}, {fyne.KeyB, annotate.Blur},
	} {
		h.e.TypedKey(c.key)
		h.drag(pt(20, 30), pt(60, 50), pt(120, 90))
		shapes := h.e.Shapes()
		s := shapes[len(shapes)-1]
		if s.Tool != c.tool {
			t.Fatalf("key %s drew tool %d, want %d", c.key, s.Tool, c.tool)
		}
		first, last := s.Points[0], s.Points[len(s.Points)-1]
		if first != pt(20, 30) || last != pt(120, 90) {
			t.Errorf("tool %d from %v to %v", c.tool, first, last)
		}
		if (c.tool == annotate.Pen || c.tool == annotate.Highlighter) != (len(s.Points) == 3) {
			t.Errorf("tool %d kept %d points", c.tool, len(s.Points))
		}
		if c.tool == annotate.Pixelate && annotate.CellSize(s.Width) != annotate.MinCell {
			t.Errorf("pixelate cells of %d px", annotate.CellSize(s.Width))
		}
	}
}

func TestTextAndSteps(t *testing.T) {
	h := newHarness(t)
	h.e.TypedKey(fyne.KeyT)
	h.click(50, 60)
	if !h.e.Typing() {
		t.Fatal("no text field after a click with Text")
	}
	h.e.TypedKey(fyne.KeyR) // keys go to the text, not the tools
	test.Type(h.e.text, "hello")
	h.e.text.OnSubmitted(h.e.text.Text)
	shapes := h.e.Shapes()
	if len(shapes) != 1 || shapes[0].Tool != annotate.Text || shapes[0].Text != "hello" || shapes[0].Points[0] != pt(50, 60) {
		t.Fatalf("text: %+v", shapes)
	}
	h.e.TypedKey(fyne.KeyN)
	h.click(100, 100)
	h.click(150, 100)
	shapes = h.e.Shapes()
	if len(shapes) != 3 || shapes[1].N != 1 || shapes[2].N != 2 {
		t.Fatalf("steps: %+v", shapes)
	}
	// Esc while typing drops the text and keeps the editor open.
	h.e.TypedKey(fyne.KeyT)
	h.click(10, 10)
	h.e.TypedKey(fyne.KeyEscape)
	if h.e.Typing() || len(h.e.Shapes()) != 3 || h.calls != 0 {
		t.Errorf("Esc in a text: typing %v, %d shapes, done %d", h.e.Typing(), len(h.e.Shapes()), h.calls)
	}
}

// The capture itself is never drawn on: undoing everything shows it as
// it was.
func TestTheCaptureStaysAsItWas(t *testing.T) {
	h := newHarness(t)
	before := append([]byte(nil), h.e.doc.Base().Pix...)
	h.e.TypedKey(fyne.KeyR)
	h.drag(pt(20, 20), pt(100, 80))
	h.drag(pt(30, 30), pt(120, 90))
	if string(h.e.doc.Base().Pix) != string(before) {
		t.Fatal("drawing changed the capture")
	}
	if shown := h.e.board.img.Image.(*image.RGBA); shown == h.e.doc.Base() {
		t.Fatal("the shapes are drawn over the capture")
	}
	h.e.Undo()
	h.e.Undo()
	if shown := h.e.board.img.Image.(*image.RGBA); shown != h.e.doc.Base() || string(shown.Pix) != string(before) {
		t.Error("everything undone, the capture as it was is not what shows")
	}
}

func TestMoveAndDelete(t *testing.T) {
	h := newHarness(t)
	h.e.TypedKey(fyne.KeyR)
	h.drag(pt(20, 20), pt(100, 80))
	h.e.TypedKey(fyne.KeyM)
	h.drag(pt(20, 50), pt(30, 55)) // grab the left edge, move by 10,5
	s := h.e.Shapes()[0]
	if s.Points[0] != pt(30, 25) || s.Points[1] != pt(110, 85) {
		t.Fatalf("moved to %v", s.Points)
	}
	h.click(30, 60)
	h.e.TypedKey(fyne.KeyDelete)
	if len(h.e.Shapes()) != 0 {
		t.Fatal("Delete left the shape")
	}
	h.e.Undo()
	if len(h.e.Shapes()) != 1 {
		t.Fatal("undo did not bring it back")
	}
	h.e.Undo()
	if got := h.e.Shapes()[0].Points[0]; got != pt(20, 20) {
		t.Errorf("the move undone: %v", got)
	}
	h.e.Redo()
	if got := h.e.Shapes()[0].Points[0]; got != pt(30, 25) {
		t.Errorf("the move redone: %v", got)
	}
}

func TestCropThenDrawInTheCroppedPart(t *testing.T) {
	h := newHarness(t)
	h.e.TypedKey(fyne.KeyX)
	h.drag(pt(100, 50), pt(300, 250))
	h.e.TypedKey(fyne.KeyR)
	h.drag(pt(120, 70), pt(140, 90)) // capture coordinates, though the view shows only the crop
	h.e.Finish(Upload)
	if h.result != Upload || h.img == nil || h.img.Rect != image.Rect(0, 0, 200, 200) {
		t.Fatalf("result %v, image %v", h.result, h.img)
	}
	if s := h.e.Shapes()[0]; s.Points[0] != pt(120, 70) {
		t.Errorf("drawn at %v in the cropped view", s.Points[0])
	}
}

func TestLeaving(t *testing.T) {
	h := newHarness(t)
	h.e.TypedKey(fyne.KeyR)
	h.drag(pt(20, 20), pt(100, 80))
	h.e.TypedKey(fyne.KeyEscape)
	if h.result != Cancelled || h.img != nil || h.calls != 1 {
		t.Fatalf("Esc: %v %v", h.result, h.img)
	}
	h.e.TypedKey(fyne.KeyReturn)
	if h.calls != 1 {
		t.Error("a second ending")
	}
	h2 := newHarness(t)
	h2.e.TypedKey(fyne.KeyReturn)
	if h2.result != Upload || h2.img == nil || h2.img.Rect.Dx() != 400 {
		t.Errorf("Enter: %v %v", h2.result, h2.img)
	}
}

// Every tool's button says which key picks it.
func TestToolButtonsShowTheirKeys(t *testing.T) {
	h := newHarness(t)
	for i, b := range h.e.toolBtns {
		if !strings.HasSuffix(b.Text, " "+string(tools[i].key)) {
			t.Errorf("button %q does not show %s", b.Text, tools[i].key)
		}
	}
}

// Resting the pointer on a button shows its tooltip, with the key, under
// it and inside the window; leaving takes it away.
func TestTooltips(t *testing.T) {
	h := newHarness(t)
	tipDelay = time.Millisecond
	defer func() { tipDelay = 600 * time.Millisecond }()
	buttons := append([]*tipButton{h.e.undoBtn, h.e.redoBtn}, h.e.toolBtns...)
	for i, b := range buttons {
		b.MouseIn(&desktop.MouseEvent{})
		poll.Until(t, 2*time.Second, "the tooltip of "+b.Text, func() bool {
			var shown string
			fyne.DoAndWait(func() { shown = h.e.tips.shown })
			return shown == b.tip
		})
		if i >= 2 {
			if tool := tools[i-2]; !strings.HasPrefix(b.tip, tool.name+" ("+string(tool.key)+"): ") {
				t.Errorf("tooltip %q does not name the key %s", b.tip, tool.key)
			}
		}
		d := fyne.CurrentApp().Driver()
		at := d.AbsolutePositionForObject(b)
		tip := h.e.tips.bg
		if !tip.Visible() || tip.Position().Y < at.Y+b.Size().Height || tip.Position().X+tip.Size().Width > h.e.Content.Size().Width {
			t.Errorf("%q: tooltip at %v %v, the button at %v %v", b.tip, tip.Position(), tip.Size(), at, b.Size())
		}
		b.MouseOut()
		if tip.Visible() {
			t.Errorf("%q stays after the pointer left", b.tip)
		}
	}
}

func TestOpenAndWrite(t *testing.T) {
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 30, 20))
	img.SetRGBA(3, 4, color.RGBA{1, 2, 3, 255})
	for _, name := range []string{"x.pam", "x.png"} {
		p := filepath.Join(dir, name)
		if err := write(p, img); err != nil {
			t.Fatal(err)
		}
		got, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if got.RGBAAt(3, 4) != img.RGBAAt(3, 4) || got.Rect != img.Rect {
			t.Errorf("%s: %v", name, got.Rect)
		}
	}
	p := filepath.Join(dir, "notes.txt")
	os.WriteFile(p, []byte("hello"), 0o600)
	if _, err := Open(p); err == nil {
		t.Error("a text file opened")
	}
	os.WriteFile(p, []byte("P7\nWIDTH 5\n"), 0o600)
	if _, err := Open(p); err == nil {
		t.Error("a broken PAM opened")
	}
}

// In every language (and the pseudo-language, longer than any), the
// editor's toolbars fit a 1280×720 screen: widths come from the text,
// none of it cut, and the window still fits a small laptop's.
func TestEveryLanguageFits(t *testing.T) {
	test.NewTempApp(t)
	defer i18n.Use(i18n.Current())
	for _, l := range append(slices.Clone(i18n.Langs), i18n.Pseudo) {
		i18n.Use(l)
		e := New(image.NewRGBA(image.Rect(0, 0, 400, 300)), Deps{Save: func(*image.RGBA) {}})
		if m := e.Content.MinSize(); m.Width > 1280 || m.Height > 720 {
			t.Errorf("%s: the editor needs %v", l, m)
		}
	}
}

// A small PNG that says it is 30000×30000 is refused from its header,
// before a pixel is decoded (almost 4 GB of them).
func TestOpenRefusesAGiantFromItsHeader(t *testing.T) {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	data := b.Bytes()
	// The IHDR's width and height (bytes 16–23), and its CRC again.
	binary.BigEndian.PutUint32(data[16:], 30000)
	binary.BigEndian.PutUint32(data[20:], 30000)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	file := filepath.Join(t.TempDir(), "giant.png")
	os.WriteFile(file, data, 0o600)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Open(file)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "30000×30000") {
		t.Fatalf("opened: %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Errorf("%d MB allocated to refuse it", grew>>20)
	}
}

// Copy text reads the image as it is now — a pixelated part as
// pixelated — copies the text, says so, and leaves the editor open; a
// failure is said in the status line.
func TestCopyText(t *testing.T) {
	h := newHarness(t)
	read := make(chan *image.RGBA, 2)
	shown := make(chan func(), 2) // what CopyText shows, run here as fyne's thread would
	var copied string
	var fail error
	h.e.deps.ReadText = func(img *image.RGBA) (string, error) { read <- img; return "Release notes\nline two", fail }
	h.e.deps.CopyText = func(s string) { copied = s }
	h.e.deps.OnThread = func(f func()) { shown <- f }
	h.e.SetTool(slices.IndexFunc(tools, func(t tool) bool { return t.shape == annotate.Pixelate }))
	h.drag(pt(10, 10), pt(200, 150))
	h.e.CopyText()
	img := <-read
	if img.RGBAAt(20, 20) == h.e.doc.Base().RGBAAt(20, 20) && img.RGBAAt(21, 20) == h.e.doc.Base().RGBAAt(21, 20) {
		t.Error("the text was read from the image without its pixelation")
	}
	show := func() {
		select {
		case f := <-shown:
			f()
		case <-time.After(5 * time.Second):
			t.Fatal("what was read is not shown")
		}
	}
	show()
	if copied != "Release notes\nline two" || !strings.Contains(h.e.status.Text, "Release notes") || h.calls != 0 {
		t.Errorf("copied %q, status %q, finished %d", copied, h.e.status.Text, h.calls)
	}
	fail = errors.New("tesseract: Error opening data file")
	h.e.CopyText()
	<-read
	show()
	if !strings.Contains(h.e.status.Text, "Error opening data file") {
		t.Errorf("the failure said as %q", h.e.status.Text)
	}
}
