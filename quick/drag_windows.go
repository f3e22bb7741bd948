//go:build windows

package quick

import (
	"fmt"
	"path/filepath"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The drag out of the thumbnail on Windows: the shell makes the data
// object of the capture's file (CF_HDROP and the shell's own formats,
// which Explorer, mail and chat programs take), OLE runs the drag, and
// the drop source is ours: it drops when the button is let go and gives
// up on Esc.

var (
	ole32   = windows.NewLazySystemDLL("ole32.dll")
	shell32 = windows.NewLazySystemDLL("shell32.dll")

	procOleInitialize          = ole32.NewProc("OleInitialize")
	procDoDragDrop             = ole32.NewProc("DoDragDrop")
	procILCreateFromPathW      = shell32.NewProc("ILCreateFromPathW")
	procILFree                 = shell32.NewProc("ILFree")
	procSHCreateDataObject     = shell32.NewProc("SHCreateDataObject")
	procCIDLDataCreateFromIDAr = shell32.NewProc("CIDLData_CreateFromIDArray")
)

var (
	iidUnknown    = windows.GUID{Data1: 0x00000000, Data4: [8]byte{0xC0, 0, 0, 0, 0, 0, 0, 0x46}}
	iidDropSource = windows.GUID{Data1: 0x00000121, Data4: [8]byte{0xC0, 0, 0, 0, 0, 0, 0, 0x46}}
	iidDataObject = windows.GUID{Data1: 0x0000010e, Data4: [8]byte{0xC0, 0, 0, 0, 0, 0, 0, 0x46}}
)

const (
	dropEffectCopy            = 1
	dropEffectLink            = 4
	dragDropSDrop             = 0x00040100
	dragDropSCancel           = 0x00040101
	dragDropSUseDefaultCursor = 0x00040102
	eNoInterface              = 0x80004002
	mkLButton                 = 0x0001
)

// dropSource is an IDropSource with no state: one for the process.
type dropSource struct{ vtbl *dropSourceVtbl }

type dropSourceVtbl struct {
	QueryInterface, AddRef, Release, QueryContinueDrag, GiveFeedback uintptr
}

var theDropSource = sync.OnceValue(func() *dropSource {
	return &dropSource{vtbl: &dropSourceVtbl{
		QueryInterface: windows.NewCallback(func(this *dropSource, iid *windows.GUID, out **dropSource) uintptr {
			if *iid == iidUnknown || *iid == iidDropSource {
				*out = this
				return 0
			}
			*out = nil
			return eNoInterface
		}),
		AddRef:  windows.NewCallback(func(*dropSource) uintptr { return 1 }),
		Release: windows.NewCallback(func(*dropSource) uintptr { return 1 }),
		QueryContinueDrag: windows.NewCallback(func(_ *dropSource, escape, keys uintptr) uintptr {
			switch {
			case escape != 0:
				return dragDropSCancel
			case keys&mkLButton == 0:
				return dragDropSDrop
			}
			return 0
		}),
		GiveFeedback: windows.NewCallback(func(*dropSource, uintptr) uintptr { return dragDropSUseDefaultCursor }),
	}}
})

// comRelease calls IUnknown::Release on obj.
func comRelease(obj *struct{ vtbl *[3]uintptr }) {
	if obj != nil {
		syscall.SyscallN(obj.vtbl[2], uintptr(unsafe.Pointer(obj)))
	}
}

// dragOut drags file from the thumbnail until the button is let go (the
// drop) or Esc; it reports whether the file was dropped somewhere. It
// runs on the thumbnail's thread, whose messages OLE pumps meanwhile.
func dragOut(file string) (bool, error) {
	hr, _, _ := procOleInitialize.Call(0)
	if int32(hr) < 0 {
		return false, fmt.Errorf("OleInitialize: 0x%08X", uint32(hr))
	}
	obj, err := fileDataObject(file)
	if err != nil {
		return false, err
	}
	defer comRelease(obj)
	var effect uint32
	hr, _, _ = procDoDragDrop.Call(uintptr(unsafe.Pointer(obj)), uintptr(unsafe.Pointer(theDropSource())), dropEffectCopy|dropEffectLink, uintptr(unsafe.Pointer(&effect)))
	switch uint32(hr) {
	case dragDropSDrop:
		return effect != 0, nil
	case dragDropSCancel:
		return false, nil
	}
	return false, fmt.Errorf("DoDragDrop: 0x%08X", uint32(hr))
}

// fileDataObject is the shell's data object of file: the folder's item
// list and the file's within it.
func fileDataObject(file string) (*struct{ vtbl *[3]uintptr }, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	dir, err := windows.UTF16PtrFromString(filepath.Dir(abs))
	if err != nil {
		return nil, err
	}
	path, err := windows.UTF16PtrFromString(abs)
	if err != nil {
		return nil, err
	}
	folder, _, _ := procILCreateFromPathW.Call(uintptr(unsafe.Pointer(dir)))
	full, _, _ := procILCreateFromPathW.Call(uintptr(unsafe.Pointer(path)))
	defer procILFree.Call(folder)
	defer procILFree.Call(full)
	if folder == 0 || full == 0 {
		return nil, fmt.Errorf("the shell does not know %s", abs)
	}
	child := lastID(full)
	var obj *struct{ vtbl *[3]uintptr }
	if procSHCreateDataObject.Find() == nil {
		hr, _, _ := procSHCreateDataObject.Call(folder, 1, uintptr(unsafe.Pointer(&child)), 0, uintptr(unsafe.Pointer(&iidDataObject)), uintptr(unsafe.Pointer(&obj)))
		if int32(hr) >= 0 && obj != nil {
			return obj, nil
		}
	}
	hr, _, _ := procCIDLDataCreateFromIDAr.Call(folder, 1, uintptr(unsafe.Pointer(&child)), uintptr(unsafe.Pointer(&obj)))
	if int32(hr) < 0 || obj == nil {
		return nil, fmt.Errorf("the shell's data object of %s: 0x%08X", abs, uint32(hr))
	}
	return obj, nil
}

// lastID is the last item of an item ID list: a pointer into it, to its
// last SHITEMID (each a 16-bit size, then its bytes; a size of 0 ends).
func lastID(list uintptr) uintptr {
	p := *(*unsafe.Pointer)(unsafe.Pointer(&list))
	last := p
	for {
		size := *(*uint16)(p)
		if size == 0 {
			break
		}
		last = p
		p = unsafe.Add(p, size)
	}
	return uintptr(last)
}
