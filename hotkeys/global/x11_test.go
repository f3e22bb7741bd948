//go:build linux

package global

import (
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"imagecx/hotkeys"

	"imagecx/internal/testkit/xvfb"
)

func xdotool(t *testing.T, display string, args ...string) {
	t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, out)
	}
}

func expect(t *testing.T, r hotkeys.Registry, want string) {
	t.Helper()
	select {
	case ev := <-r.Events():
		if ev.Name != want {
			t.Fatalf("got %q, want %q", ev.Name, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no %q event", want)
	}
}

func expectNone(t *testing.T, r hotkeys.Registry) {
	t.Helper()
	select {
	case ev := <-r.Events():
		t.Fatalf("unexpected event %q", ev.Name)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestX11Hotkeys(t *testing.T) {
	xvfb.Need(t, "xdotool")
	x := xvfb.Start(t, 640, 480)
	r, err := Open(x.Display)
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
	if err := r.Register("dup", full); err == nil {
		t.Fatal("the same combination registered twice")
	}

	xdotool(t, x.Display, "key", "ctrl+shift+1")
	expect(t, r, "full")
	expectNone(t, r) // one press, one event (no extra for ctrl or shift)
	xdotool(t, x.Display, "key", "ctrl+shift+2")
	expect(t, r, "region")
	for _, other := range []string{"a", "1", "ctrl+1", "shift+1", "ctrl+shift+3", "ctrl+alt+shift+1"} {
		xdotool(t, x.Display, "key", other)
	}
	expectNone(t, r)

	// NumLock and CapsLock on: still fires.
	xdotool(t, x.Display, "key", "Num_Lock")
	xdotool(t, x.Display, "key", "ctrl+shift+1")
	expect(t, r, "full")
	xdotool(t, x.Display, "key", "Caps_Lock")
	xdotool(t, x.Display, "key", "ctrl+shift+1")
	expect(t, r, "full")
	xdotool(t, x.Display, "key", "Num_Lock", "Caps_Lock")

	// Held down, a key repeats: still one press.
	xdotool(t, x.Display, "keydown", "ctrl+shift+1", "sleep", "1.5", "keyup", "ctrl+shift+1")
	expect(t, r, "full")
	expectNone(t, r)

	// Presses nobody reads in time are counted, and the next press says
	// how many were dropped.
	burst := []string{"key", "--delay", "20"}
	for range 12 {
		burst = append(burst, "ctrl+shift+2")
	}
	xdotool(t, x.Display, burst...)
	time.Sleep(300 * time.Millisecond)
	for range cap(r.Events()) {
		expect(t, r, "region")
	}
	expectNone(t, r)
	xdotool(t, x.Display, "key", "ctrl+shift+2")
	if ev := <-r.Events(); ev.Name != "region" || ev.Missed != 12-cap(r.Events()) {
		t.Fatalf("after the burst: %+v, want %d missed", ev, 12-cap(r.Events()))
	}

	// Another program already holds a combination.
	other, err := Open(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	err = other.Register("full", full)
	var taken *hotkeys.TakenError
	if !errors.As(err, &taken) || taken.Hotkey != full {
		t.Fatalf("err = %v, want *TakenError", err)
	}
	// Re-registering a name moves the grab; the old one is released.
	alt, _ := hotkeys.Parse("Alt+F9")
	if err := r.Register("full", alt); err != nil {
		t.Fatal(err)
	}
	if err := other.Register("full", full); err != nil {
		t.Fatalf("the old grab was not released: %v", err)
	}
	xdotool(t, x.Display, "key", "alt+F9")
	expect(t, r, "full")
	other.Close()

	// Close releases everything and ends the event stream.
	r.Close()
	if _, ok := <-r.Events(); ok {
		t.Fatal("events still open after Close")
	}
	again, err := Open(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := again.Register("full", alt); err != nil {
		t.Fatalf("Close did not ungrab: %v", err)
	}
}
