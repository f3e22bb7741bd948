package winrt

import (
	"context"
	"fmt"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	combase                       = windows.NewLazySystemDLL("combase.dll")
	procRoInitialize              = combase.NewProc("RoInitialize")
	procRoGetActivationFactory    = combase.NewProc("RoGetActivationFactory")
	procWindowsCreateString       = combase.NewProc("WindowsCreateString")
	procWindowsDeleteString       = combase.NewProc("WindowsDeleteString")
	procWindowsGetStringRawBuffer = combase.NewProc("WindowsGetStringRawBuffer")
)

// Object is a COM object; the zero Object is none.
type Object struct{ p *comObject }

// comObject is what a COM pointer points to: its virtual table first.
type comObject struct{ vtbl *[64]uintptr }

// None says whether o is no object.
func (o Object) None() bool { return o.p == nil }

// Init makes the calling thread (locked to it by the caller) a member of
// the multithreaded apartment; it can be called again.
func Init() error {
	if err := combase.Load(); err != nil {
		return fmt.Errorf("combase.dll: %w", err)
	}
	const multithreaded = 1
	hr, _, _ := procRoInitialize.Call(multithreaded)
	const changedMode = HRESULT(-2147417850) // RPC_E_CHANGED_MODE: already in the other apartment, which works too
	if h := HRESULT(int32(hr)); h.Failed() && h != changedMode {
		return fmt.Errorf("RoInitialize: %w", h)
	}
	return nil
}

// Factory is the activation factory of class, as the interface iid.
func Factory(class string, iid GUID) (Object, error) {
	name, err := String(class)
	if err != nil {
		return Object{}, err
	}
	defer name.Delete()
	var f Object
	hr, _, _ := procRoGetActivationFactory.Call(uintptr(name), uintptr(unsafe.Pointer(&iid)), uintptr(unsafe.Pointer(&f.p)))
	if h := HRESULT(int32(hr)); h.Failed() {
		return Object{}, fmt.Errorf("%s: %w", class, h)
	}
	return f, nil
}

// Call calls the method at place in o's virtual table with args (o
// itself first); a failure is an error naming what.
func (o Object) Call(what string, place int, args ...uintptr) error {
	if o.p == nil {
		return fmt.Errorf("%s: no object", what)
	}
	hr, _, _ := syscall.SyscallN(o.p.vtbl[place], append([]uintptr{uintptr(unsafe.Pointer(o.p))}, args...)...)
	if h := HRESULT(int32(hr)); h.Failed() {
		return fmt.Errorf("%s: %w", what, h)
	}
	return nil
}

// QueryInterface is o as the interface iid.
func (o Object) QueryInterface(iid GUID) (Object, error) {
	var out Object
	err := o.Call("QueryInterface", 0, uintptr(unsafe.Pointer(&iid)), out.Out())
	return out, err
}

// Out is where a method puts an object it returns: pass o.Out() of an
// Object declared for it.
func (o *Object) Out() uintptr { return uintptr(unsafe.Pointer(&o.p)) }

// Arg is o as a method's argument.
func (o Object) Arg() uintptr { return uintptr(unsafe.Pointer(o.p)) }

// Release lets go of o (none is ignored).
func (o Object) Release() {
	if o.p != nil {
		o.Call("Release", 2)
	}
}

// HString is a Windows Runtime string.
type HString uintptr

// String makes s an HString, to be deleted.
func String(s string) (HString, error) {
	u, err := windows.UTF16FromString(s)
	if err != nil {
		return 0, err
	}
	var h HString
	hr, _, _ := procWindowsCreateString.Call(uintptr(unsafe.Pointer(&u[0])), uintptr(len(u)-1), uintptr(unsafe.Pointer(&h)))
	if h := HRESULT(int32(hr)); h.Failed() {
		return 0, fmt.Errorf("WindowsCreateString: %w", h)
	}
	return h, nil
}

// Delete frees h (none is ignored).
func (h HString) Delete() {
	if h != 0 {
		procWindowsDeleteString.Call(uintptr(h))
	}
}

// Go is h's text.
func (h HString) Go() string {
	if h == 0 {
		return ""
	}
	var n uint32
	r, _, _ := syscall.SyscallN(procWindowsGetStringRawBuffer.Addr(), uintptr(h), uintptr(unsafe.Pointer(&n)))
	p := *(**uint16)(unsafe.Pointer(&r)) // the string's own buffer, as long as h lives
	if p == nil || n == 0 {
		return ""
	}
	return windows.UTF16ToString(unsafe.Slice(p, n))
}

var iidAsyncInfo = MustGUID("00000036-0000-0000-C000-000000000046")

// Wait waits for the asynchronous operation op to end (IAsyncInfo,
// asked every 10 ms), and gets its result (IAsyncOperation<T>.GetResults,
// place 8) as an object. ctx's end cancels it.
func Wait(ctx context.Context, op Object) (Object, error) {
	info, err := op.QueryInterface(iidAsyncInfo)
	if err != nil {
		return Object{}, err
	}
	defer info.Release()
	defer info.Call("IAsyncInfo.Close", 10)
	for {
		var status int32
		if err := info.Call("IAsyncInfo.get_Status", 7, uintptr(unsafe.Pointer(&status))); err != nil {
			return Object{}, err
		}
		switch status {
		case Completed:
			var out Object
			err := op.Call("IAsyncOperation.GetResults", 8, out.Out())
			return out, err
		case Canceled:
			return Object{}, context.Canceled
		case Error:
			var code int32
			info.Call("IAsyncInfo.get_ErrorCode", 8, uintptr(unsafe.Pointer(&code)))
			return Object{}, fmt.Errorf("the operation failed: %w", HRESULT(code))
		}
		select {
		case <-ctx.Done():
			info.Call("IAsyncInfo.Cancel", 9)
			return Object{}, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
