// Package editor is imagecx's annotation editor: a capture with a
// toolbar to draw arrows, boxes, text and numbered steps on it, to
// pixelate or blur what must not be seen, and to crop it; then upload,
// copy or save the result. The drawing is package annotate's; this is
// the window around it (fyne, in a program of its own, imagecx-editor).
package editor

import (
	"image"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"imagecx/annotate"
	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/ocr"
)

// Result is how the person left the editor.
type Result int

// The results.
const (
	Cancelled Result = iota
	Upload
	Copy
)

// Deps is what the editor does outside its window.
type Deps struct {
	// Done is called once, with the edited image (nil when cancelled).
	Done func(r Result, img *image.RGBA)
	// Save asks where to save the edited image and saves it; nil hides
	// Save.
	Save func(img *image.RGBA)
	// UploadLabel is the upload button's text ("Upload" by default).
	UploadLabel string
	// ReadText reads the text in an image (package ocr); it may take
	// seconds and is not called on fyne's thread. Nil hides Copy text.
	ReadText func(img *image.RGBA) (string, error)
	// CopyText puts text on the clipboard.
	CopyText func(text string)
	// OnThread runs f on fyne's thread (fyne.Do when nil); tests run it
	// on their own goroutine.
	OnThread func(f func())
}

// Editor is the editor's content.
type Editor struct {
	// Content is the window's content.
	Content fyne.CanvasObject

	deps  Deps
	doc   *annotate.Doc
	tool  int
	color color.RGBA
	width int
	done  bool

	board    *board
	toolBtns []*tipButton
	colorSel *widget.Select
	widthSel *widget.Select
	undoBtn  *tipButton
	redoBtn  *tipButton
	tips     *tips
	status   *widget.Label
	text     *widget.Entry // the text being typed, while the Text tool places one
	textAt   image.Point
	selected int  // the shape Move picked, or -1
	reading  bool // Copy text is reading the image
}

// New is an editor on img.
func New(img *image.RGBA, deps Deps) *Editor {
	e := &Editor{deps: deps, doc: annotate.New(img), color: annotate.Colors[0], width: annotate.Widths[1], selected: -1}
	e.board = newBoard(e)
	e.tips = newTips(nil)
	bar := container.NewVBox()
	for i, t := range tools {
		b := newTipButton(e.tips, t.label(), t.tip(), func() { e.SetTool(i) })
		b.Alignment = widget.ButtonAlignLeading
		e.toolBtns = append(e.toolBtns, b)
		bar.Add(b)
	}
	e.colorSel = widget.NewSelect(localized(colorNames), func(string) {
		e.color = annotate.Colors[max(0, e.colorSel.SelectedIndex())]
	})
	e.colorSel.SetSelectedIndex(0)
	e.widthSel = widget.NewSelect(localized(widthNames), func(string) {
		e.width = annotate.Widths[max(0, e.widthSel.SelectedIndex())]
	})
	e.widthSel.SetSelectedIndex(1)
	e.undoBtn = newTipButton(e.tips, i18n.T("Undo")+"  Ctrl+Z", i18n.T("Undo (Ctrl+Z): take back the last change"), func() { e.Undo() })
	e.redoBtn = newTipButton(e.tips, i18n.T("Redo")+"  Ctrl+Shift+Z", i18n.T("Redo (Ctrl+Shift+Z or Ctrl+Y): make it again"), func() { e.Redo() })
	copyBtn := newTipButton(e.tips, i18n.T("Copy")+"  Ctrl+C", i18n.T("Copy (Ctrl+C): put the image on the clipboard and close; nothing is uploaded"), func() { e.Finish(Copy) })
	label := deps.UploadLabel
	if label == "" {
		label = i18n.T("Upload")
	}
	upBtn := newTipButton(e.tips, label+"  Enter", i18n.T("{{.upload}} (Enter or Ctrl+U): save and upload the image as it is now; the link is copied", "upload", label), func() { e.Finish(Upload) })
	upBtn.Importance = widget.HighImportance
	top := container.NewHBox(e.colorSel, e.widthSel, e.undoBtn, e.redoBtn, layout.NewSpacer())
	if deps.ReadText != nil && deps.CopyText != nil {
		top.Add(newTipButton(e.tips, i18n.T("Copy text")+"  Ctrl+T", i18n.T("Copy text (Ctrl+T): read the text in the image as it is now (what you hid stays hidden) and copy it; the editor stays open"), func() { e.CopyText() }))
	}
	top.Add(copyBtn)
	if deps.Save != nil {
		top.Add(newTipButton(e.tips, i18n.T("Save…")+"  Ctrl+S", i18n.T("Save (Ctrl+S): write the image to a file you choose"), func() { e.Save() }))
	}
	top.Add(upBtn)
	e.status = widget.NewLabel("")
	body := container.NewBorder(top, e.status, bar, nil, e.board)
	e.tips.owner = body
	e.Content = container.NewStack(body, e.tips.layer)
	e.SetTool(0)
	e.refresh()
	return e
}

// SetTool picks tool i (tools' order).
func (e *Editor) SetTool(i int) {
	e.commitText()
	e.tool = i
	for j, b := range e.toolBtns {
		if j == i {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	if tools[i].kind != moves {
		e.selected = -1
	}
	e.say(hint(tools[i]))
	e.board.showSelection()
}

func hint(t tool) string {
	switch {
	case t.kind == moves:
		return i18n.T("Click a shape to pick it, drag to move it, Delete removes it.")
	case t.kind == crops:
		return i18n.T("Drag the part to keep.")
	case t.shape == annotate.Text:
		return i18n.T("Click where the text goes, type, Enter.")
	case t.shape == annotate.Step:
		return i18n.T("Click to number the next step.")
	case t.shape == annotate.Pixelate:
		return i18n.T("Drag over what must not be seen: nothing of it is left in the image.")
	case t.shape == annotate.Blur:
		return i18n.T("Drag over what to soften (blurred text can sometimes be read back: Pixelate hides it for good).")
	}
	return i18n.T("Drag to draw. Enter uploads, Esc cancels.")
}

func (e *Editor) say(s string) { e.status.SetText(s) }

// CopyText reads the text in the image as it is now — what was pixelated
// is not read — and copies it; the status line says how it went. The
// reading runs off fyne's thread, one at a time.
func (e *Editor) CopyText() {
	if e.deps.ReadText == nil || e.reading || e.done {
		return
	}
	e.commitText()
	e.reading = true
	e.say(i18n.T("Reading the text…"))
	img := e.doc.Render()
	go func() {
		text, err := e.deps.ReadText(img)
		onThread := fyne.Do
		if e.deps.OnThread != nil {
			onThread = e.deps.OnThread
		}
		onThread(func() {
			e.reading = false
			if e.done {
				return
			}
			if err != nil {
				e.say(i18n.T("No text copied: {{.why}}", "why", explain.Lower(explain.Error(err))))
				return
			}
			e.deps.CopyText(text)
			e.say(i18n.T("Text copied: {{.text}}", "text", strings.ReplaceAll(ocr.Preview(text, 1, 80), "\n", " ")))
		})
	}()
}

// localized is keys in the person's language.
func localized(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = i18n.T(k)
	}
	return out
}

// Undo takes back the last change.
func (e *Editor) Undo() {
	e.commitText()
	if e.doc.Undo() {
		e.selected = -1
		e.refresh()
	}
}

// Redo makes the last undone change again.
func (e *Editor) Redo() {
	if e.doc.Redo() {
		e.selected = -1
		e.refresh()
	}
}

// DeleteSelected removes the shape Move picked.
func (e *Editor) DeleteSelected() {
	if e.selected >= 0 {
		e.doc.Delete(e.selected)
		e.selected = -1
		e.refresh()
	}
}

// Finish ends the editor with r and the edited image.
func (e *Editor) Finish(r Result) {
	if e.done || e.deps.Done == nil {
		return
	}
	e.commitText()
	e.done = true
	var img *image.RGBA
	if r != Cancelled {
		img = e.doc.Render()
	}
	e.deps.Done(r, img)
}

// Save saves the edited image where the person says.
func (e *Editor) Save() {
	if e.deps.Save != nil {
		e.commitText()
		e.deps.Save(e.doc.Render())
	}
}

// Shapes are the shapes drawn so far.
func (e *Editor) Shapes() []annotate.Shape { return e.doc.Shapes() }

// refresh shows the document as it is now.
func (e *Editor) refresh() {
	// Nothing drawn yet: the capture itself is shown (no copy); after
	// that, every change is drawn into the same copy.
	img := e.doc.Base()
	if e.doc.Changed() {
		shown, _ := e.board.img.Image.(*image.RGBA)
		img = e.doc.RenderInto(shown)
	}
	e.board.show(img, e.doc.Bounds().Min)
	enable(e.undoBtn, e.doc.CanUndo())
	enable(e.redoBtn, e.doc.CanRedo())
}

func enable(b fyne.Disableable, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// add draws s, as the person finished it.
func (e *Editor) add(s annotate.Shape) {
	e.doc.Add(s)
	e.refresh()
}

// place starts a text where the person clicked.
func (e *Editor) place(at image.Point, viewAt fyne.Position) {
	e.commitText()
	e.textAt = at
	e.text = widget.NewEntry()
	e.text.SetPlaceHolder("type, then Enter")
	e.text.OnSubmitted = func(string) { e.commitText() }
	e.board.showEntry(e.text, viewAt)
}

// commitText draws the text being typed, if any.
func (e *Editor) commitText() {
	if e.text == nil {
		return
	}
	t := e.text.Text
	e.board.hideEntry()
	e.text = nil
	if t != "" {
		e.add(annotate.Shape{Tool: annotate.Text, Points: []image.Point{e.textAt}, Color: e.color, Width: e.width, Text: t})
	}
}

// Typing says whether a text is being typed (keys go to it).
func (e *Editor) Typing() bool { return e.text != nil }

// shapeFor is the shape a drag from a to b draws with the current tool
// (the stroke for Pen and Highlighter).
func (e *Editor) shapeFor(stroke []image.Point) annotate.Shape {
	t := tools[e.tool]
	s := annotate.Shape{Tool: t.shape, Color: e.color, Width: e.width}
	switch t.shape {
	case annotate.Pen, annotate.Highlighter:
		s.Points = stroke
	default:
		s.Points = []image.Point{stroke[0], stroke[len(stroke)-1]}
	}
	if t.shape == annotate.Pixelate {
		s.Width = 2 // 8 px cells, whatever the width
	}
	return s
}

// board shows the document and takes the mouse.
type board struct {
	widget.BaseWidget
	e *Editor

	img     *canvas.Image
	preview *fyne.Container // what is being drawn, in view coordinates
	sel     *canvas.Rectangle
	entry   *fyne.Container

	origin image.Point // the shown image's top left in the capture
	size   image.Point // the shown image's size

	down    bool
	dragged bool
	stroke  []image.Point // capture coordinates
	from    fyne.Position
	selFrom fyne.Position // the selection outline's place when the drag began
}

func newBoard(e *Editor) *board {
	b := &board{e: e, img: &canvas.Image{FillMode: canvas.ImageFillStretch, ScaleMode: canvas.ImageScaleFastest}}
	b.preview = container.NewWithoutLayout()
	b.sel = canvas.NewRectangle(color.Transparent)
	b.sel.StrokeColor = color.RGBA{30, 136, 229, 255}
	b.sel.StrokeWidth = 2
	b.sel.Hide()
	b.entry = container.NewWithoutLayout()
	b.ExtendBaseWidget(b)
	return b
}

func (b *board) CreateRenderer() fyne.WidgetRenderer {
	// A backdrop unlike most screens, so the capture's edges show.
	back := canvas.NewRectangle(color.RGBA{96, 99, 106, 255})
	return &boardRenderer{b: b, back: back, objects: []fyne.CanvasObject{back, b.img, b.preview, b.sel, b.entry}}
}

type boardRenderer struct {
	b       *board
	back    *canvas.Rectangle
	objects []fyne.CanvasObject
}

func (r *boardRenderer) Layout(size fyne.Size) {
	x, y, w, h := r.b.fit(size)
	r.back.Resize(size)
	r.b.img.Move(fyne.NewPos(x, y))
	r.b.img.Resize(fyne.NewSize(w, h))
	r.b.preview.Resize(size)
	r.b.entry.Resize(size)
	r.b.placeSelection()
}
func (r *boardRenderer) MinSize() fyne.Size           { return fyne.NewSize(320, 200) }
func (r *boardRenderer) Refresh()                     { r.Layout(r.b.Size()); canvas.Refresh(r.b) }
func (r *boardRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *boardRenderer) Destroy()                     {}

// scale is how many view units one capture pixel takes: the whole image
// fits, never enlarged.
func (b *board) scale(size fyne.Size) float32 {
	if b.size.X == 0 || b.size.Y == 0 {
		return 1
	}
	return min(1, size.Width/float32(b.size.X), size.Height/float32(b.size.Y))
}

// fit is where the image is shown in a board of size: centred, its
// corner on a whole pixel of the window (so that a pixel of the screen is
// a pixel of the capture at 1:1, and a click lands on the pixel under it).
func (b *board) fit(size fyne.Size) (x, y, w, h float32) {
	s := b.scale(size)
	w, h = float32(b.size.X)*s, float32(b.size.Y)*s
	x, y = (size.Width-w)/2, (size.Height-h)/2
	abs, scale := fyne.Position{}, float32(1)
	if app := fyne.CurrentApp(); app != nil {
		abs = app.Driver().AbsolutePositionForObject(b)
		if c := app.Driver().CanvasForObject(b); c != nil {
			scale = c.Scale()
		}
	}
	snap := func(v, at float32) float32 { return float32(math.Round(float64((at+v)*scale)))/scale - at }
	return snap(x, abs.X), snap(y, abs.Y), w, h
}

// toImage is the capture pixel under a view position.
func (b *board) toImage(p fyne.Position) image.Point {
	x, y, _, _ := b.fit(b.Size())
	s := b.scale(b.Size())
	return image.Pt(int(math.Floor(float64((p.X-x)/s))), int(math.Floor(float64((p.Y-y)/s)))).Add(b.origin)
}

// toView is the view position of a capture pixel.
func (b *board) toView(p image.Point) fyne.Position {
	x, y, _, _ := b.fit(b.Size())
	s := b.scale(b.Size())
	p = p.Sub(b.origin)
	return fyne.NewPos(x+float32(p.X)*s, y+float32(p.Y)*s)
}

// show replaces the shown image.
func (b *board) show(img *image.RGBA, origin image.Point) {
	b.img.Image = img
	b.origin, b.size = origin, img.Rect.Size()
	b.preview.Objects = nil
	b.Refresh()
	b.img.Refresh()
}

func (b *board) showEntry(e *widget.Entry, at fyne.Position) {
	e.Resize(fyne.NewSize(260, e.MinSize().Height))
	e.Move(at)
	b.entry.Objects = []fyne.CanvasObject{e}
	b.entry.Refresh()
	if c := fyne.CurrentApp().Driver().CanvasForObject(b); c != nil {
		c.Focus(e)
	}
}

// hideEntry takes the text field away, and the keyboard from it: the
// tools' keys work again.
func (b *board) hideEntry() {
	b.entry.Objects = nil
	b.entry.Refresh()
	if c := fyne.CurrentApp().Driver().CanvasForObject(b); c != nil {
		c.Unfocus()
	}
}

// showSelection outlines the shape Move picked.
func (b *board) showSelection() {
	b.placeSelection()
	b.sel.Refresh()
}

func (b *board) placeSelection() {
	i := b.e.selected
	shapes := b.e.doc.Shapes()
	if i < 0 || i >= len(shapes) {
		b.sel.Hide()
		return
	}
	r := annotate.Bounds(shapes[i])
	p0, p1 := b.toView(r.Min), b.toView(r.Max)
	b.sel.Move(p0)
	b.sel.Resize(fyne.NewSize(p1.X-p0.X, p1.Y-p0.Y))
	b.sel.Show()
}

// MouseDown starts a drag, or a click.
func (b *board) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	b.down, b.dragged = true, false
	b.from = ev.Position
	b.stroke = []image.Point{b.toImage(ev.Position)}
	if tools[b.e.tool].kind == moves {
		b.e.selected = b.e.doc.At(b.stroke[0])
		b.showSelection()
		b.selFrom = b.sel.Position()
	}
}

// MouseUp ends a click (a drag ends in DragEnd).
func (b *board) MouseUp(ev *desktop.MouseEvent) {
	if !b.down || ev.Button != desktop.MouseButtonPrimary {
		return
	}
	if b.dragged {
		b.DragEnd()
		return
	}
	b.down = false
	b.click(ev.Position)
}

func (b *board) click(at fyne.Position) {
	t := tools[b.e.tool]
	p := b.toImage(at)
	switch {
	case t.kind != draws:
	case t.shape == annotate.Text:
		b.e.place(p, at)
	case t.shape == annotate.Step:
		b.e.add(annotate.Shape{Tool: annotate.Step, Points: []image.Point{p}, Color: b.e.color, Width: b.e.width, N: b.e.doc.NextStep()})
	}
}

// Dragged follows the pointer while the button is held.
func (b *board) Dragged(ev *fyne.DragEvent) {
	if !b.down {
		return
	}
	b.dragged = true
	p := b.toImage(ev.Position)
	if last := b.stroke[len(b.stroke)-1]; p != last {
		b.stroke = append(b.stroke, p)
	}
	b.drawPreview(ev.Position)
}

// DragEnd finishes what the drag drew.
func (b *board) DragEnd() {
	if !b.down {
		return
	}
	b.down = false
	b.preview.Objects = nil
	b.preview.Refresh()
	if !b.dragged || len(b.stroke) < 2 {
		return
	}
	first, last := b.stroke[0], b.stroke[len(b.stroke)-1]
	t := tools[b.e.tool]
	switch t.kind {
	case moves:
		if i := b.e.selected; i >= 0 {
			b.e.doc.Replace(i, b.e.doc.Shapes()[i].Moved(last.Sub(first)))
			b.e.refresh()
			b.showSelection()
		}
	case crops:
		b.e.doc.Crop(image.Rectangle{first, last})
		b.e.refresh()
	default:
		if t.shape == annotate.Text || t.shape == annotate.Step {
			b.click(b.from)
			return
		}
		b.e.add(b.e.shapeFor(b.stroke))
	}
}

// drawPreview shows the shape being dragged, cheaply: canvas objects over
// the image, which is drawn again only when the drag ends.
func (b *board) drawPreview(to fyne.Position) {
	t := tools[b.e.tool]
	s := b.scale(b.Size())
	c := color.Color(b.e.color)
	w := float32(b.e.width) * s
	from := b.from
	rect := func(stroke color.Color, fill color.Color) fyne.CanvasObject {
		r := canvas.NewRectangle(fill)
		r.StrokeColor, r.StrokeWidth = stroke, max(1, w)
		r.Move(fyne.NewPos(min(from.X, to.X), min(from.Y, to.Y)))
		r.Resize(fyne.NewSize(abs32(to.X-from.X), abs32(to.Y-from.Y)))
		return r
	}
	var objs []fyne.CanvasObject
	switch {
	case t.kind == moves:
		if b.e.selected >= 0 {
			b.sel.Move(b.selFrom.Add(to.Subtract(from)))
			b.sel.Refresh()
		}
		return
	case t.kind == crops || t.shape == annotate.Pixelate || t.shape == annotate.Blur:
		objs = append(objs, rect(color.RGBA{30, 136, 229, 255}, color.RGBA{30, 136, 229, 40}))
	case t.shape == annotate.Rect:
		objs = append(objs, rect(c, color.Transparent))
	case t.shape == annotate.Ellipse:
		e := canvas.NewCircle(color.Transparent)
		e.StrokeColor, e.StrokeWidth = c, max(1, w)
		e.Move(fyne.NewPos(min(from.X, to.X), min(from.Y, to.Y)))
		e.Resize(fyne.NewSize(abs32(to.X-from.X), abs32(to.Y-from.Y)))
		objs = append(objs, e)
	case t.shape == annotate.Pen || t.shape == annotate.Highlighter:
		if t.shape == annotate.Highlighter {
			c = color.NRGBA{b.e.color.R, b.e.color.G, b.e.color.B, 100}
			w *= annotate.HighlighterWidth
		}
		for i := 1; i < len(b.stroke); i++ {
			l := canvas.NewLine(c)
			l.StrokeWidth = max(1, w)
			l.Position1, l.Position2 = b.toView(b.stroke[i-1]), b.toView(b.stroke[i])
			objs = append(objs, l)
		}
	case t.shape == annotate.Line || t.shape == annotate.Arrow:
		l := canvas.NewLine(c)
		l.StrokeWidth = max(1, w)
		l.Position1, l.Position2 = from, to
		objs = append(objs, l)
	}
	b.preview.Objects = objs
	b.preview.Refresh()
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
