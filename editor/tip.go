package editor

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tipDelay is how long the pointer rests on a button before its tooltip
// shows.
var tipDelay = 600 * time.Millisecond

// tips is the layer over the editor where a tooltip is drawn. It takes no
// events (nothing in it is tappable or hoverable), so the pointer still
// reaches the button under it; fyne 2.7 has no tooltips of its own, and a
// pop-up would take the pointer from the button it describes.
type tips struct {
	layer *fyne.Container
	bg    *canvas.Rectangle
	text  *canvas.Text
	owner fyne.CanvasObject // the content the layer covers
	timer *time.Timer
	shown string
	gen   int // counts show and hide: a timer that fired after a hide shows nothing
}

func newTips(owner fyne.CanvasObject) *tips {
	t := &tips{owner: owner, bg: canvas.NewRectangle(color.NRGBA{0x20, 0x20, 0x20, 0xf0}),
		text: canvas.NewText("", color.White)}
	t.bg.CornerRadius = 4
	t.text.TextSize = theme.TextSize() * 0.9
	t.layer = container.NewWithoutLayout(t.bg, t.text)
	t.bg.Hide()
	t.text.Hide()
	return t
}

// show puts text under obj after tipDelay, unless hide comes first.
func (t *tips) show(obj fyne.CanvasObject, text string) {
	t.stop()
	gen := t.gen
	t.timer = time.AfterFunc(tipDelay, func() {
		fyne.Do(func() {
			if t.gen == gen {
				t.place(obj, text)
			}
		})
	})
}

// place draws the tooltip under obj (above it when there is no room),
// kept inside the window.
func (t *tips) place(obj fyne.CanvasObject, text string) {
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(obj).Subtract(d.AbsolutePositionForObject(t.owner))
	t.text.Text = text
	size := t.text.MinSize()
	pad := theme.Padding()
	box := fyne.NewSize(size.Width+2*pad, size.Height+pad)
	area := t.owner.Size()
	pos := fyne.NewPos(at.X, at.Y+obj.Size().Height+2)
	if pos.Y+box.Height > area.Height {
		pos.Y = at.Y - box.Height - 2
	}
	pos.X = max(0, min(pos.X, area.Width-box.Width))
	t.bg.Resize(box)
	t.bg.Move(pos)
	t.text.Resize(size)
	t.text.Move(pos.AddXY(pad, pad/2))
	t.shown = text
	t.bg.Show()
	t.text.Show()
	t.layer.Refresh() // the layer, not bg and text: fyne knows no canvas for an object not yet painted, and would not repaint
}

// hide takes the tooltip away (or stops it from showing).
func (t *tips) hide() {
	t.stop()
	t.shown = ""
	t.bg.Hide()
	t.text.Hide()
	t.layer.Refresh()
}

func (t *tips) stop() {
	t.gen++
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
}

// tipButton is a button with a tooltip.
type tipButton struct {
	widget.Button
	tip  string
	tips *tips
}

func newTipButton(tips *tips, label, tip string, tapped func()) *tipButton {
	b := &tipButton{tip: tip, tips: tips}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn shows the tooltip after a rest.
func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.tips.show(b, b.tip)
}

// MouseOut takes it away.
func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.tips.hide()
}

// Tapped takes it away and does what the button does.
func (b *tipButton) Tapped(e *fyne.PointEvent) {
	b.tips.hide()
	b.Button.Tapped(e)
}
