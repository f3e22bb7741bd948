//go:build windows

package win32

import (
	"errors"
	"fmt"
	"image"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32 = windows.NewLazySystemDLL("user32.dll")
	gdi32  = windows.NewLazySystemDLL("gdi32.dll")

	procGetDC              = user32.NewProc("GetDC")
	procReleaseDC          = user32.NewProc("ReleaseDC")
	procCreateCompatibleDC = gdi32.NewProc("CreateCompatibleDC")
	procCreateDIBSection   = gdi32.NewProc("CreateDIBSection")
	procSelectObject       = gdi32.NewProc("SelectObject")
	procDeleteObject       = gdi32.NewProc("DeleteObject")
	procDeleteDC           = gdi32.NewProc("DeleteDC")
	procBitBlt             = gdi32.NewProc("BitBlt")
	procGdiFlush           = gdi32.NewProc("GdiFlush")
)

// BitBlt raster operations.
const (
	SrcCopy    = 0x00CC0020
	CaptureBlt = 0x40000000 // include layered (translucent) windows
)

// DIB is a w×h DIB section of 32-bit BGRX pixels, rows top down, selected
// into a memory device context.
type DIB struct {
	DC   uintptr // the memory device context
	Pix  []byte  // the pixels, w×h×4; Flush before reading what GDI drew
	W, H int

	bmp, old uintptr
}

// NewDIB makes a w×h DIB; Close frees it.
func NewDIB(w, h int) (*DIB, error) {
	screen, _, _ := procGetDC.Call(0)
	if screen == 0 {
		return nil, errors.New("no screen device context")
	}
	dc, _, err := procCreateCompatibleDC.Call(screen)
	procReleaseDC.Call(0, screen)
	if dc == 0 {
		return nil, fmt.Errorf("CreateCompatibleDC: %w", err)
	}
	bi := BitmapInfoHeader{Width: int32(w), Height: -int32(h), Planes: 1, BitCount: 32} // negative: top-down
	bi.Size = uint32(unsafe.Sizeof(bi))
	var bits unsafe.Pointer
	bmp, _, err := procCreateDIBSection.Call(dc, uintptr(unsafe.Pointer(&bi)), 0, uintptr(unsafe.Pointer(&bits)), 0, 0)
	if bmp == 0 || bits == nil {
		procDeleteDC.Call(dc)
		return nil, fmt.Errorf("CreateDIBSection: %w", err)
	}
	old, _, _ := procSelectObject.Call(dc, bmp)
	return &DIB{DC: dc, Pix: unsafe.Slice((*byte)(bits), w*h*4), W: w, H: h, bmp: bmp, old: old}, nil
}

// Close frees the DIB and its device context.
func (d *DIB) Close() {
	procSelectObject.Call(d.DC, d.old)
	procDeleteObject.Call(d.bmp)
	procDeleteDC.Call(d.DC)
}

// FromScreen copies the screen's w×h area at (x, y) to the DIB's top left.
func (d *DIB) FromScreen(x, y, w, h int) error {
	screen, _, _ := procGetDC.Call(0)
	if screen == 0 {
		return errors.New("no screen device context")
	}
	defer procReleaseDC.Call(0, screen)
	if ok, _, err := procBitBlt.Call(d.DC, 0, 0, uintptr(w), uintptr(h), screen, uintptr(x), uintptr(y), SrcCopy|CaptureBlt); ok == 0 {
		return fmt.Errorf("BitBlt: %w", err)
	}
	procGdiFlush.Call()
	return nil
}

// ToWindow copies the areas rects of the DIB to the same places in the
// window hwnd's client area.
func (d *DIB) ToWindow(hwnd uintptr, rects ...image.Rectangle) {
	procGdiFlush.Call() // what Go code wrote is in place
	dc, _, _ := procGetDC.Call(hwnd)
	defer procReleaseDC.Call(hwnd, dc)
	for _, r := range rects {
		d.ToDC(dc, r)
	}
}

// ToDC copies the area r of the DIB to the same place in dc.
func (d *DIB) ToDC(dc uintptr, r image.Rectangle) {
	procBitBlt.Call(dc, uintptr(r.Min.X), uintptr(r.Min.Y), uintptr(r.Dx()), uintptr(r.Dy()), d.DC, uintptr(r.Min.X), uintptr(r.Min.Y), SrcCopy)
}
