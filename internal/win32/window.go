//go:build windows

package win32

import (
	"context"
	"fmt"
	"image"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The structures of a window of our own (its class, its messages, its
// painting), as user32 lays them out.

// WndClassEx is WNDCLASSEXW.
type WndClassEx struct {
	Size, Style                   uint32
	WndProc                       uintptr
	ClsExtra, WndExtra            int32
	Instance, Icon, Cursor, Brush uintptr
	MenuName, ClassName           *uint16
	IconSm                        uintptr
}

// Msg is MSG.
type Msg struct {
	Hwnd    uintptr
	Message uint32
	WParam  uintptr
	LParam  uintptr
	Time    uint32
	Pt      struct{ X, Y int32 }
}

// PaintStruct is PAINTSTRUCT.
type PaintStruct struct {
	HDC       uintptr
	Erase     int32
	Paint     Rect
	Restore   int32
	IncUpdate int32
	Reserved  [32]byte
}

// Rect is RECT.
type Rect struct{ Left, Top, Right, Bottom int32 }

var (
	kernel32 = windows.NewLazySystemDLL("kernel32.dll")

	procGetModuleHandleW = kernel32.NewProc("GetModuleHandleW")
	procRegisterClassExW = user32.NewProc("RegisterClassExW")
	procLoadCursorW      = user32.NewProc("LoadCursorW")
	procGetMessageW      = user32.NewProc("GetMessageW")
	procTranslateMessage = user32.NewProc("TranslateMessage")
	procDispatchMessageW = user32.NewProc("DispatchMessageW")
	procPostMessageW     = user32.NewProc("PostMessageW")
	procGetCursorPos     = user32.NewProc("GetCursorPos")
	procMonitorFromPoint = user32.NewProc("MonitorFromPoint")
	procGetMonitorInfoW  = user32.NewProc("GetMonitorInfoW")
)

// WmClose is WM_CLOSE.
const WmClose = 0x0010

// RegisterClass registers the window class called name: its style, its
// cursor (an IDC_ number, 0 for none) and its procedure.
func RegisterClass(name string, style uint32, cursor uintptr, proc uintptr) error {
	inst, _, _ := procGetModuleHandleW.Call(0)
	var cur uintptr
	if cursor != 0 {
		cur, _, _ = procLoadCursorW.Call(0, cursor)
	}
	wc := WndClassEx{Style: style, WndProc: proc, Instance: inst, Cursor: cur, ClassName: windows.StringToUTF16Ptr(name)}
	wc.Size = uint32(unsafe.Sizeof(wc))
	if r, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc))); r == 0 {
		return fmt.Errorf("register the window class %s: %w", name, err)
	}
	return nil
}

// Loop dispatches the thread's messages until its window is destroyed
// (WM_QUIT); ctx ending closes hwnd (WM_CLOSE).
func Loop(ctx context.Context, hwnd uintptr) {
	stop := context.AfterFunc(ctx, func() { procPostMessageW.Call(hwnd, WmClose, 0, 0) })
	defer stop()
	var m Msg
	for {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 {
			return
		}
		procTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
		procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
	}
}

type monitorInfo struct {
	Size          uint32
	Monitor, Work Rect
	Flags         uint32
}

// WorkAreaUnderPointer is the work area (the screen less the taskbar) of
// the monitor under the pointer, or the nearest one.
func WorkAreaUnderPointer() image.Rectangle {
	const monitorToNearest = 2
	var pt struct{ X, Y int32 }
	procGetCursorPos.Call(uintptr(unsafe.Pointer(&pt)))
	mon, _, _ := procMonitorFromPoint.Call(uintptr(uint32(pt.X))|uintptr(uint32(pt.Y))<<32, monitorToNearest)
	info := monitorInfo{Size: uint32(unsafe.Sizeof(monitorInfo{}))}
	if r, _, _ := procGetMonitorInfoW.Call(mon, uintptr(unsafe.Pointer(&info))); r == 0 {
		return image.Rect(0, 0, 1024, 768)
	}
	return image.Rect(int(info.Work.Left), int(info.Work.Top), int(info.Work.Right), int(info.Work.Bottom))
}
