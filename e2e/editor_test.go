package e2e

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"imagecx/annotate"
	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
)

// screenNow is the X screen as it is now (ImageMagick's import: on a
// Wayland session imagecx itself would ask the desktop's portal).
func (d *desk) screenNow() *image.RGBA {
	d.t.Helper()
	xvfb.Need(d.t, "import")
	path := filepath.Join(d.t.TempDir(), "screen.png")
	d.tool("import", "-window", "root", path)
	data, _ := os.ReadFile(path)
	img, err := imgdiff.Decode(data)
	if err != nil {
		d.t.Fatal(err)
	}
	return imgdiff.RGBA(img)
}

// screenArea is area of the X screen as it is now.
func (d *desk) screenArea(area image.Rectangle) *image.RGBA {
	d.t.Helper()
	path := filepath.Join(d.t.TempDir(), "area.png")
	d.tool("import", "-window", "root", "-crop", fmt.Sprintf("%dx%d+%d+%d", area.Dx(), area.Dy(), area.Min.X, area.Min.Y), "+repage", path)
	data, _ := os.ReadFile(path)
	img, err := imgdiff.Decode(data)
	if err != nil {
		d.t.Fatal(err)
	}
	return imgdiff.RGBA(img)
}

// editorArea is the editor window's place on the screen.
func (d *desk) editorArea() image.Rectangle {
	win := d.waitWindow(cmp.Or(d.editorTitle, "imagecx editor"), 10*time.Second)
	return shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", win))
}

// step does what a person does next in the editor and waits, as a person
// does, to see it take effect: the window changes, then holds still. A
// step that may show nothing (choosing the tool already chosen) waits a
// few seconds at most; one that must show something fails the test when
// it does not.
func (d *desk) step(area image.Rectangle, mustShow bool, do func()) {
	d.t.Helper()
	before := d.screenArea(area)
	do()
	limit := 20 * time.Second
	if !mustShow {
		limit = 3 * time.Second
	}
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		// Changed is enough (a text field's caret blinks: the window
		// never holds still while one shows); a frame more to finish it.
		if !bytes.Equal(d.screenArea(area).Pix, before.Pix) {
			time.Sleep(100 * time.Millisecond)
			return
		}
	}
	if mustShow {
		d.t.Fatalf("the editor did not show the step within %v", limit)
	}
}

// locate finds where want is shown on screen, at its size, other than at
// not (where the desktop itself shows it): the top left of a place whose
// pixels all match.
func locate(screen, want *image.RGBA, not image.Point) (image.Point, bool) {
	w, h := want.Rect.Dx(), want.Rect.Dy()
	// The row with the most changes of colour is compared first: a row
	// of background would match almost anywhere, and slowly.
	anchor, most := 0, -1
	for y := range h {
		row, n := want.Pix[y*want.Stride:y*want.Stride+4*w], 0
		for x := 4; x < len(row); x += 4 {
			if !bytes.Equal(row[x:x+4], row[x-4:x]) {
				n++
			}
		}
		if n > most {
			anchor, most = y, n
		}
	}
	key := want.Pix[anchor*want.Stride : anchor*want.Stride+4*w]
	for y := screen.Rect.Min.Y; y+h <= screen.Rect.Max.Y; y++ {
		row := screen.Pix[(y-screen.Rect.Min.Y+anchor)*screen.Stride:]
		for x := 0; x+w <= screen.Rect.Dx(); x++ {
			if !bytes.Equal(row[4*x:4*x+4*w], key) {
				continue
			}
			at := image.Pt(screen.Rect.Min.X+x, y)
			if at != not && imgdiff.Count(want, screen, image.Rectangle{at, at.Add(want.Rect.Size())}) == 0 {
				return at, true
			}
		}
	}
	return image.Point{}, false
}

// editorShows waits for the editor's window to show want at its size,
// other than at not (where the desktop itself may show it), and returns
// where, once the window holds still (it opens small, then takes its
// size).
func (d *desk) editorShows(want *image.RGBA, not image.Point) image.Point {
	d.t.Helper()
	d.waitWindow(cmp.Or(d.editorTitle, "imagecx editor"), 30*time.Second)
	var o image.Point
	found := false
	poll.Until(d.t, 30*time.Second, "the capture shown in the editor, at its size, in one place", func() bool {
		p, ok := locate(d.screenNow(), want, not)
		still := ok && found && p == o
		o, found = p, ok
		return still
	})
	return o
}

// The editor after a region: drawn shapes end up in the upload and
// nothing else differs from the screen; the pixelated block is whole
// 8×8 cells of one colour each, none of them a colour the screen had
// there; undo takes back the last shape; Esc uploads nothing.
func TestEditorMarksUpAndRedactsBeforeTheUpload(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	d.start()
	region := image.Rect(100, 100, 500, 400) // text, on the reference desktop
	screen := image.NewRGBA(image.Rect(0, 0, region.Dx(), region.Dy()))
	draw.Draw(screen, screen.Rect, desktopImage(t), region.Min, draw.Src)

	d.key("ctrl+shift+3")
	d.dragRegion(0, region.Min, region.Max)
	o := d.editorShows(screen, region.Min)
	at := func(x, y int) (string, string) { return itoa(o.X + x), itoa(o.Y + y) }
	drag := func(a, b image.Point) {
		ax, ay := at(a.X, a.Y)
		mx, my := at((a.X+b.X)/2, (a.Y+b.Y)/2)
		bx, by := at(b.X, b.Y)
		d.tool("xdotool", "mousemove", ax, ay, "mousedown", "1", "mousemove", mx, my, "mousemove", bx, by, "mouseup", "1")
	}
	// Each step waits to be seen, as a person's next one does: fyne takes
	// a key at once and a click on its next frame.
	win := d.editorArea()
	click := func(p image.Point) {
		x, y := at(p.X, p.Y)
		d.step(win, true, func() { d.tool("xdotool", "mousemove", x, y, "click", "1") })
	}
	// With no window manager, keys go to the window under the pointer.
	x, y := at(200, 150)
	d.tool("xdotool", "mousemove", x, y)
	tool := func(k string) { d.step(win, false, func() { d.key(k) }) } // its button lights up, unless it was chosen
	shape := func(a, b image.Point) { d.step(win, true, func() { drag(a, b) }) }

	box := image.Rect(20, 200, 120, 260)
	tool("r")
	shape(box.Min, box.Max)
	arrow := [2]image.Point{{150, 280}, {260, 220}}
	tool("a")
	shape(arrow[0], arrow[1])
	tool("t")
	textAt := image.Pt(280, 240)
	click(textAt) // the text field shows
	d.step(win, true, func() { d.tool("xdotool", "type", "--delay", "30", "Hi") })
	d.step(win, true, func() { d.key("Return") }) // the text is placed
	redact := image.Rect(10, 10, 210, 70)
	tool("p")
	shape(redact.Min, redact.Max)
	step := image.Pt(350, 60)
	tool("n")
	click(step)
	d.step(win, true, func() { d.key("ctrl+z") }) // the step goes
	d.key("Return")

	stored := d.waitStored(1, 30*time.Second)
	got, err := imgdiff.Decode(stored[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	up := imgdiff.RGBA(got)
	if up.Rect.Size() != screen.Rect.Size() {
		t.Fatalf("uploaded %v, the region is %v", up.Rect, screen.Rect)
	}
	cells := annotate.PixelateArea(redact, screen.Rect, annotate.MinCell)
	drawn := map[string]image.Rectangle{
		"the box":   box.Inset(-8),
		"the arrow": image.Rectangle{arrow[0], arrow[1]}.Canon().Inset(-30),
		"the text":  image.Rectangle{textAt, textAt.Add(image.Pt(60, 40))}.Inset(-4),
		"the cells": cells,
	}
	changed := map[string]int{}
	for y := range up.Rect.Dy() {
		for x := range up.Rect.Dx() {
			if up.RGBAAt(x, y) == screen.RGBAAt(x, y) {
				continue
			}
			p, in := image.Pt(x, y), false
			for name, r := range drawn {
				if p.In(r) {
					changed[name]++
					in = true
				}
			}
			if !in {
				t.Fatalf("the upload differs from the screen at %v, where nothing was drawn (the undone step was at %v)", p, step)
			}
		}
	}
	for name := range drawn {
		if changed[name] < 20 {
			t.Errorf("%s changed %d pixels: not drawn", name, changed[name])
		}
	}
	for y0 := cells.Min.Y; y0 < cells.Max.Y; y0 += annotate.MinCell {
		for x0 := cells.Min.X; x0 < cells.Max.X; x0 += annotate.MinCell {
			c := up.RGBAAt(x0, y0)
			for y := y0; y < y0+annotate.MinCell; y++ {
				for x := x0; x < x0+annotate.MinCell; x++ {
					if up.RGBAAt(x, y) != c {
						t.Fatalf("the pixelated cell at %d,%d is not one colour", x0, y0)
					}
					if screen.RGBAAt(x, y) == c {
						t.Fatalf("the pixelated cell at %d,%d keeps the screen's colour at %d,%d", x0, y0, x, y)
					}
				}
			}
		}
	}
	d.waitNoWindow("imagecx editor", 10*time.Second)

	// Esc in the editor: nothing goes up.
	d.key("ctrl+shift+3")
	d.dragRegion(1, region.Min, region.Max)
	d.waitWindow("imagecx editor", 20*time.Second)
	time.Sleep(500 * time.Millisecond)
	x, y = at(200, 150)
	d.tool("xdotool", "mousemove", x, y)
	d.key("Escape")
	d.waitNoWindow("imagecx editor", 10*time.Second)
	d.waitLog("editor closed", 2, 10*time.Second)
	if !strings.Contains(d.logText(), "choice=cancelled") || len(d.srv.Requests()) != 1 {
		t.Errorf("after Esc: %d requests", len(d.srv.Requests()))
	}
}

// drawRectangleAndUpload draws box with the editor's Rectangle tool (R)
// on the image shown at o, then uploads (Enter); tool runs xdotool on the
// editor's display.
func drawRectangleAndUpload(tool func(name string, args ...string) string, o image.Point, box image.Rectangle) {
	at := func(p image.Point) (string, string) { return itoa(o.X + p.X), itoa(o.Y + p.Y) }
	x, y := at(box.Max.Add(image.Pt(20, 20)))
	tool("xdotool", "mousemove", x, y) // with no window manager, keys go to the window under the pointer
	tool("xdotool", "key", "r")
	time.Sleep(500 * time.Millisecond) // a key at once, a click on fyne's next frame
	ax, ay := at(box.Min)
	mx, my := at(box.Min.Add(box.Max).Div(2))
	bx, by := at(box.Max)
	tool("xdotool", "mousemove", ax, ay, "mousedown", "1", "mousemove", mx, my, "mousemove", bx, by, "mouseup", "1")
	time.Sleep(time.Second)
	tool("xdotool", "key", "Return")
}

// "Edit clipboard image…" in the tray menu opens the editor on the image
// on the clipboard; what is drawn goes up with it.
func TestEditClipboardImageFromTheTray(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()
	want := image.NewRGBA(image.Rect(0, 0, 360, 260))
	for y := range want.Rect.Dy() {
		for x := range want.Rect.Dx() {
			want.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8((x / 20 * 37) ^ (y / 20 * 59)), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, want); err != nil {
		t.Fatal(err)
	}
	d.copyToClipboard("image/png", buf.Bytes())
	d.tray.Click(t, p.item, "Edit clipboard image…")
	o := d.editorShows(want, image.Pt(-1, -1))
	box := image.Rect(40, 40, 200, 150)
	drawRectangleAndUpload(d.tool, o, box)
	rectangleDrawn(t, d.waitStored(1, 30*time.Second)[0].Data, want, box)
}

// rectangleDrawn checks an upload edited from want (the region, as the
// screen showed it) with one rectangle drawn over box: it is want's size,
// and differs from it only around box, and there in enough pixels to be
// the rectangle.
func rectangleDrawn(t *testing.T, data []byte, want *image.RGBA, box image.Rectangle) {
	t.Helper()
	got, err := imgdiff.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	up, drawn := imgdiff.RGBA(got), 0
	if up.Rect.Size() != want.Rect.Size() {
		t.Fatalf("uploaded %v, the region is %v", up.Rect.Size(), want.Rect.Size())
	}
	for y := range up.Rect.Dy() {
		for x := range up.Rect.Dx() {
			if up.RGBAAt(x, y) == want.RGBAAt(x, y) {
				continue
			}
			if !image.Pt(x, y).In(box.Inset(-8)) {
				t.Fatalf("the upload differs from the screen at %d,%d, outside the rectangle drawn", x, y)
			}
			drawn++
		}
	}
	if drawn < 100 {
		t.Errorf("the rectangle changed %d pixels", drawn)
	}
}

// The editor killed after the person pixelated part of the capture: the
// tray app writes the original nowhere (no file, no history, no upload),
// says so without the toolkit's log lines, and opens the editor again
// on it when asked. The tray app killed while the editor is open: the
// editor goes too, and the next start removes what it left.
func TestAnEditorKilledMidEditKeepsNothing(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	p := d.start()
	region := image.Rect(100, 100, 500, 400)
	screen := image.NewRGBA(image.Rect(0, 0, region.Dx(), region.Dy()))
	draw.Draw(screen, screen.Rect, desktopImage(t), region.Min, draw.Src)
	d.key("ctrl+shift+3")
	d.dragRegion(0, region.Min, region.Max)
	o := d.editorShows(screen, region.Min)
	x, y := itoa(o.X+20), itoa(o.Y+20)
	x2, y2 := itoa(o.X+200), itoa(o.Y+80)
	win := d.editorArea()
	d.tool("xdotool", "mousemove", x, y)
	d.step(win, false, func() { d.key("p") })
	d.step(win, true, func() {
		d.tool("xdotool", "mousemove", x, y, "mousedown", "1", "mousemove", x2, y2, "mouseup", "1")
	})
	from := len(d.notes.All())
	d.tool("pkill", "-KILL", "-f", "imagecx-editor")
	n := d.notes.Wait(t, from, 30*time.Second, titled("The editor closed unexpectedly"))
	if strings.Contains(n.Body, ".go:") || strings.Contains(n.Body, "Fyne") {
		t.Errorf("the note quotes a log: %q", n.Body)
	}
	time.Sleep(time.Second) // anything written would be by now
	if files := savedCaptures(t, d.u); len(files) != 0 {
		t.Errorf("the original was saved: %v", files)
	}
	if len(d.srv.Requests()) != 0 {
		t.Error("the original was uploaded")
	}
	d.notes.Invoke(t, n, "reedit")
	d.editorShows(screen, region.Min)

	// The tray app killed while the editor is open.
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.exit(t, 5*time.Second)
	d.waitNoWindow("imagecx editor", 10*time.Second)
	d.u.waitNoProcess("imagecx-editor", 10*time.Second) // its window goes first; it writes fyne's settings as it ends
	runtime := d.u.env["XDG_RUNTIME_DIR"]
	left, _ := filepath.Glob(filepath.Join(runtime, "imagecx-edit-*"))
	if len(left) == 0 {
		t.Fatal("no editing folder left to clean up: the test does not test")
	}
	d.start()
	poll.Until(t, 10*time.Second, "the editing folder removed", func() bool {
		left, _ := filepath.Glob(filepath.Join(runtime, "imagecx-edit-*"))
		return len(left) == 0
	})
}
