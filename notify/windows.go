//go:build windows

package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows: a balloon on the tray app's own notification-area icon
// (Shell_NotifyIcon with NIF_INFO), which Windows 10 and 11 show as a
// toast and Windows 7 (and Wine) as a balloon. The icon is fyne.io/systray's
// (v1.12.2: a hidden window of class "SystrayClass" in this process, icon
// id 100). Nothing is started that could hang: the call returns at once.
// (gen2brain/beeep v0.12.0 is not used: its toast path fails under Wine in
// Windows 10 mode and its COM callback hung the process at exit, and its
// balloon path adds a second tray icon with goroutines of its own.)

var (
	user32                 = windows.NewLazySystemDLL("user32.dll")
	shell32                = windows.NewLazySystemDLL("shell32.dll")
	procShellNotifyIcon    = shell32.NewProc("Shell_NotifyIconW")
	procFindWindowExW      = user32.NewProc("FindWindowExW")
	procGetWindowThreadPID = user32.NewProc("GetWindowThreadProcessId")
)

const (
	nimModify    = 0x1
	nifInfo      = 0x10
	niifInfo     = 0x1
	niifError    = 0x3
	niifNoSound  = 0x10
	trayIconID   = 100            // fyne.io/systray's icon
	trayClass    = "SystrayClass" // fyne.io/systray's window class
	hwndMessage  = ^uintptr(2)    // HWND_MESSAGE (-3), searched too
	maxInfoTitle = 63
	maxInfo      = 255
)

// notifyIconData is NOTIFYICONDATAW (Vista and later).
type notifyIconData struct {
	Size                       uint32
	Wnd                        windows.Handle
	ID, Flags, CallbackMessage uint32
	Icon                       windows.Handle
	Tip                        [128]uint16
	State, StateMask           uint32
	Info                       [256]uint16
	TimeoutOrVersion           uint32 // a union in C
	InfoTitle                  [64]uint16
	InfoFlags                  uint32
	GuidItem                   windows.GUID
	BalloonIcon                windows.Handle
}

// ErrNoTrayIcon means there is no tray icon to show a balloon on.
var ErrNoTrayIcon = errors.New("no tray icon of this program to show a notification on")

// Open returns a notifier that shows balloons on this process's tray icon.
func Open(string, string) (Notifier, error) {
	if err := shell32.Load(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	return balloon{}, nil
}

type balloon struct{}

func (balloon) Notify(ctx context.Context, n Note) error {
	wnd := trayWindow()
	if wnd == 0 {
		return ErrNoTrayIcon
	}
	nid := notifyIconData{Wnd: windows.Handle(wnd), ID: trayIconID, Flags: nifInfo, InfoFlags: niifInfo}
	nid.Size = uint32(unsafe.Sizeof(nid))
	if n.Urgency == Critical {
		nid.InfoFlags = niifError
	}
	if n.Sound == "" {
		nid.InfoFlags |= niifNoSound
	}
	copyUTF16(nid.InfoTitle[:], n.Title, maxInfoTitle)
	copyUTF16(nid.Info[:], n.Body, maxInfo)
	if r, _, err := procShellNotifyIcon.Call(nimModify, uintptr(unsafe.Pointer(&nid))); r == 0 {
		return fmt.Errorf("show a notification: %w", err)
	}
	return nil
}

func (balloon) Close() error { return nil }

// Invoked is nil: balloons have no buttons.
func (balloon) Invoked() <-chan Invoked { return nil }

// trayWindow finds fyne.io/systray's window in this process.
func trayWindow() uintptr {
	class := windows.StringToUTF16Ptr(trayClass)
	pid := uint32(os.Getpid())
	for _, parent := range []uintptr{0, hwndMessage} {
		var after uintptr
		for {
			w, _, _ := procFindWindowExW.Call(parent, after, uintptr(unsafe.Pointer(class)), 0)
			if w == 0 {
				break
			}
			var owner uint32
			procGetWindowThreadPID.Call(w, uintptr(unsafe.Pointer(&owner)))
			if owner == pid {
				return w
			}
			after = w
		}
	}
	return 0
}

// copyUTF16 writes s into dst, cut to max characters (with "…"), NUL
// terminated.
func copyUTF16(dst []uint16, s string, max int) {
	u, _ := windows.UTF16FromString(s)
	u = u[:len(u)-1] // the NUL
	if len(u) > max {
		u = append(u[:max-1], '…')
	}
	copy(dst, u)
	dst[len(u)] = 0
}
