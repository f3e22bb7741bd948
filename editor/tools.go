package editor

import (
	"fyne.io/fyne/v2"

	"imagecx/annotate"
)

// tool is a toolbar button: a shape to draw, or moving shapes, or the
// crop.
type tool struct {
	name  string
	key   fyne.KeyName // Flameshot's key where it has one
	shape annotate.Tool
	kind  toolKind
	what  string // the tooltip's words after the name and key
}

type toolKind int

const (
	draws toolKind = iota // a shape of tool.shape
	moves                 // picks a shape: drag moves it, Delete removes it
	crops                 // drags the part to keep
)

// tools are the toolbar's tools, in order; the first is the default.
var tools = []tool{
	{"Arrow", fyne.KeyA, annotate.Arrow, draws, "point at something: drag from the tail to the tip"},
	{"Line", fyne.KeyL, annotate.Line, draws, "a straight line"},
	{"Rectangle", fyne.KeyR, annotate.Rect, draws, "a box around something"},
	{"Ellipse", fyne.KeyE, annotate.Ellipse, draws, "a ring around something"},
	{"Pen", fyne.KeyD, annotate.Pen, draws, "draw freehand"},
	{"Highlighter", fyne.KeyH, annotate.Highlighter, draws, "mark text in a see-through colour"},
	{"Text", fyne.KeyT, annotate.Text, draws, "click, type, Enter"},
	{"Step", fyne.KeyN, annotate.Step, draws, "numbered markers: 1, 2, 3… one per click"},
	{"Pixelate", fyne.KeyP, annotate.Pixelate, draws, "hide for good: nothing under it is left in the image"},
	{"Blur", fyne.KeyB, annotate.Blur, draws, "soften (blurred text can be read back; Pixelate cannot)"},
	{"Crop", fyne.KeyX, 0, crops, "drag the part to keep"},
	{"Move", fyne.KeyM, 0, moves, "pick a shape to drag it; Delete removes it"},
}

// label is the button's text: the name and the key that picks it.
func (t tool) label() string { return t.name + "  " + string(t.key) }

// tip is the button's tooltip: the name, the key and what the tool does.
func (t tool) tip() string { return t.name + " (" + string(t.key) + "): " + t.what }

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
var colorNames = []string{"Red", "Amber", "Green", "Blue", "Purple", "Black", "White"}

// widthNames name annotate.Widths, in order.
var widthNames = []string{"Thin", "Medium", "Thick"}
