package region

import (
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"imagecx/fonts"
	"imagecx/i18n"
)

// Hint is the overlay's line of hints (a catalog key).
var Hint = i18n.Mark("Drag: region   Click: window   Enter: upload   E: edit   T: copy text   C: copy colour   Arrows: nudge   Esc: cancel")

// ChosenHint is the line once a region is chosen: what now (a catalog
// key); RecordChosenHint when it is to be recorded.
var (
	ChosenHint       = i18n.Mark("Enter: upload   E: edit   T: copy text   Drag inside: move   Drag an edge: resize   Arrows: nudge   Esc: cancel")
	RecordChosenHint = i18n.Mark("Enter: start recording   Drag inside: move   Drag an edge: resize   Arrows: nudge   Esc: cancel")
)

// TextHint and TextChosenHint are the lines when the region's text is to
// be read (Options.Hint).
var (
	TextHint       = i18n.Mark("Drag: the text to read   Click: a window   Enter: copy the text   Arrows: nudge   Esc: cancel")
	TextChosenHint = i18n.Mark("Enter: copy the text   Drag inside: move   Drag an edge: resize   Arrows: nudge   Esc: cancel")
)

// PinHint and PinChosenHint are the lines when the region is to be
// pinned on the screen (Options.Hint).
var (
	PinHint       = i18n.Mark("Drag: the part to pin   Click: a window   Enter: pin it   Arrows: nudge   Esc: cancel")
	PinChosenHint = i18n.Mark("Enter: pin it   Drag inside: move   Drag an edge: resize   Arrows: nudge   Esc: cancel")
)

// chosenHint is the line once a region is chosen, for the line key says
// before.
func chosenHint(key string) string {
	switch key {
	case RecordHint:
		return RecordChosenHint
	case TextHint:
		return TextChosenHint
	case PinHint:
		return PinChosenHint
	}
	return ChosenHint
}

// RecordHint is the line when the region is to be recorded (Options.Hint).
var RecordHint = i18n.Mark("Drag: the region to record   Click: a window   Enter: start recording   Arrows: nudge   Esc: cancel")

// hintH is the hint's box height; its baseline is hintBase from the top
// (as the labels': 12 above the baseline, 4 below).
const hintH, hintBase = 16, 12

// hintImage is the hint line in the process's language, light on the
// labels' dark box: in the labels' 7×13 bitmap font, or for Chinese and
// Japanese all in the system's CJK font (fonts.CJK) at the same height,
// its Latin letters too (one weight across the line). It is drawn once
// per overlay and copied where the frame puts it.
func hintImage(key string) *image.RGBA {
	if key == "" {
		key = Hint
	}
	text := " " + i18n.T(key) + " "
	var face font.Face = basicfont.Face7x13
	if !latin1(text) {
		if cjk, err := fonts.CJK(i18n.Current()); err == nil {
			if cf, err := cjk.Face(13); err == nil {
				defer cf.Close()
				face = cf // Latin too: one weight across the line
			}
		}
	}
	w := font.MeasureString(face, text).Ceil()
	img := image.NewRGBA(image.Rect(0, 0, max(w, 1), hintH))
	draw.Draw(img, img.Rect, image.NewUniform(rgb(colTextBg)), image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.NewUniform(rgb(colText)), Face: face, Dot: fixed.P(0, hintBase)}
	d.DrawString(text)
	return img
}

func rgb(c uint32) color.RGBA { return color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 255} }

// latin1 says whether the labels' bitmap font draws all of s.
func latin1(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0x7e && r < 0xa0 || r > 0xff {
			return false
		}
	}
	return true
}
