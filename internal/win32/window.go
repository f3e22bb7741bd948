//go:build windows

package win32

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
