package place

import (
	"image"
	"unsafe"

	"fyne.io/fyne/v2/driver"
	"golang.org/x/sys/windows"
)

var (
	user32           = windows.NewLazySystemDLL("user32.dll")
	getCursorPos     = user32.NewProc("GetCursorPos")
	monitorFromPoint = user32.NewProc("MonitorFromPoint")
	getMonitorInfo   = user32.NewProc("GetMonitorInfoW")
	getWindowRect    = user32.NewProc("GetWindowRect")
	setWindowPos     = user32.NewProc("SetWindowPos")
)

type rect struct{ Left, Top, Right, Bottom int32 }

type monitorInfo struct {
	Size          uint32
	Monitor, Work rect
	Flags         uint32
}

func (r rect) image() image.Rectangle {
	return image.Rect(int(r.Left), int(r.Top), int(r.Right), int(r.Bottom))
}

// move centres a window on the work area (the screen less the taskbar)
// of the monitor under the pointer.
func move(c any) {
	w, ok := c.(driver.WindowsWindowContext)
	if !ok || w.HWND == 0 {
		return
	}
	var p struct{ X, Y int32 }
	if r, _, _ := getCursorPos.Call(uintptr(unsafe.Pointer(&p))); r == 0 {
		return
	}
	const monitorDefaultToNearest = 2
	mon, _, _ := monitorFromPoint.Call(uintptr(uint32(p.X))|uintptr(uint32(p.Y))<<32, monitorDefaultToNearest)
	info := monitorInfo{Size: uint32(unsafe.Sizeof(monitorInfo{}))}
	if r, _, _ := getMonitorInfo.Call(mon, uintptr(unsafe.Pointer(&info))); r == 0 {
		return
	}
	var wr rect
	if r, _, _ := getWindowRect.Call(w.HWND, uintptr(unsafe.Pointer(&wr))); r == 0 {
		return
	}
	at, ok := Centred([]image.Rectangle{info.Work.image()}, image.Pt(int(p.X), int(p.Y)), wr.image().Size())
	if !ok {
		return
	}
	const swpNoSize, swpNoZOrder, swpNoActivate = 0x1, 0x4, 0x10
	setWindowPos.Call(w.HWND, 0, uintptr(at.X), uintptr(at.Y), 0, 0, swpNoSize|swpNoZOrder|swpNoActivate)
}
