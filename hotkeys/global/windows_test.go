//go:build windows

package global

import (
	"errors"
	"testing"
	"time"
	"unsafe"

	"imagecx/hotkeys"
)

var procSendInput = user32.NewProc("SendInput")

// keyboardInput is INPUT with a KEYBDINPUT, as 64-bit Windows lays it out.
type keyboardInput struct {
	Type  uint32
	_     uint32
	Vk    uint16
	Scan  uint16
	Flags uint32
	Time  uint32
	_     uint32
	Extra uintptr
	_     [8]byte
}

// press types the combination as a keyboard would (keys down, then up).
func press(t *testing.T, vks ...uint16) {
	t.Helper()
	var in []keyboardInput
	for _, vk := range vks {
		in = append(in, keyboardInput{Type: 1, Vk: vk})
	}
	for i := len(vks) - 1; i >= 0; i-- {
		in = append(in, keyboardInput{Type: 1, Vk: vks[i], Flags: 2}) // KEYEVENTF_KEYUP
	}
	if r, _, err := procSendInput.Call(uintptr(len(in)), uintptr(unsafe.Pointer(&in[0])), unsafe.Sizeof(in[0])); int(r) != len(in) {
		t.Fatalf("SendInput: %v", err)
	}
}

func TestWindowsHotkeys(t *testing.T) {
	r, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	full, _ := hotkeys.Parse("Ctrl+Shift+1")
	region, _ := hotkeys.Parse("Ctrl+Shift+2")
	if err := r.Register("full", full); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("region", region); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("again", full); err == nil {
		t.Error("one combination for two actions")
	}
	// Another program (here another registry) cannot have it.
	other, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	var taken *hotkeys.TakenError
	if err := other.Register("x", full); !errors.As(err, &taken) {
		t.Errorf("a combination held elsewhere: %v", err)
	}
	other.Close()

	press(t, 0x11, 0x10, '2') // Ctrl, Shift, 2
	select {
	case ev := <-r.Events():
		if ev.Name != "region" {
			t.Errorf("event %q", ev.Name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no hotkey event")
	}
	// Unregistered, it is free again, and fires no more.
	r.Unregister("region")
	press(t, 0x11, 0x10, '2')
	select {
	case ev := <-r.Events():
		t.Errorf("an unregistered hotkey fired: %q", ev.Name)
	case <-time.After(500 * time.Millisecond):
	}
	third, _ := Open("")
	defer third.Close()
	if err := third.Register("region", region); err != nil {
		t.Errorf("Ctrl+Shift+2 was not given back: %v", err)
	}
}
