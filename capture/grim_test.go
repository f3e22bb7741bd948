package capture

import (
	"bufio"
	"context"
	"errors"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/internal/portal"
	"imagecx/internal/testkit/dbustest"
)

func TestReadPPM(t *testing.T) {
	img, err := readPPM(bufio.NewReader(strings.NewReader("P6\n# made by grim\n2 1\n255\n\x01\x02\x03\xfa\xfb\xfc")))
	if err != nil {
		t.Fatal(err)
	}
	if img.Rect.Dx() != 2 || img.Rect.Dy() != 1 || img.RGBAAt(0, 0) != (color.RGBA{1, 2, 3, 255}) || img.RGBAAt(1, 0) != (color.RGBA{250, 251, 252, 255}) {
		t.Fatalf("%v %v %v", img.Rect, img.RGBAAt(0, 0), img.RGBAAt(1, 0))
	}
	for name, bad := range map[string]string{
		"empty":      "",
		"ASCII PPM":  "P3\n1 1\n255\n0 0 0\n",
		"16-bit":     "P6\n1 1\n65535\n\x00\x00\x00\x00\x00\x00",
		"short":      "P6\n2 2\n255\n\x00\x00\x00",
		"no size":    "P6\n\n",
		"zero width": "P6\n0 1\n255\n",
		"huge":       "P6\n100000 100000\n255\n",
		"garbage":    "P6\nabc 1\n255\n",
	} {
		if _, err := readPPM(bufio.NewReader(strings.NewReader(bad))); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

// fakeTools puts scripts named like the real tools first on PATH.
func fakeTools(t *testing.T, scripts map[string]string) {
	dir := t.TempDir()
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
}

// grimPPM is a grim that writes a 2×1 PPM, and records its arguments.
func grimPPM(args string) string {
	return `echo "$@" > ` + args + `; printf 'P6\n2 1\n255\n\001\002\003\004\005\006'`
}

// On sway, when the portal fails or is missing, grim (and slurp for an
// area) stand in; elsewhere they do not.
func TestGrimStandsInOnWlroots(t *testing.T) {
	bus := dbustest.Start(t)
	bus.ScreenshotPortal(t, "fail", nil)
	args := filepath.Join(t.TempDir(), "args")
	p := &Portal{Bus: OnConn(bus.Conn(t)), Timeout: 5 * time.Second, Desktop: "sway"}

	fakeTools(t, map[string]string{"grim": grimPPM(args), "slurp": "echo '10,20 30x40'"})
	img, err := p.Screenshot(context.Background(), false)
	if err != nil || img.RGBAAt(1, 0) != (color.RGBA{4, 5, 6, 255}) {
		t.Fatalf("full screen through grim: %v %v", img, err)
	}
	if a, _ := os.ReadFile(args); strings.TrimSpace(string(a)) != "-t ppm -" {
		t.Errorf("grim was run with %q", a)
	}
	if _, err := p.Screenshot(context.Background(), true); err != nil {
		t.Fatalf("an area through slurp and grim: %v", err)
	}
	if a, _ := os.ReadFile(args); strings.TrimSpace(string(a)) != "-g 10,20 30x40 -t ppm -" {
		t.Errorf("grim was run with %q", a)
	}

	fakeTools(t, map[string]string{"grim": grimPPM(args), "slurp": "exit 1"}) // Esc
	if _, err := p.Screenshot(context.Background(), true); !errors.Is(err, ErrCancelled) {
		t.Fatalf("slurp cancelled: %v", err)
	}
	fakeTools(t, map[string]string{"grim": grimPPM(args), "slurp": "echo 'compositor lacks wlr-layer-shell' >&2; exit 1"})
	if _, err := p.Screenshot(context.Background(), true); err == nil || errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "layer-shell") {
		t.Fatalf("slurp failing: %v", err)
	}
	fakeTools(t, map[string]string{"grim": grimPPM(args)})
	if _, err := p.Screenshot(context.Background(), true); !errors.Is(err, portal.ErrFailed) || !strings.Contains(err.Error(), "needs slurp") {
		t.Fatalf("no slurp: %v", err)
	}
	fakeTools(t, map[string]string{"grim": "echo 'compositor does not support screencopy' >&2; exit 1"})
	if _, err := p.Screenshot(context.Background(), false); err == nil || !strings.Contains(err.Error(), "screencopy") {
		t.Fatalf("grim failing: %v", err)
	}
	fakeTools(t, nil)
	if _, err := p.Screenshot(context.Background(), false); !errors.Is(err, portal.ErrFailed) || !strings.Contains(err.Error(), "need grim: install it") {
		t.Fatalf("no grim: %v", err)
	}
	if _, err := p.Screenshot(context.Background(), true); !strings.Contains(err.Error(), "install both") {
		t.Fatalf("no grim, an area: %v", err)
	}

	// No portal at all, and no session bus: grim alone.
	fakeTools(t, map[string]string{"grim": grimPPM(args)})
	alone := &Portal{Desktop: "sway", Timeout: 5 * time.Second}
	if _, err := alone.Screenshot(context.Background(), false); err != nil {
		t.Fatalf("grim without a portal: %v", err)
	}
	// GNOME's portal failing is final.
	gnome := &Portal{Bus: OnConn(bus.Conn(t)), Timeout: 5 * time.Second, Desktop: "GNOME"}
	if _, err := gnome.Screenshot(context.Background(), false); !errors.Is(err, portal.ErrFailed) || strings.Contains(err.Error(), "grim") {
		t.Fatalf("GNOME: %v", err)
	}
}
