package global

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"imagecx/explain"
	"imagecx/hotkeys"

	"imagecx/internal/testkit/dbustest"
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

// xdg-desktop-portal-kde 5.27 registers only the shortcuts given to
// CreateSession and answers BindShortcuts with none: they are given
// there too, ListShortcuts says they hold, and the session token is the
// same at every start. A portal that binds nothing is said, not trusted.
func TestShortcutsPortalsThatBindLess(t *testing.T) {
	full, _ := hotkeys.Parse("Ctrl+Shift+1")
	region, _ := hotkeys.Parse("Ctrl+Shift+2")
	list := []Shortcut{{Name: "full_screen", Hotkey: full}, {Name: "region", Hotkey: region}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	bus := dbustest.Start(t)
	fake := bus.ShortcutsPortal(t)
	fake.Like("kde-5.27")
	p, err := BindPortal(ctx, bus.Conn(t), list)
	if err != nil {
		t.Fatalf("KDE 5.27: %v", err)
	}
	if b := fake.Bound(); b["full_screen"] != "CTRL+SHIFT+1" || b["region"] != "CTRL+SHIFT+2" || fake.Token() != SessionToken {
		t.Fatalf("bound %v, token %q", b, fake.Token())
	}
	fake.Activate(t, "full_screen")
	select {
	case ev := <-p.Events():
		if ev.Name != "full_screen" {
			t.Fatalf("event %q", ev.Name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no activation")
	}
	p.Close()

	bus = dbustest.Start(t)
	bus.ShortcutsPortal(t).Like("none")
	_, err = BindPortal(ctx, bus.Conn(t), list)
	var nb *NotBoundError
	if !errors.As(err, &nb) || len(nb.Missing) != 2 || !strings.Contains(explain.Error(err), "Ctrl+Shift+1, Ctrl+Shift+2 do nothing") {
		t.Fatalf("nothing bound: %v (%s)", err, explain.Error(err))
	}
}
