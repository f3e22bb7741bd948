// Package quick is the quick-access thumbnail (Settings → After capture,
// off by default): after a capture, a small picture of it floats in the
// corner of the screen for a few seconds, with buttons to copy the image,
// edit it, pin it, open its link and delete it. The pointer over it keeps
// it; dragged out, it drops the capture's file into another application,
// as a file manager would (XDND on X11).
package quick

import (
	"image"
	"image/color"
	"image/draw"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"imagecx/fonts"
	"imagecx/i18n"
)

// Choice is what the person did with the thumbnail.
type Choice int

// The choices; None when it went by itself, was dismissed or was
// dragged into another application.
const (
	None Choice = iota
	Copy
	Edit
	Pin
	Open
	Delete
)

// Buttons are the thumbnail's buttons, left to right, with their names
// (catalog keys, shown when the pointer is over them).
var Buttons = []struct {
	Choice Choice
	Name   string
}{
	{Copy, i18n.Mark("Copy image")},
	{Edit, i18n.Mark("Edit…")},
	{Pin, i18n.Mark("Pin to screen")},
	{Open, i18n.Mark("Open link")},
	{Delete, i18n.Mark("Delete…")},
}

// Thumb is what the thumbnail shows and offers.
type Thumb struct {
	Image *image.RGBA // a small copy of the capture
	File  string      // the capture's file, dragged out; "" offers no drag
	Stay  time.Duration
}

// The layout: the picture at most Width×maxPicture, the buttons in a bar
// under it.
const (
	Width       = 240
	maxPicture  = 160
	barHeight   = 32
	defaultStay = 6 * time.Second
	margin      = 24 // from the monitor's corner
)

// Layout is where the parts of a thumbnail of a picture of size are, in
// the window: the picture, the buttons; and the window's size.
type Layout struct {
	Size    image.Point
	Picture image.Rectangle
	Buttons []image.Rectangle
}

// Lay lays out a thumbnail of a picture of size.
func Lay(size image.Point) Layout {
	w, h := Width, maxPicture
	if size.X > 0 && size.Y > 0 {
		h = min(maxPicture, max(40, size.Y*Width/size.X))
	}
	l := Layout{Size: image.Pt(w, h+barHeight), Picture: image.Rect(0, 0, w, h)}
	bw := w / len(Buttons)
	for i := range Buttons {
		l.Buttons = append(l.Buttons, image.Rect(i*bw, h, (i+1)*bw, h+barHeight))
	}
	return l
}

// Corner is where a thumbnail of size goes on a monitor: its bottom-right
// corner, a margin away.
func Corner(monitor image.Rectangle, size image.Point) image.Point {
	return monitor.Max.Sub(size).Sub(image.Pt(margin, margin))
}

// At is the button under p, -1 for none.
func (l Layout) At(p image.Point) int {
	for i, r := range l.Buttons {
		if p.In(r) {
			return i
		}
	}
	return -1
}

// Colours of the bar.
var (
	barColour   = color.RGBA{0x26, 0x28, 0x2c, 0xff}
	hoverColour = color.RGBA{0x2b, 0x7d, 0xe9, 0xff}
	iconColour  = color.RGBA{0xee, 0xee, 0xec, 0xff}
)

// Draw draws the thumbnail: the picture fitted in its place, the bar,
// the buttons' icons, the one under the pointer (hover, -1 none)
// highlighted, and a frame.
func Draw(l Layout, picture *image.RGBA, hover int) *image.RGBA {
	img := image.NewRGBA(image.Rectangle{Max: l.Size})
	draw.Draw(img, img.Rect, &image.Uniform{barColour}, image.Point{}, draw.Src)
	if picture != nil {
		fit := fitted(picture.Rect.Size(), l.Picture)
		draw.Draw(img, fit, scaled(picture, fit.Size()), image.Point{}, draw.Src)
	}
	for i, r := range l.Buttons {
		if i == hover {
			draw.Draw(img, r, &image.Uniform{hoverColour}, image.Point{}, draw.Src)
		}
		icon(img, Buttons[i].Choice, r.Min.Add(r.Size().Div(2)))
	}
	if hover >= 0 && hover < len(Buttons) { // the button's name, over the picture's foot
		name := label(i18n.T(Buttons[hover].Name))
		at := image.Pt(l.Picture.Min.X+(l.Picture.Dx()-name.Rect.Dx())/2, l.Picture.Max.Y-name.Rect.Dy()-4)
		draw.Draw(img, name.Rect.Add(at), name, image.Point{}, draw.Src)
	}
	frame(img, hoverColour)
	return img
}

// label is text light on the bar's colour: in a 7×13 bitmap font, or the
// system's CJK font for Chinese and Japanese.
func label(text string) *image.RGBA {
	text = " " + text + " "
	var face font.Face = basicfont.Face7x13
	for _, r := range text {
		if r > 0xff {
			if cjk, err := fonts.CJK(i18n.Current()); err == nil {
				if f, err := cjk.Face(13); err == nil {
					defer f.Close()
					face = f
				}
			}
			break
		}
	}
	w := font.MeasureString(face, text).Ceil()
	img := image.NewRGBA(image.Rect(0, 0, max(w, 1), 18))
	draw.Draw(img, img.Rect, &image.Uniform{barColour}, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: &image.Uniform{iconColour}, Face: face, Dot: fixed.P(0, 13)}
	d.DrawString(text)
	return img
}

// fitted is the largest rectangle of size's shape centred in r.
func fitted(size image.Point, r image.Rectangle) image.Rectangle {
	if size.X <= 0 || size.Y <= 0 {
		return r
	}
	w, h := r.Dx(), size.Y*r.Dx()/size.X
	if h > r.Dy() {
		w, h = size.X*r.Dy()/size.Y, r.Dy()
	}
	min := r.Min.Add(image.Pt((r.Dx()-w)/2, (r.Dy()-h)/2))
	return image.Rectangle{Min: min, Max: min.Add(image.Pt(w, h))}
}

// scaled is img at size (nearest pixel: the picture is small already).
func scaled(img *image.RGBA, size image.Point) *image.RGBA {
	out := image.NewRGBA(image.Rectangle{Max: size})
	b := img.Rect
	for y := range size.Y {
		sy := b.Min.Y + y*b.Dy()/max(1, size.Y)
		for x := range size.X {
			sx := b.Min.X + x*b.Dx()/max(1, size.X)
			out.SetRGBA(x, y, img.RGBAAt(sx, sy))
		}
	}
	return out
}

func frame(img *image.RGBA, c color.RGBA) {
	b := img.Rect
	for x := b.Min.X; x < b.Max.X; x++ {
		img.SetRGBA(x, b.Min.Y, c)
		img.SetRGBA(x, b.Max.Y-1, c)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		img.SetRGBA(b.Min.X, y, c)
		img.SetRGBA(b.Max.X-1, y, c)
	}
}

// icon draws choice's icon, 16 pixels across, centred on c.
func icon(img *image.RGBA, choice Choice, c image.Point) {
	px := func(x, y int) { img.SetRGBA(c.X+x, c.Y+y, iconColour) }
	rect := func(x0, y0, x1, y1 int) { // an outline
		for x := x0; x <= x1; x++ {
			px(x, y0)
			px(x, y1)
		}
		for y := y0; y <= y1; y++ {
			px(x0, y)
			px(x1, y)
		}
	}
	line := func(x0, y0, x1, y1 int) {
		n := max(abs(x1-x0), abs(y1-y0))
		for i := 0; i <= n; i++ {
			x, y := x0+(x1-x0)*i/max(1, n), y0+(y1-y0)*i/max(1, n)
			px(x, y)
			px(x+1, y)
		}
	}
	switch choice {
	case Copy: // two sheets
		rect(-7, -7, 3, 3)
		rect(-3, -3, 7, 7)
	case Edit: // a pencil
		line(-6, 6, 5, -5)
		line(-4, 7, 7, -4)
		line(-7, 7, -6, 6)
	case Pin: // a pin: the head, the needle
		rect(-4, -7, 4, -1)
		line(-6, -1, 6, -1)
		line(0, 0, 0, 7)
	case Open: // a box and an arrow out of it
		rect(-7, -3, 3, 7)
		line(-1, 1, 7, -7)
		line(2, -7, 7, -7)
		line(7, -7, 7, -2)
	case Delete: // a cross
		line(-6, -6, 6, 6)
		line(-6, 6, 6, -6)
	}
}

func abs(n int) int { return max(n, -n) }
