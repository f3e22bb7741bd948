//go:build linux && !wayland

package place

/*
#cgo LDFLAGS: -lX11 -lXrandr
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xrandr.h>

// monitors writes up to max monitor rectangles (x, y, w, h) to out and
// returns how many the server has (RandR 1.5 monitors, as the capture
// backend reads them), 0 when it has none to say.
static int place_monitors(Display *d, int *out, int max) {
	int n = 0, event, error;
	if (!XRRQueryExtension(d, &event, &error)) return 0;
	XRRMonitorInfo *m = XRRGetMonitors(d, DefaultRootWindow(d), True, &n);
	if (!m) return 0;
	for (int i = 0; i < n && i < max; i++) {
		out[4*i] = m[i].x; out[4*i+1] = m[i].y; out[4*i+2] = m[i].width; out[4*i+3] = m[i].height;
	}
	XRRFreeMonitors(m);
	return n;
}

// pointer writes where the pointer is on the screen; 0 when it is on another screen.
static int place_pointer(Display *d, int *x, int *y) {
	Window root, child;
	int wx, wy;
	unsigned int mask;
	return XQueryPointer(d, DefaultRootWindow(d), &root, &child, x, y, &wx, &wy, &mask);
}

// size writes the window's size; 0 when it is not there.
static int place_size(Display *d, Window w, int *width, int *height) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(d, w, &a)) return 0;
	*width = a.width; *height = a.height;
	return 1;
}
*/
import "C"

import (
	"image"

	"fyne.io/fyne/v2/driver"
)

// move centres an X11 window on the monitor under the pointer, through a
// connection of its own (fyne keeps its Display to itself).
func move(c any) {
	x, ok := c.(driver.X11WindowContext)
	if !ok || x.WindowHandle == 0 {
		return
	}
	d := C.XOpenDisplay(nil)
	if d == nil {
		return
	}
	defer C.XCloseDisplay(d)
	win := C.Window(x.WindowHandle)

	var px, py, w, h C.int
	if C.place_pointer(d, &px, &py) == 0 || C.place_size(d, win, &w, &h) == 0 {
		return
	}
	var buf [4 * 16]C.int
	n := int(C.place_monitors(d, &buf[0], 16))
	var monitors []image.Rectangle
	for i := range min(n, 16) {
		r := image.Rect(int(buf[4*i]), int(buf[4*i+1]), int(buf[4*i]+buf[4*i+2]), int(buf[4*i+1]+buf[4*i+3]))
		monitors = append(monitors, r)
	}
	if len(monitors) == 0 { // no RandR: the screen
		s := C.XDefaultScreenOfDisplay(d)
		monitors = append(monitors, image.Rect(0, 0, int(C.XWidthOfScreen(s)), int(C.XHeightOfScreen(s))))
	}
	at, ok := Centred(monitors, image.Pt(int(px), int(py)), image.Pt(int(w), int(h)))
	if !ok {
		return
	}
	C.XMoveWindow(d, win, C.int(at.X), C.int(at.Y))
	C.XFlush(d)
}
