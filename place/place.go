// Package place opens a window where the person is looking: centred on
// the monitor under the pointer (fyne centres a window on the monitor of
// the screen's top-left corner, or across a screen of several monitors
// that the X server knows only as RandR monitors). Where the system does
// not let a program place its windows (Wayland, macOS), fyne's own
// centring stays.
package place

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// Centre moves w, shown, to the centre of the monitor under the pointer.
// Call it from the main goroutine after w.Show() and before the app
// runs, or from fyne's thread.
func Centre(w fyne.Window) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	nw.RunNative(func(c any) { move(c) })
}

// Centred is where the top-left corner of a window of size goes: centred
// on the monitor that holds pointer (the first one when none does), and
// inside it when the window is bigger (its top-left corner on the
// monitor). No monitors: ok is false.
func Centred(monitors []image.Rectangle, pointer, size image.Point) (at image.Point, ok bool) {
	if len(monitors) == 0 {
		return image.Point{}, false
	}
	m := monitors[0]
	for _, r := range monitors {
		if pointer.In(r) {
			m = r
			break
		}
	}
	at = m.Min.Add(m.Size().Sub(size).Div(2))
	return image.Pt(max(at.X, m.Min.X), max(at.Y, m.Min.Y)), true
}
