//go:build windows

package region

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"imagecx/capture"
	"imagecx/internal/win32"
)

// Windows: a topmost popup window over the whole virtual screen (every
// monitor, negative coordinates included) showing the screen as it was,
// frozen and dimmed. The picture is drawn in memory by the painter
// (paint.go) into a DIB section and copied to the window where it changed.
// The process is per-monitor DPI aware (capture.Open makes it so), so the
// rectangle chosen is the rectangle captured, in physical pixels.

// Options tune Select.
type Options struct {
	Display string        // ignored on Windows
	Timeout time.Duration // the overlay closes itself after this; default 3 minutes
	// Shown, if set, is called once the overlay is on screen.
	Shown func()
	// Frozen is for the X11 overlay on Wayland; unused here.
	Frozen *image.RGBA
	// Hint is the line of hints' catalog key; "" is Hint.
	Hint string
}

var (
	user32   = windows.NewLazySystemDLL("user32.dll")
	kernel32 = windows.NewLazySystemDLL("kernel32.dll")

	procRegisterClassExW = user32.NewProc("RegisterClassExW")
	procCreateWindowExW  = user32.NewProc("CreateWindowExW")
	procDestroyWindow    = user32.NewProc("DestroyWindow")
	procDefWindowProcW   = user32.NewProc("DefWindowProcW")
	procGetMessageW      = user32.NewProc("GetMessageW")
	procTranslateMessage = user32.NewProc("TranslateMessage")
	procDispatchMessageW = user32.NewProc("DispatchMessageW")
	procPostMessageW     = user32.NewProc("PostMessageW")
	procShowWindow       = user32.NewProc("ShowWindow")
	procSetForeground    = user32.NewProc("SetForegroundWindow")
	procSetFocus         = user32.NewProc("SetFocus")
	procSetCapture       = user32.NewProc("SetCapture")
	procReleaseCapture   = user32.NewProc("ReleaseCapture")
	procBeginPaint       = user32.NewProc("BeginPaint")
	procEndPaint         = user32.NewProc("EndPaint")
	procLoadCursorW      = user32.NewProc("LoadCursorW")
	procSetCursor        = user32.NewProc("SetCursor")
	procGetKeyState      = user32.NewProc("GetKeyState")
	procGetCursorPos     = user32.NewProc("GetCursorPos")
	procEnumWindows      = user32.NewProc("EnumWindows")
	procIsWindowVisible  = user32.NewProc("IsWindowVisible")
	procGetWindowRect    = user32.NewProc("GetWindowRect")
	procGetModuleHandleW = kernel32.NewProc("GetModuleHandleW")
)

const (
	wsPopup         = 0x80000000
	wsExTopmost     = 0x00000008
	wsExToolWindow  = 0x00000080
	swShow          = 5
	wmClose         = 0x0010
	wmPaint         = 0x000F
	wmEraseBkgnd    = 0x0014
	wmSetCursor     = 0x0020
	wmMouseMove     = 0x0200
	wmLButtonDown   = 0x0201
	wmLButtonUp     = 0x0202
	wmRButtonDown   = 0x0204
	wmKeyDown       = 0x0100
	wmSysKeyDown    = 0x0104
	idcCross        = 32515
	vkShift         = 0x10
	vkReturn        = 0x0D
	vkEscape        = 0x1B
	vkLeft          = 0x25
	vkUp            = 0x26
	vkRight         = 0x27
	vkDown          = 0x28
	overlayClass    = "imagecxRegion"
	overlayTitle    = "imagecx region"
	gwlpUserDataNil = 0
)

// overlay is the one overlay on the screen; its window procedure runs on
// the thread that made it.
type overlay struct {
	hwnd   uintptr
	back   *win32.DIB // the back buffer, the size of the window
	p      *painter
	sel    Selection
	origin image.Point // the virtual screen's top left, in screen coordinates
	done   bool
	result Result
}

var (
	current   *overlay // the window procedure's overlay (one at a time)
	currentMu sync.Mutex
	windowsAt []win32.Rect // filled by enumWindowsProc
)

var wndProc = sync.OnceValue(func() uintptr { return windows.NewCallback(overlayProc) })

var enumWindowsProc = sync.OnceValue(func() uintptr {
	return windows.NewCallback(func(hwnd, _ uintptr) uintptr {
		if current != nil && hwnd == current.hwnd {
			return 1
		}
		if v, _, _ := procIsWindowVisible.Call(hwnd); v != 0 {
			var r win32.Rect
			if ok, _, _ := procGetWindowRect.Call(hwnd, uintptr(unsafe.Pointer(&r))); ok != 0 && r.Right > r.Left && r.Bottom > r.Top {
				windowsAt = append(windowsAt, r)
			}
		}
		return 1
	})
})

var registerClass = sync.OnceValue(func() error {
	inst, _, _ := procGetModuleHandleW.Call(0)
	cursor, _, _ := procLoadCursorW.Call(0, idcCross)
	wc := win32.WndClassEx{WndProc: wndProc(), Instance: inst, Cursor: cursor, ClassName: windows.StringToUTF16Ptr(overlayClass)}
	wc.Size = uint32(unsafe.Sizeof(wc))
	if r, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc))); r == 0 {
		return fmt.Errorf("region: register the window class: %w", err)
	}
	return nil
})

// Select freezes the screen, shows the overlay and returns the rectangle
// the user chose (in screen pixels) with its pixels as they were when
// Select was called; capture.ErrCancelled when they cancel or the overlay
// times out, a *ColourPicked when they pressed C.
func Select(ctx context.Context, o Options) (Chosen, error) {
	if o.Timeout <= 0 {
		o.Timeout = 3 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	currentMu.Lock() // one overlay at a time in a process
	defer currentMu.Unlock()
	screen, err := capture.Open("")
	if err != nil {
		return Chosen{}, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	defer screen.Close()
	vs := screen.Bounds()
	frozen, err := screen.Capture(ctx, vs)
	if err != nil {
		return Chosen{}, fmt.Errorf("region: freeze the screen: %w", err)
	}
	type outcome struct {
		r   image.Rectangle
		p   image.Point
		res Result
		err error
	}
	done := make(chan outcome, 1)
	go func() { // the window and its messages belong to one thread
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		r, p, res, err := show(ctx, vs, frozen, o.Shown, o.Hint)
		done <- outcome{r, p, res, err}
	}()
	out := <-done
	if out.err != nil {
		return Chosen{}, out.err
	}
	if out.res == PickColour {
		c := frozen.RGBAAt(frozen.Rect.Min.X+out.p.X, frozen.Rect.Min.Y+out.p.Y) // out.p is the overlay's
		return Chosen{}, &ColourPicked{c.R, c.G, c.B}
	}
	// The chosen part of the frozen screen, in screen coordinates.
	img := image.NewRGBA(out.r.Sub(vs.Min))
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		copy(img.Pix[img.PixOffset(img.Rect.Min.X, y):img.PixOffset(img.Rect.Max.X, y)], frozen.Pix[frozen.PixOffset(img.Rect.Min.X, y):])
	}
	img.Rect = out.r
	return Chosen{Rect: out.r, Image: img, Edit: out.res == ConfirmEdit, Text: out.res == ConfirmText}, nil
}

// show runs the overlay on the calling (locked) thread until the person
// confirms, cancels, or ctx ends; it returns the rectangle in screen
// coordinates, the pointer in the frozen image's, and how it ended.
func show(ctx context.Context, vs image.Rectangle, frozen *image.RGBA, shown func(), hint string) (image.Rectangle, image.Point, Result, error) {
	if err := registerClass(); err != nil {
		return image.Rectangle{}, image.Point{}, Cancel, err
	}
	w, h := vs.Dx(), vs.Dy()
	back, err := win32.NewDIB(w, h)
	if err != nil {
		return image.Rectangle{}, image.Point{}, Cancel, fmt.Errorf("region: the back buffer: %w", err)
	}
	defer back.Close()

	// The frozen screen as BGRA, the back buffer's layout.
	bgraFrozen := make([]byte, w*h*4)
	for y := 0; y < h; y++ {
		src := frozen.Pix[y*frozen.Stride : y*frozen.Stride+w*4]
		dst := bgraFrozen[y*w*4 : (y+1)*w*4]
		for i := 0; i < len(src); i += 4 {
			dst[i], dst[i+1], dst[i+2], dst[i+3] = src[i+2], src[i+1], src[i], 255
		}
	}
	ov := &overlay{back: back, origin: vs.Min, sel: Selection{Bounds: image.Rect(0, 0, w, h)}}
	ov.sel.Windows = ov.windows()
	ov.p = newPainter(bgraFrozen, back.Pix, w, h, hint)
	var pt struct{ X, Y int32 }
	if r, _, _ := procGetCursorPos.Call(uintptr(unsafe.Pointer(&pt))); r != 0 {
		ov.sel.Pointer = image.Pt(int(pt.X), int(pt.Y)).Sub(vs.Min)
	}
	ov.p.paint(layout(ov.sel, labelWidth, ov.p.hintFor(ov.sel.Rect).Rect.Dx()))

	current = ov
	defer func() { current = nil }()
	inst, _, _ := procGetModuleHandleW.Call(0)
	hwnd, _, err := procCreateWindowExW.Call(wsExTopmost|wsExToolWindow,
		uintptr(unsafe.Pointer(windows.StringToUTF16Ptr(overlayClass))), uintptr(unsafe.Pointer(windows.StringToUTF16Ptr(overlayTitle))),
		wsPopup, uintptr(vs.Min.X), uintptr(vs.Min.Y), uintptr(w), uintptr(h), 0, 0, inst, 0)
	if hwnd == 0 {
		return image.Rectangle{}, image.Point{}, Cancel, fmt.Errorf("region: create the overlay window: %w", err)
	}
	ov.hwnd = hwnd
	defer procDestroyWindow.Call(hwnd)
	procShowWindow.Call(hwnd, swShow)
	procSetForeground.Call(hwnd)
	procSetFocus.Call(hwnd)
	if shown != nil {
		shown()
	}
	stop := context.AfterFunc(ctx, func() { procPostMessageW.Call(hwnd, wmClose, 0, 0) })
	defer stop()
	var m win32.Msg
	for !ov.done {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 {
			break
		}
		procTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
		procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
	}
	switch ov.result {
	case Confirm, ConfirmEdit, ConfirmText, PickColour:
		return ov.sel.Rect.Add(vs.Min), ov.sel.Pointer, ov.result, nil
	}
	return image.Rectangle{}, image.Point{}, Cancel, capture.ErrCancelled
}

// overlayProc is the overlay window's procedure.
func overlayProc(hwnd, msg, wparam, lparam uintptr) uintptr {
	ov := current
	if ov == nil || hwnd != ov.hwnd {
		r, _, _ := procDefWindowProcW.Call(hwnd, msg, wparam, lparam)
		return r
	}
	at := func() image.Point { return image.Pt(int(int16(lparam&0xffff)), int(int16(lparam>>16&0xffff))) }
	switch msg {
	case wmPaint:
		var ps win32.PaintStruct
		dc, _, _ := procBeginPaint.Call(hwnd, uintptr(unsafe.Pointer(&ps)))
		r := ps.Paint
		ov.back.ToDC(dc, image.Rect(int(r.Left), int(r.Top), int(r.Right), int(r.Bottom)))
		procEndPaint.Call(hwnd, uintptr(unsafe.Pointer(&ps)))
		return 0
	case wmEraseBkgnd:
		return 1
	case wmMouseMove:
		ov.sel.Motion(at())
		ov.render()
		return 0
	case wmLButtonDown:
		procSetCapture.Call(hwnd)
		ov.handle(ov.sel.Press(at(), 1, time.Now()))
		return 0
	case wmLButtonUp:
		procReleaseCapture.Call()
		ov.handle(ov.sel.Release(at(), 1))
		return 0
	case wmRButtonDown:
		ov.handle(ov.sel.Press(at(), 3, time.Now()))
		return 0
	case wmKeyDown, wmSysKeyDown:
		shift, _, _ := procGetKeyState.Call(vkShift)
		ov.handle(ov.sel.Key(keyOf(wparam), int16(shift) < 0))
		return 0
	case wmClose:
		ov.done, ov.result = true, Cancel
		return 0
	}
	r, _, _ := procDefWindowProcW.Call(hwnd, msg, wparam, lparam)
	return r
}

func keyOf(vk uintptr) Key {
	switch vk {
	case vkEscape:
		return KeyEscape
	case vkReturn:
		return KeyEnter
	case vkLeft:
		return KeyLeft
	case vkRight:
		return KeyRight
	case vkUp:
		return KeyUp
	case vkDown:
		return KeyDown
	case 'E':
		return KeyE
	case 'C':
		return KeyC
	case 'T':
		return KeyT
	}
	return KeyOther
}

func (ov *overlay) handle(res Result) {
	switch res {
	case Confirm, ConfirmEdit, ConfirmText, PickColour, Cancel:
		ov.done, ov.result = true, res
		return
	}
	ov.render()
}

// render paints the next frame into the back buffer and copies what
// changed to the window.
func (ov *overlay) render() {
	ov.back.ToWindow(ov.hwnd, ov.p.paint(layout(ov.sel, labelWidth, ov.p.hintFor(ov.sel.Rect).Rect.Dx()))...)
}

// windows lists the visible windows, topmost first, in overlay
// coordinates, as the screen froze: the overlay outlines the one under
// the pointer and a click takes it.
func (ov *overlay) windows() []image.Rectangle {
	windowsAt = windowsAt[:0]
	procEnumWindows.Call(enumWindowsProc(), 0) // top of the Z order first
	var list []image.Rectangle
	for _, r := range windowsAt {
		list = append(list, image.Rect(int(r.Left), int(r.Top), int(r.Right), int(r.Bottom)).Sub(ov.origin))
	}
	return list
}
