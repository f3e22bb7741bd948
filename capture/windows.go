//go:build windows

package capture

import (
	"context"
	"fmt"
	"image"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"

	"imagecx/internal/bgrx"
	"imagecx/internal/win32"
)

// The Windows backend reads the virtual screen (every monitor) with GDI:
// BitBlt from the screen into a top-down 32-bit DIB section, a strip at a
// time, so encoding starts while later strips are read. The process is
// made per-monitor DPI aware first, so coordinates are physical pixels as
// on X11.

var (
	user32 = windows.NewLazySystemDLL("user32.dll")
	gdi32  = windows.NewLazySystemDLL("gdi32.dll")

	procSetProcessDpiAwarenessContext = user32.NewProc("SetProcessDpiAwarenessContext")
	procSetProcessDPIAware            = user32.NewProc("SetProcessDPIAware")
	procGetSystemMetrics              = user32.NewProc("GetSystemMetrics")
	procGetCursorPos                  = user32.NewProc("GetCursorPos")
	procEnumDisplayMonitors           = user32.NewProc("EnumDisplayMonitors")
	procGetMonitorInfoW               = user32.NewProc("GetMonitorInfoW")
	procGetForegroundWindow           = user32.NewProc("GetForegroundWindow")
	procGetWindowTextW                = user32.NewProc("GetWindowTextW")
)

const (
	smXVirtualScreen  = 76
	smYVirtualScreen  = 77
	smCXVirtualScreen = 78
	smCYVirtualScreen = 79

	monitorInfoPrimary = 1
)

// dpiAware makes coordinates physical pixels: without it Windows scales
// them for a process it thinks predates high-DPI screens.
var dpiAware = sync.OnceFunc(func() {
	const perMonitorAwareV2 = ^uintptr(3) // DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2 (-4)
	if procSetProcessDpiAwarenessContext.Find() == nil {
		if r, _, _ := procSetProcessDpiAwarenessContext.Call(perMonitorAwareV2); r != 0 {
			return
		}
	}
	if procSetProcessDPIAware.Find() == nil {
		procSetProcessDPIAware.Call()
	}
})

// Open returns the Windows virtual screen; the display name is ignored.
func Open(string) (Screen, error) {
	if err := gdi32.Load(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	dpiAware()
	return winScreen{}, nil
}

type winScreen struct{}

func metric(i int) int {
	r, _, _ := procGetSystemMetrics.Call(uintptr(i))
	return int(int32(r))
}

func (winScreen) Bounds() image.Rectangle {
	x, y := metric(smXVirtualScreen), metric(smYVirtualScreen)
	return image.Rect(x, y, x+metric(smCXVirtualScreen), y+metric(smCYVirtualScreen))
}

type winRect struct{ Left, Top, Right, Bottom int32 }

func (r winRect) rect() image.Rectangle {
	return image.Rect(int(r.Left), int(r.Top), int(r.Right), int(r.Bottom))
}

type monitorInfoEx struct {
	Size    uint32
	Monitor winRect
	Work    winRect
	Flags   uint32
	Device  [32]uint16
}

// monitorEnum collects EnumDisplayMonitors' answers. Its callback is made
// once: Go allows only about 2,000 callbacks per process, and one per
// Monitors call (pointer-monitor mode calls it for every capture) ran out.
var monitorEnum struct {
	sync.Mutex
	found []Monitor
}

var monitorCallback = sync.OnceValue(func() uintptr {
	return windows.NewCallback(func(h, _ uintptr, _ *winRect, _ uintptr) uintptr {
		mi := monitorInfoEx{Size: uint32(unsafe.Sizeof(monitorInfoEx{}))}
		if r, _, _ := procGetMonitorInfoW.Call(h, uintptr(unsafe.Pointer(&mi))); r != 0 {
			monitorEnum.found = append(monitorEnum.found, Monitor{
				Name:    windows.UTF16ToString(mi.Device[:]),
				Bounds:  mi.Monitor.rect(),
				Primary: mi.Flags&monitorInfoPrimary != 0,
			})
		}
		return 1 // go on
	})
})

func (s winScreen) Monitors() ([]Monitor, error) {
	monitorEnum.Lock()
	defer monitorEnum.Unlock()
	monitorEnum.found = nil
	r, _, err := procEnumDisplayMonitors.Call(0, 0, monitorCallback(), 0)
	mons := monitorEnum.found
	monitorEnum.found = nil
	if r == 0 {
		return nil, fmt.Errorf("list the monitors: %w", err)
	}
	if len(mons) == 0 {
		return []Monitor{{Name: "screen", Bounds: s.Bounds(), Primary: true}}, nil
	}
	return mons, nil
}

func (winScreen) Pointer() (image.Point, error) {
	var p struct{ X, Y int32 }
	if r, _, err := procGetCursorPos.Call(uintptr(unsafe.Pointer(&p))); r == 0 {
		return image.Point{}, fmt.Errorf("find the pointer: %w", err)
	}
	return image.Pt(int(p.X), int(p.Y)), nil
}

func (s winScreen) Capture(ctx context.Context, r image.Rectangle) (*image.RGBA, error) {
	return captureArea(ctx, s, r)
}

// stripBytes bounds one BitBlt, so the encoder can start on the first rows
// sooner.
const stripBytes = 1 << 20

func (s winScreen) CaptureInto(ctx context.Context, img *image.RGBA, r image.Rectangle, progress func(int)) error {
	r = r.Intersect(s.Bounds())
	if r.Empty() || img.Rect.Dx() != r.Dx() || img.Rect.Dy() != r.Dy() {
		return fmt.Errorf("capture: the area %v does not fit the screen %v or the image %v", r, s.Bounds(), img.Rect)
	}
	w, h := r.Dx(), r.Dy()
	rows := min(h, max(1, stripBytes/(w*4)))
	strip, err := win32.NewDIB(w, rows)
	if err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	defer strip.Close()
	for y := 0; y < h; y += rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(rows, h-y)
		if err := strip.FromScreen(r.Min.X, r.Min.Y+y, w, n); err != nil {
			return fmt.Errorf("capture rows %d–%d: %w", y, y+n, err)
		}
		bgrx.ToRGBA(img.Pix[y*img.Stride:(y+n)*img.Stride], strip.Pix[:w*n*4])
		if progress != nil {
			progress(y + n)
		}
	}
	return nil
}

func (winScreen) Close() error { return nil }

// ActiveTitle is the foreground window's title.
func (winScreen) ActiveTitle() string {
	win, _, _ := procGetForegroundWindow.Call()
	if win == 0 {
		return ""
	}
	buf := make([]uint16, 512)
	n, _, _ := procGetWindowTextW.Call(win, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	return cleanTitle([]byte(windows.UTF16ToString(buf[:n])), false)
}
