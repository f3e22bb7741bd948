package winrt

import (
	"errors"
	"runtime"
	"testing"
	"unsafe"
)

// onThread locks the test to its thread, in the Windows Runtime's
// multithreaded apartment, until it ends.
func onThread(t *testing.T) {
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	if err := Init(); err != nil {
		t.Fatal(err)
	}
}

// Strings go to the Windows Runtime and back whole, Chinese and empty ones
// too.
func TestStrings(t *testing.T) {
	onThread(t)
	for _, s := range []string{"en-US", "繁體中文 and 日本語", ""} {
		h, err := String(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Go(); got != s {
			t.Errorf("%q came back as %q", s, got)
		}
		h.Delete()
	}
}

// A class the system does not have is an error that says so (on Wine,
// Windows.Media.Ocr is one).
func TestMissingClass(t *testing.T) {
	onThread(t)
	_, err := Factory("Imagecx.NoSuchClass", MustGUID("5BFFA85A-3384-3540-9940-699120D428A8"))
	var hr HRESULT
	if !errors.As(err, &hr) || !hr.Failed() {
		t.Fatalf("%v", err)
	}
}

// An object made through a factory answers a method by its place, and
// the objects it returns too: GlobalizationPreferences' Languages (9),
// an IVectorView of strings, its Size (7) and GetAt (6). (The classes
// imagecx uses, Windows.Media.Ocr's, are not in Wine; this one is.)
func TestCallByPlace(t *testing.T) {
	onThread(t)
	f, err := Factory("Windows.System.UserProfile.GlobalizationPreferences", MustGUID("01BF4326-ED37-4E96-B0E9-C1340D1EA158"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	var list Object
	if err := f.Call("GlobalizationPreferences.Languages", 9, list.Out()); err != nil {
		t.Fatal(err)
	}
	defer list.Release()
	var n uint32
	if err := list.Call("IVectorView.Size", 7, uintptr(unsafe.Pointer(&n))); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no languages")
	}
	var first HString
	if err := list.Call("IVectorView.GetAt", 6, 0, uintptr(unsafe.Pointer(&first))); err != nil {
		t.Fatal(err)
	}
	defer first.Delete()
	if tag := first.Go(); len(tag) < 2 || tag[0] < 'a' || tag[0] > 'z' {
		t.Errorf("the first language is %q", tag)
	}
	if err := (Object{}).Call("nothing", 6); err == nil {
		t.Error("a call on no object went through")
	}
}
