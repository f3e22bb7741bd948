//go:build windows

package quick

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"imagecx/internal/win32"
)

// Supported says whether the thumbnail can be shown here.
const Supported = true

// ErrUnsupported says the thumbnail cannot be shown on this desktop.
var ErrUnsupported = errors.New("the quick-access thumbnail is not available on this desktop")

var (
	user32 = windows.NewLazySystemDLL("user32.dll")
	gdi32  = windows.NewLazySystemDLL("gdi32.dll")

	procCreateWindowExW = user32.NewProc("CreateWindowExW")
	procDestroyWindow   = user32.NewProc("DestroyWindow")
	procDefWindowProcW  = user32.NewProc("DefWindowProcW")
	procPostQuitMessage = user32.NewProc("PostQuitMessage")
	procShowWindow      = user32.NewProc("ShowWindow")
	procBeginPaint      = user32.NewProc("BeginPaint")
	procEndPaint        = user32.NewProc("EndPaint")
	procInvalidateRect  = user32.NewProc("InvalidateRect")
	procSetTimer        = user32.NewProc("SetTimer")
	procTrackMouseEvent = user32.NewProc("TrackMouseEvent")
	procSetCapture      = user32.NewProc("SetCapture")
	procReleaseCapture  = user32.NewProc("ReleaseCapture")
	procSetDIBitsToDev  = gdi32.NewProc("SetDIBitsToDevice")
)

const (
	wsPopup        = 0x80000000
	wsExTopmost    = 0x00000008
	wsExToolWindow = 0x00000080
	wsExNoActivate = 0x08000000
	swShowNA       = 8
	wmDestroy      = 0x0002
	wmClose        = 0x0010
	wmPaint        = 0x000F
	wmEraseBkgnd   = 0x0014
	wmKeyDown      = 0x0100
	wmTimer        = 0x0113
	wmMouseMove    = 0x0200
	wmLButtonDown  = 0x0201
	wmLButtonUp    = 0x0202
	wmMouseLeave   = 0x02A3
	tmeLeave       = 0x2
	vkEscape       = 0x1B
	thumbClass     = "imagecxThumbnail"
)

type trackMouseEvent struct {
	Size, Flags uint32
	Hwnd        uintptr
	HoverTime   uint32
}

// winThumb is the thumbnail's window; its procedure runs on the thread
// that made it.
type winThumb struct {
	hwnd    uintptr
	t       Thumb
	lay     Layout
	hover   int
	inside  bool
	left    time.Time // when the pointer last left (or the thumbnail showed)
	choice  Choice
	bgra    []byte
	tracked bool
	press   *image.Point // where the button went down on the picture: a drag may start
	drag    bool         // OLE's drag is under way: the thumbnail stays
}

var (
	current   *winThumb // one at a time in a process
	currentMu sync.Mutex
)

var registerClass = sync.OnceValue(func() error {
	return win32.RegisterClass(thumbClass, 0, 0, windows.NewCallback(thumbProc))
})

// Show shows the thumbnail in the corner of the work area of the monitor
// under the pointer, without taking the focus, until a button is
// pressed, Esc, or it has stayed t.Stay without the pointer over it; ctx
// ends it too. Dragged, it drops the capture's file into another
// application (OLE's drag and drop).
func Show(ctx context.Context, t Thumb) (Choice, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := registerClass(); err != nil {
		return None, err
	}
	if t.Stay <= 0 {
		t.Stay = defaultStay
	}
	w := &winThumb{t: t, hover: -1, left: time.Now()}
	var size image.Point
	if t.Image != nil {
		size = t.Image.Rect.Size()
	}
	w.lay = Lay(size)
	work := win32.WorkAreaUnderPointer()
	at := Corner(work, w.lay.Size)

	currentMu.Lock()
	defer currentMu.Unlock()
	current = w
	defer func() { current = nil }()
	hwnd, _, err := procCreateWindowExW.Call(wsExTopmost|wsExToolWindow|wsExNoActivate,
		uintptr(unsafe.Pointer(windows.StringToUTF16Ptr(thumbClass))), uintptr(unsafe.Pointer(windows.StringToUTF16Ptr("imagecx thumbnail"))),
		wsPopup, uintptr(at.X), uintptr(at.Y), uintptr(w.lay.Size.X), uintptr(w.lay.Size.Y), 0, 0, 0, 0)
	if hwnd == 0 {
		return None, fmt.Errorf("thumbnail: create the window: %w", err)
	}
	w.hwnd = hwnd
	w.draw()
	procShowWindow.Call(hwnd, swShowNA)
	procSetTimer.Call(hwnd, 1, 250, 0)
	win32.Loop(ctx, hwnd)
	if err := ctx.Err(); err != nil {
		return None, err
	}
	return w.choice, nil
}

// draw renders the thumbnail as the window shows it.
func (w *winThumb) draw() {
	img := Draw(w.lay, w.t.Image, w.hover)
	w.bgra = make([]byte, len(img.Pix))
	for i := 0; i+3 < len(img.Pix); i += 4 {
		w.bgra[i], w.bgra[i+1], w.bgra[i+2], w.bgra[i+3] = img.Pix[i+2], img.Pix[i+1], img.Pix[i], 0xff
	}
}

func (w *winThumb) close(c Choice) {
	w.choice = c
	procDestroyWindow.Call(w.hwnd)
}

func thumbProc(hwnd uintptr, msg uint32, wParam, lParam uintptr) uintptr {
	w := current
	if w == nil || (w.hwnd != 0 && w.hwnd != hwnd) {
		r, _, _ := procDefWindowProcW.Call(hwnd, uintptr(msg), wParam, lParam)
		return r
	}
	switch msg {
	case wmEraseBkgnd:
		return 1
	case wmPaint:
		var ps win32.PaintStruct
		hdc, _, _ := procBeginPaint.Call(hwnd, uintptr(unsafe.Pointer(&ps)))
		bi := win32.BitmapInfoHeader{Width: int32(w.lay.Size.X), Height: -int32(w.lay.Size.Y), Planes: 1, BitCount: 32}
		bi.Size = uint32(unsafe.Sizeof(bi))
		procSetDIBitsToDev.Call(hdc, 0, 0, uintptr(w.lay.Size.X), uintptr(w.lay.Size.Y), 0, 0, 0, uintptr(w.lay.Size.Y),
			uintptr(unsafe.Pointer(&w.bgra[0])), uintptr(unsafe.Pointer(&bi)), 0)
		procEndPaint.Call(hwnd, uintptr(unsafe.Pointer(&ps)))
		return 0
	case wmMouseMove:
		if !w.tracked { // told when the pointer leaves
			tme := trackMouseEvent{Flags: tmeLeave, Hwnd: hwnd}
			tme.Size = uint32(unsafe.Sizeof(tme))
			procTrackMouseEvent.Call(uintptr(unsafe.Pointer(&tme)))
			w.tracked = true
		}
		w.inside = true
		p := image.Pt(int(int16(lParam)), int(int16(lParam>>16)))
		w.setHover(w.lay.At(p))
		if w.press != nil && wParam&mkLButton != 0 && (abs(p.X-w.press.X) > 6 || abs(p.Y-w.press.Y) > 6) {
			w.press = nil
			procReleaseCapture.Call() // OLE's drag takes the mouse
			if _, err := os.Stat(w.t.File); err != nil {
				return 0 // not kept after its upload: nothing to drop
			}
			// OLE runs the drag here, pumping this thread's messages,
			// until the drop or Esc; dropped, the file is in the other
			// application and the thumbnail's work is done.
			w.drag = true
			dropped, err := dragOut(w.t.File)
			w.drag, w.left = false, time.Now()
			if err == nil && dropped {
				w.close(None)
			}
		}
		return 0
	case wmMouseLeave:
		w.inside, w.tracked, w.left = false, false, time.Now()
		w.setHover(-1)
		return 0
	case wmLButtonDown:
		p := image.Pt(int(int16(lParam)), int(int16(lParam>>16)))
		if i := w.lay.At(p); i >= 0 {
			w.close(Buttons[i].Choice)
		} else if w.t.File != "" {
			w.press = &p
			procSetCapture.Call(hwnd) // the moves that leave the thumbnail come here too
		}
		return 0
	case wmLButtonUp:
		if w.press != nil {
			w.press = nil
			procReleaseCapture.Call()
		}
		return 0
	case wmTimer:
		if !w.drag && !w.inside && time.Since(w.left) > w.t.Stay {
			w.close(None)
		}
		return 0
	case wmKeyDown:
		if wParam == vkEscape {
			w.close(None)
		}
		return 0
	case wmClose:
		w.close(None)
		return 0
	case wmDestroy:
		procPostQuitMessage.Call(0)
		return 0
	}
	r, _, _ := procDefWindowProcW.Call(hwnd, uintptr(msg), wParam, lParam)
	return r
}

func (w *winThumb) setHover(i int) {
	if i != w.hover {
		w.hover = i
		w.draw()
		procInvalidateRect.Call(w.hwnd, 0, 0)
	}
}
