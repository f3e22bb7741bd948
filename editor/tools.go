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
}

type toolKind int

const (
	draws toolKind = iota // a shape of tool.shape
	moves                 // picks a shape: drag moves it, Delete removes it
	crops                 // drags the part to keep
)

// tools are the toolbar's tools, in order; the first is the default.
var tools = []tool{
	{"Arrow", fyne.KeyA, annotate.Arrow, draws},
	{"Line", fyne.KeyL, annotate.Line, draws},
	{"Rectangle", fyne.KeyR, annotate.Rect, draws},
	{"Ellipse", fyne.KeyE, annotate.Ellipse, draws},
	{"Pen", fyne.KeyD, annotate.Pen, draws},
	{"Highlighter", fyne.KeyH, annotate.Highlighter, draws},
	{"Text", fyne.KeyT, annotate.Text, draws},
	{"Step", fyne.KeyN, annotate.Step, draws},
	{"Pixelate", fyne.KeyP, annotate.Pixelate, draws},
	{"Blur", fyne.KeyB, annotate.Blur, draws},
	{"Crop", fyne.KeyX, 0, crops},
	{"Move", fyne.KeyM, 0, moves},
}

// label is the button's text: the name and the key that picks it.
func (t tool) label() string { return t.name + "  " + string(t.key) }

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
