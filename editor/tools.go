package editor

import (
	"fyne.io/fyne/v2"

	"imagecx/annotate"
	"imagecx/i18n"
)

// tool is a toolbar button: a shape to draw, or moving shapes, or the
// crop.
type tool struct {
	name  string       // a catalog key
	key   fyne.KeyName // Flameshot's key where it has one
	shape annotate.Tool
	kind  toolKind
	what  string // the tooltip's words after the name and key (a catalog key)
}

type toolKind int

const (
	draws toolKind = iota // a shape of tool.shape
	moves                 // picks a shape: drag moves it, Delete removes it
	crops                 // drags the part to keep
)

// tools are the toolbar's tools, in order; the first is the default.
var tools = []tool{
	{i18n.Mark("Arrow"), fyne.KeyA, annotate.Arrow, draws, i18n.Mark("point at something: drag from the tail to the tip")},
	{i18n.Mark("Line"), fyne.KeyL, annotate.Line, draws, i18n.Mark("a straight line")},
	{i18n.Mark("Rectangle"), fyne.KeyR, annotate.Rect, draws, i18n.Mark("a box around something")},
	{i18n.Mark("Ellipse"), fyne.KeyE, annotate.Ellipse, draws, i18n.Mark("a ring around something")},
	{i18n.Mark("Pen"), fyne.KeyD, annotate.Pen, draws, i18n.Mark("draw freehand")},
	{i18n.Mark("Highlighter"), fyne.KeyH, annotate.Highlighter, draws, i18n.Mark("mark text in a see-through colour")},
	{i18n.Mark("Text"), fyne.KeyT, annotate.Text, draws, i18n.Mark("click, type, Enter")},
	{i18n.Mark("Step"), fyne.KeyN, annotate.Step, draws, i18n.Mark("numbered markers: 1, 2, 3… one per click")},
	{i18n.Mark("Pixelate"), fyne.KeyP, annotate.Pixelate, draws, i18n.Mark("hide for good: nothing under it is left in the image")},
	{i18n.Mark("Blur"), fyne.KeyB, annotate.Blur, draws, i18n.Mark("soften (blurred text can be read back; Pixelate cannot)")},
	{i18n.Mark("Crop"), fyne.KeyX, 0, crops, i18n.Mark("drag the part to keep")},
	{i18n.Mark("Move"), fyne.KeyM, 0, moves, i18n.Mark("pick a shape to drag it; Delete removes it")},
}

// label is the button's text: the name and the key that picks it.
func (t tool) label() string { return i18n.T(t.name) + "  " + string(t.key) }

// tip is the button's tooltip: the name, the key and what the tool does.
func (t tool) tip() string {
	return i18n.T("{{.name}} ({{.key}}): {{.what}}", "name", i18n.T(t.name), "key", string(t.key), "what", i18n.T(t.what))
}

// toolByKey is the tool a key picks.
func toolByKey(k fyne.KeyName) (int, bool) {
	for i, t := range tools {
		if t.key == k {
			return i, true
		}
	}
	return 0, false
}

// colorNames name annotate.Colors, in order.
var colorNames = []string{i18n.Mark("Red"), i18n.Mark("Amber"), i18n.Mark("Green"), i18n.Mark("Blue"), i18n.Mark("Purple"), i18n.Mark("Black"), i18n.Mark("White")}

// widthNames name annotate.Widths, in order.
var widthNames = []string{i18n.Mark("Thin"), i18n.Mark("Medium"), i18n.Mark("Thick")}
