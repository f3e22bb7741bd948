// Package textimg draws text as a screen shows it — lines of a UI's
// sentences at 12–16 px, antialiased, dark on light or light on dark —
// for the OCR tests, the end-to-end tests' screens and the OCR benchmark.
// The sentences are imagecx's own, from its catalog, in each language.
package textimg

import (
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"imagecx/fonts"
	"imagecx/i18n"
)

// sampleKeys are catalog messages that read like the text of a window.
var sampleKeys = []string{
	"Nothing captured yet. Captures and uploads show here, newest first.",
	"Keep a local copy after the upload (a failed upload always keeps it)",
	"Show a notification after each capture (failures always show)",
	"Choose a capture in the list.",
	"Start imagecx when I log in",
	"All monitors as one image",
	"The monitor under the pointer",
	"The history could not be read",
	"Open captures folder",
	"Copy last link",
}

// Samples are the sentences in language l.
func Samples(l i18n.Lang) []string {
	out := make([]string, len(sampleKeys))
	for i, k := range sampleKeys {
		out[i] = i18n.In(l, k)
	}
	return out
}

// Style is how text is drawn.
type Style struct {
	Size float64 // the em, in pixels
	Dark bool    // light text on a dark ground
}

// Render draws lines in the system's CJK font (which draws Latin too),
// in the shapes of language l, one under another with a UI's spacing and
// a margin of half a line.
func Render(lines []string, l i18n.Lang, s Style) (*image.RGBA, error) {
	f, err := fonts.CJK(l)
	if err != nil {
		return nil, err
	}
	face, err := f.Face(s.Size)
	if err != nil {
		return nil, err
	}
	defer face.Close()
	lineH := int(s.Size*1.5 + 0.5)
	margin := lineH / 2
	width := 0
	for _, line := range lines {
		width = max(width, font.MeasureString(face, line).Ceil())
	}
	img := image.NewRGBA(image.Rect(0, 0, width+2*margin, len(lines)*lineH+2*margin))
	ground, ink := color.RGBA{0xf6, 0xf6, 0xf4, 0xff}, color.RGBA{0x22, 0x24, 0x28, 0xff}
	if s.Dark {
		ground, ink = color.RGBA{0x26, 0x28, 0x2c, 0xff}, color.RGBA{0xe8, 0xe8, 0xe6, 0xff}
	}
	draw.Draw(img, img.Rect, &image.Uniform{ground}, image.Point{}, draw.Src)
	ascent := face.Metrics().Ascent
	d := font.Drawer{Dst: img, Src: &image.Uniform{ink}, Face: face}
	for i, line := range lines {
		top := margin + i*lineH + (lineH-face.Metrics().Height.Ceil())/2
		d.Dot = fixed.Point26_6{X: fixed.I(margin), Y: fixed.I(top) + ascent}
		d.DrawString(line)
	}
	return img, nil
}
