package global

import (
	"context"
	"errors"
	"testing"
	"time"

	"imagecx/hotkeys"

	"imagecx/internal/dbustest"
)

func TestGlobalShortcutsPortal(t *testing.T) {
	bus := dbustest.Start(t)
	fake := bus.ShortcutsPortal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	full, _ := hotkeys.Parse("Ctrl+Shift+1")
	region, _ := hotkeys.Parse("Super+F9")
	p, err := BindPortal(ctx, bus.Conn(t), []Shortcut{{Name: "full screen", Description: "Capture the full screen", Hotkey: full}, {Name: "region", Description: "Capture a region", Hotkey: region}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if b := fake.Bound(); b["full screen"] != "CTRL+SHIFT+1" || b["region"] != "LOGO+F9" {
		t.Fatalf("bound %v", b)
	}
	fake.Activate(t, "region")
	select {
	case ev := <-p.Events():
		if ev.Name != "region" {
			t.Fatalf("event %q", ev.Name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no activation")
	}
}

func TestNoShortcutsPortal(t *testing.T) {
	bus := dbustest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := BindPortal(ctx, bus.Conn(t), nil); !errors.Is(err, hotkeys.ErrUnsupported) {
		t.Fatalf("err = %v", err)
	}
}

func TestTrigger(t *testing.T) {
	for in, want := range map[string]string{"Ctrl+Shift+1": "CTRL+SHIFT+1", "Alt+Print": "ALT+Print", "Super+F9": "LOGO+F9", "Ctrl+A": "CTRL+a"} {
		h, _ := hotkeys.Parse(in)
		if got := Trigger(h); got != want {
			t.Errorf("%s: %s", in, got)
		}
	}
}
