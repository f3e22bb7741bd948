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

// Options are where a pin opens and what Ctrl+C does.
type Options struct {
	// At is where the image's top-left corner goes (a region pinned where
	// it was); nil centres it on the monitor under the pointer.
	At *image.Point
	// Copy puts the image on the clipboard (Ctrl+C).
	Copy func(img *image.RGBA) error
	// Shown, if set, is called once the pin is on the screen.
	Shown func()
}

var (
	user32 = windows.NewLazySystemDLL("user32.dll")
	gdi32  = windows.NewLazySystemDLL("gdi32.dll")

	procRegisterClassExW           = user32.NewProc("RegisterClassExW")
	procCreateWindowExW            = user32.NewProc("CreateWindowExW")
	procDestroyWindow              = user32.NewProc("DestroyWindow")
	procDefWindowProcW             = user32.NewProc("DefWindowProcW")
	procGetMessageW                = user32.NewProc("GetMessageW")
	procTranslateMessage           = user32.NewProc("TranslateMessage")
	procDispatchMessageW           = user32.NewProc("DispatchMessageW")
	procPostMessageW               = user32.NewProc("PostMessageW")
	procPostQuitMessage            = user32.NewProc("PostQuitMessage")
	procShowWindow                 = user32.NewProc("ShowWindow")
	procSetForegroundWindow        = user32.NewProc("SetForegroundWindow")
	procBeginPaint                 = user32.NewProc("BeginPaint")
	procEndPaint                   = user32.NewProc("EndPaint")
	procInvalidateRect             = user32.NewProc("InvalidateRect")
	procGetCursorPos               = user32.NewProc("GetCursorPos")
	procMonitorFromPoint           = user32.NewProc("MonitorFromPoint")
	procGetMonitorInfoW            = user32.NewProc("GetMonitorInfoW")
	procSetWindowPos               = user32.NewProc("SetWindowPos")
	procGetWindowRect              = user32.NewProc("GetWindowRect")
	procSetLayeredWindowAttributes = user32.NewProc("SetLayeredWindowAttributes")
	procReleaseCapture             = user32.NewProc("ReleaseCapture")
	procSendMessageW               = user32.NewProc("SendMessageW")
	procGetKeyState                = user32.NewProc("GetKeyState")
	procFrameRect                  = user32.NewProc("FrameRect")
	procLoadCursorW                = user32.NewProc("LoadCursorW")
	procStretchDIBits              = gdi32.NewProc("StretchDIBits")
	procSetStretchBltMode          = gdi32.NewProc("SetStretchBltMode")
	procCreateSolidBrush           = gdi32.NewProc("CreateSolidBrush")
	procDeleteObject               = gdi32.NewProc("DeleteObject")
)

const (
	wsPopup          = 0x80000000
	wsExTopmost      = 0x00000008
	wsExToolWindow   = 0x00000080
	wsExLayered      = 0x00080000
	csDblClks        = 0x0008
	swShow           = 5
	wmDestroy        = 0x0002
	wmClose          = 0x0010
	wmPaint          = 0x000F
	wmEraseBkgnd     = 0x0014
	wmKeyDown        = 0x0100
	wmLButtonDown    = 0x0201
	wmLButtonDblClk  = 0x0203
	wmMouseWheel     = 0x020A
	wmNCLButtonDown  = 0x00A1
	htCaption        = 2
	mkControl        = 0x0008
	vkControl        = 0x11
	vkEscape         = 0x1B
	lwaAlpha         = 0x2
	swpNoZOrder      = 0x0004
	swpNoActivate    = 0x0010
	halftone         = 4
	dibRGBColors     = 0
	srcCopy          = 0x00CC0020
	idcSizeAll       = 32646
	monitorToNearest = 2
	pinClass         = "imagecxPin"
)

type monitorInfo struct {
	Size          uint32
	Monitor, Work win32.Rect
	Flags         uint32
}

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
	pinsMu   sync.Mutex
	pins     = map[uintptr]*winPin{} // by window, for the shared procedure
	making   *winPin                 // the pin whose window is being created
	makingMu sync.Mutex
)

var wndProc = sync.OnceValue(func() uintptr { return windows.NewCallback(pinProc) })

var registerClass = sync.OnceValue(func() error {
	inst, _, _ := windows.NewLazySystemDLL("kernel32.dll").NewProc("GetModuleHandleW").Call(0)
	cursor, _, _ := procLoadCursorW.Call(0, idcSizeAll)
	wc := win32.WndClassEx{Style: csDblClks, WndProc: wndProc(), Instance: inst, Cursor: cursor, ClassName: windows.StringToUTF16Ptr(pinClass)}
	wc.Size = uint32(unsafe.Sizeof(wc))
	if r, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc))); r == 0 {
		return fmt.Errorf("pin: register the window class: %w", err)
	}
	return nil
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

	var pt struct{ X, Y int32 }
	procGetCursorPos.Call(uintptr(unsafe.Pointer(&pt)))
	mon, _, _ := procMonitorFromPoint.Call(uintptr(uint32(pt.X))|uintptr(uint32(pt.Y))<<32, monitorToNearest)
	info := monitorInfo{Size: uint32(unsafe.Sizeof(monitorInfo{}))}
	work := image.Rect(0, 0, 1024, 768)
	if r, _, _ := procGetMonitorInfoW.Call(mon, uintptr(unsafe.Pointer(&info))); r != 0 {
		work = image.Rect(int(info.Work.Left), int(info.Work.Top), int(info.Work.Right), int(info.Work.Bottom))
	}
	p.view = NewView(size, work)
	shown := p.view.Shown()
	at := work.Min.Add(work.Size().Sub(shown).Div(2))
	if o.At != nil {
		at = *o.At
	}
	brush, _, _ := procCreateSolidBrush.Call(0xe97d2b) // BGR of the pins' blue
	p.frame = brush
	defer procDeleteObject.Call(brush)

	makingMu.Lock() // one window made at a time: its first messages come before it is known
	pinsMu.Lock()
	making = p
	pinsMu.Unlock()
	hwnd, _, err := procCreateWindowExW.Call(wsExTopmost|wsExToolWindow|wsExLayered,
		uintptr(unsafe.Pointer(windows.StringToUTF16Ptr(pinClass))), uintptr(unsafe.Pointer(windows.StringToUTF16Ptr("imagecx pin"))),
		wsPopup, uintptr(at.X), uintptr(at.Y), uintptr(shown.X), uintptr(shown.Y), 0, 0, 0, 0)
	pinsMu.Lock()
	making = nil
	if hwnd != 0 {
		p.hwnd = hwnd
		pins[hwnd] = p
	}
	pinsMu.Unlock()
	makingMu.Unlock()
	if hwnd == 0 {
		return fmt.Errorf("pin: create the window: %w", err)
	}
	defer func() {
		pinsMu.Lock()
		delete(pins, hwnd)
		pinsMu.Unlock()
	}()
	p.setOpacity()
	procShowWindow.Call(hwnd, swShow)
	procSetForegroundWindow.Call(hwnd)
	if o.Shown != nil {
		o.Shown()
	}
	stop := context.AfterFunc(ctx, func() { procPostMessageW.Call(hwnd, wmClose, 0, 0) })
	defer stop()
	var m win32.Msg
	for {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 {
			break
		}
		procTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
		procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
	}
	if p.err != nil {
		return p.err
	}
	return ctx.Err()
}

func (p *winPin) setOpacity() {
	procSetLayeredWindowAttributes.Call(p.hwnd, 0, uintptr(uint8(p.view.Opacity*255+0.5)), lwaAlpha)
}

func pinProc(hwnd uintptr, msg uint32, wParam, lParam uintptr) uintptr {
	pinsMu.Lock()
	p := pins[hwnd]
	if p == nil {
		p = making
	}
	pinsMu.Unlock()
	if p == nil {
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
