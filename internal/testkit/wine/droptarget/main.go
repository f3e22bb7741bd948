//go:build windows

// Command droptarget is a Windows application that takes dropped files,
// for the tests under Wine: a window titled "imagecx drop target" at
// 100,100, 400×300, registered with OLE as a drop target (as Explorer's
// and most programs' windows are); each file dropped on it is printed as
// "dropped: PATH", and the program ends after the first drop.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"

	"imagecx/internal/win32"
)

var (
	user32  = windows.NewLazySystemDLL("user32.dll")
	ole32   = windows.NewLazySystemDLL("ole32.dll")
	shell32 = windows.NewLazySystemDLL("shell32.dll")

	procCreateWindowExW  = user32.NewProc("CreateWindowExW")
	procDefWindowProcW   = user32.NewProc("DefWindowProcW")
	procPostQuitMessage  = user32.NewProc("PostQuitMessage")
	procOleInitialize    = ole32.NewProc("OleInitialize")
	procRegisterDragDrop = ole32.NewProc("RegisterDragDrop")
	procReleaseStgMedium = ole32.NewProc("ReleaseStgMedium")
	procDragQueryFileW   = shell32.NewProc("DragQueryFileW")
)

// formatEtc and stgMedium are FORMATETC and STGMEDIUM.
type formatEtc struct {
	Format uint16
	_      [6]byte
	Target uintptr
	Aspect uint32
	Index  int32
	Tymed  uint32
	_      [4]byte
}

type stgMedium struct {
	Tymed   uint32
	_       [4]byte
	Handle  uintptr
	Release uintptr
}

// dataObject is an IDataObject as OLE hands it over.
type dataObject struct{ vtbl *[12]uintptr }

type dropTarget struct{ vtbl *[7]uintptr }

var (
	iidUnknown    = windows.GUID{Data4: [8]byte{0xC0, 0, 0, 0, 0, 0, 0, 0x46}}
	iidDropTarget = windows.GUID{Data1: 0x00000122, Data4: [8]byte{0xC0, 0, 0, 0, 0, 0, 0, 0x46}}
)

const (
	cfHDrop        = 15
	tymedHGlobal   = 1
	dropEffectCopy = 1
)

func main() {
	runtime.LockOSThread()
	if hr, _, _ := procOleInitialize.Call(0); int32(hr) < 0 {
		fail("OleInitialize: 0x%08X", uint32(hr))
	}
	const class = "imagecxDropTarget"
	if err := win32.RegisterClass(class, 0, 0, windows.NewCallback(wndProc)); err != nil {
		fail("%v", err)
	}
	const overlapped, visible = 0x00CF0000, 0x10000000
	hwnd, _, err := procCreateWindowExW.Call(0, uintptr(unsafe.Pointer(windows.StringToUTF16Ptr(class))), uintptr(unsafe.Pointer(windows.StringToUTF16Ptr("imagecx drop target"))),
		overlapped|visible, 100, 100, 400, 300, 0, 0, 0, 0)
	if hwnd == 0 {
		fail("CreateWindowEx: %v", err)
	}
	target := &dropTarget{vtbl: &[7]uintptr{
		windows.NewCallback(func(this *dropTarget, iid *windows.GUID, out **dropTarget) uintptr {
			if *iid == iidUnknown || *iid == iidDropTarget {
				*out = this
				return 0
			}
			*out = nil
			return 0x80004002
		}),
		windows.NewCallback(func(*dropTarget) uintptr { return 1 }),
		windows.NewCallback(func(*dropTarget) uintptr { return 1 }),
		// DragEnter, DragOver: a copy is welcome; DragLeave.
		windows.NewCallback(func(_ *dropTarget, _ *dataObject, _, _ uintptr, effect *uint32) uintptr {
			*effect = dropEffectCopy
			return 0
		}),
		windows.NewCallback(func(_ *dropTarget, _, _ uintptr, effect *uint32) uintptr {
			*effect = dropEffectCopy
			return 0
		}),
		windows.NewCallback(func(*dropTarget) uintptr { return 0 }),
		windows.NewCallback(func(_ *dropTarget, data *dataObject, _, _ uintptr, effect *uint32) uintptr {
			*effect = dropEffectCopy
			dropped(data)
			procPostQuitMessage.Call(0)
			return 0
		}),
	}}
	if hr, _, _ := procRegisterDragDrop.Call(hwnd, uintptr(unsafe.Pointer(target))); int32(hr) < 0 {
		fail("RegisterDragDrop: 0x%08X", uint32(hr))
	}
	fmt.Println("ready")
	win32.Loop(context.Background(), hwnd)
}

// dropped prints the files of the drop's CF_HDROP.
func dropped(data *dataObject) {
	f := formatEtc{Format: cfHDrop, Aspect: 1, Index: -1, Tymed: tymedHGlobal}
	var m stgMedium
	hr, _, _ := syscall.SyscallN(data.vtbl[3], uintptr(unsafe.Pointer(data)), uintptr(unsafe.Pointer(&f)), uintptr(unsafe.Pointer(&m)))
	if int32(hr) < 0 {
		fmt.Printf("no files in the drop: 0x%08X\n", uint32(hr))
		return
	}
	defer procReleaseStgMedium.Call(uintptr(unsafe.Pointer(&m)))
	n, _, _ := procDragQueryFileW.Call(m.Handle, 0xFFFFFFFF, 0, 0)
	for i := range n {
		buf := make([]uint16, 1024)
		k, _, _ := procDragQueryFileW.Call(m.Handle, i, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
		fmt.Printf("dropped: %s\n", windows.UTF16ToString(buf[:k]))
	}
}

func wndProc(hwnd uintptr, m uint32, wParam, lParam uintptr) uintptr {
	if m == 0x0002 { // WM_DESTROY
		procPostQuitMessage.Call(0)
		return 0
	}
	r, _, _ := procDefWindowProcW.Call(hwnd, uintptr(m), wParam, lParam)
	return r
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "droptarget: "+format+"\n", args...)
	os.Exit(1)
}
