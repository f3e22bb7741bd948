//go:build windows

package pin

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"

	"imagecx/internal/win32"
)

// Supported says whether pins can be shown here.
const Supported = true

var (
	user32 = windows.NewLazySystemDLL("user32.dll")
	gdi32  = windows.NewLazySystemDLL("gdi32.dll")

	procCreateWindowExW            = user32.NewProc("CreateWindowExW")
	procDestroyWindow              = user32.NewProc("DestroyWindow")
	procDefWindowProcW             = user32.NewProc("DefWindowProcW")
	procPostQuitMessage            = user32.NewProc("PostQuitMessage")
	procShowWindow                 = user32.NewProc("ShowWindow")
	procSetForegroundWindow        = user32.NewProc("SetForegroundWindow")
	procBeginPaint                 = user32.NewProc("BeginPaint")
	procEndPaint                   = user32.NewProc("EndPaint")
	procInvalidateRect             = user32.NewProc("InvalidateRect")
	procSetWindowPos               = user32.NewProc("SetWindowPos")
	procGetWindowRect              = user32.NewProc("GetWindowRect")
	procSetLayeredWindowAttributes = user32.NewProc("SetLayeredWindowAttributes")
	procReleaseCapture             = user32.NewProc("ReleaseCapture")
	procSendMessageW               = user32.NewProc("SendMessageW")
	procGetKeyState                = user32.NewProc("GetKeyState")
	procFrameRect                  = user32.NewProc("FrameRect")
	procStretchDIBits              = gdi32.NewProc("StretchDIBits")
	procSetStretchBltMode          = gdi32.NewProc("SetStretchBltMode")
	procCreateSolidBrush           = gdi32.NewProc("CreateSolidBrush")
	procDeleteObject               = gdi32.NewProc("DeleteObject")
)

const (
	wsPopup         = 0x80000000
	wsExTopmost     = 0x00000008
	wsExToolWindow  = 0x00000080
	wsExLayered     = 0x00080000
	csDblClks       = 0x0008
	swShow          = 5
	wmDestroy       = 0x0002
	wmClose         = 0x0010
	wmPaint         = 0x000F
	wmEraseBkgnd    = 0x0014
	wmKeyDown       = 0x0100
	wmLButtonDown   = 0x0201
	wmLButtonDblClk = 0x0203
	wmMouseWheel    = 0x020A
	wmNCLButtonDown = 0x00A1
	htCaption       = 2
	mkControl       = 0x0008
	vkControl       = 0x11
	vkEscape        = 0x1B
	lwaAlpha        = 0x2
	swpNoZOrder     = 0x0004
	swpNoActivate   = 0x0010
	halftone        = 4
	dibRGBColors    = 0
	srcCopy         = 0x00CC0020
	idcSizeAll      = 32646
	pinClass        = "imagecxPin"
)

// winPin is a pin's window; its procedure runs on the thread that made
// it.
type winPin struct {
	hwnd  uintptr
	img   *image.RGBA
	bgra  []byte // the image as the DIB wants it, top-down
	bmi   win32.BitmapInfoHeader
	view  *View
	o     Options
	err   error // from Copy
	frame uintptr
}

var (
	current   *winPin // the pin on the screen: one at a time in a process
	currentMu sync.Mutex
)

var registerClass = sync.OnceValue(func() error {
	return win32.RegisterClass(pinClass, csDblClks, idcSizeAll, windows.NewCallback(pinProc))
})

// Show pins img on the screen until the person closes it (Esc, a
// double-click) or ctx ends: a topmost, layered popup window.
func Show(ctx context.Context, img *image.RGBA, o Options) error {
	runtime.LockOSThread() // the window and its messages belong to this thread
	defer runtime.UnlockOSThread()
	if err := registerClass(); err != nil {
		return err
	}
	p := &winPin{img: img, o: o}
	p.bgra = make([]byte, len(img.Pix))
	for i := 0; i+3 < len(img.Pix); i += 4 {
		p.bgra[i], p.bgra[i+1], p.bgra[i+2], p.bgra[i+3] = img.Pix[i+2], img.Pix[i+1], img.Pix[i], 0xff
	}
	size := img.Rect.Size()
	p.bmi = win32.BitmapInfoHeader{Width: int32(size.X), Height: -int32(size.Y), Planes: 1, BitCount: 32}
	p.bmi.Size = uint32(unsafe.Sizeof(p.bmi))

	work := win32.WorkAreaUnderPointer()
	p.view = NewView(size, work)
	shown := p.view.Shown()
	at := work.Min.Add(work.Size().Sub(shown).Div(2))
	if o.At != nil {
		at = *o.At
	}
	brush, _, _ := procCreateSolidBrush.Call(0xe97d2b) // BGR of the pins' blue
	p.frame = brush
	defer procDeleteObject.Call(brush)

	currentMu.Lock() // the window's first messages come before CreateWindowEx returns
	defer currentMu.Unlock()
	current = p
	defer func() { current = nil }()
	hwnd, _, err := procCreateWindowExW.Call(wsExTopmost|wsExToolWindow|wsExLayered,
		uintptr(unsafe.Pointer(windows.StringToUTF16Ptr(pinClass))), uintptr(unsafe.Pointer(windows.StringToUTF16Ptr("imagecx pin"))),
		wsPopup, uintptr(at.X), uintptr(at.Y), uintptr(shown.X), uintptr(shown.Y), 0, 0, 0, 0)
	if hwnd == 0 {
		return fmt.Errorf("pin: create the window: %w", err)
	}
	p.hwnd = hwnd
	p.setOpacity()
	procShowWindow.Call(hwnd, swShow)
	procSetForegroundWindow.Call(hwnd)
	if o.Shown != nil {
		o.Shown()
	}
	win32.Loop(ctx, hwnd)
	if p.err != nil {
		return p.err
	}
	return ctx.Err()
}

func (p *winPin) setOpacity() {
	procSetLayeredWindowAttributes.Call(p.hwnd, 0, uintptr(uint8(p.view.Opacity*255+0.5)), lwaAlpha)
}

func pinProc(hwnd uintptr, msg uint32, wParam, lParam uintptr) uintptr {
	p := current // this thread's: the procedure runs on the thread that made the window
	if p == nil || (p.hwnd != 0 && p.hwnd != hwnd) {
		r, _, _ := procDefWindowProcW.Call(hwnd, uintptr(msg), wParam, lParam)
		return r
	}
	switch msg {
	case wmEraseBkgnd:
		return 1
	case wmPaint:
		var ps win32.PaintStruct
		hdc, _, _ := procBeginPaint.Call(hwnd, uintptr(unsafe.Pointer(&ps)))
		shown := p.view.Shown()
		procSetStretchBltMode.Call(hdc, halftone)
		procStretchDIBits.Call(hdc, 0, 0, uintptr(shown.X), uintptr(shown.Y), 0, 0, uintptr(p.img.Rect.Dx()), uintptr(p.img.Rect.Dy()),
			uintptr(unsafe.Pointer(&p.bgra[0])), uintptr(unsafe.Pointer(&p.bmi)), dibRGBColors, srcCopy)
		r := win32.Rect{Right: int32(shown.X), Bottom: int32(shown.Y)}
		procFrameRect.Call(hdc, uintptr(unsafe.Pointer(&r)), p.frame)
		procEndPaint.Call(hwnd, uintptr(unsafe.Pointer(&ps)))
		return 0
	case wmLButtonDown:
		// The system moves the window, as it would by a title bar.
		procReleaseCapture.Call()
		procSendMessageW.Call(hwnd, wmNCLButtonDown, htCaption, 0)
		return 0
	case wmLButtonDblClk:
		procDestroyWindow.Call(hwnd)
		return 0
	case wmMouseWheel:
		up := int16(wParam>>16) > 0
		ctrl := wParam&mkControl != 0
		before := p.view.Zoom
		if !p.view.Wheel(up, ctrl) {
			return 0
		}
		if ctrl {
			p.setOpacity()
			return 0
		}
		var wr win32.Rect
		procGetWindowRect.Call(hwnd, uintptr(unsafe.Pointer(&wr)))
		ptr := image.Pt(int(int16(lParam)), int(int16(lParam>>16)))
		at := p.view.ZoomAround(image.Pt(int(wr.Left), int(wr.Top)), ptr, before)
		shown := p.view.Shown()
		procSetWindowPos.Call(hwnd, 0, uintptr(at.X), uintptr(at.Y), uintptr(shown.X), uintptr(shown.Y), swpNoZOrder|swpNoActivate)
		procInvalidateRect.Call(hwnd, 0, 0)
		return 0
	case wmKeyDown:
		ctrl := keyDown(vkControl)
		switch {
		case wParam == vkEscape, ctrl && wParam == 'W':
			procDestroyWindow.Call(hwnd)
		case ctrl && wParam == 'C' && p.o.Copy != nil:
			if err := p.o.Copy(p.img); err != nil {
				p.err = err
				procDestroyWindow.Call(hwnd)
			}
		}
		return 0
	case wmClose:
		procDestroyWindow.Call(hwnd)
		return 0
	case wmDestroy:
		procPostQuitMessage.Call(0)
		return 0
	}
	r, _, _ := procDefWindowProcW.Call(hwnd, uintptr(msg), wParam, lParam)
	return r
}

func keyDown(vk uintptr) bool {
	r, _, _ := procGetKeyState.Call(vk)
	return int16(r) < 0
}
