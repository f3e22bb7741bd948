package dialog

import (
	"context"
	"strings"
	"time"

	"imagecx/internal/portal"
	"imagecx/internal/sessionbus"
	"imagecx/programs"
	"imagecx/settings"
	"imagecx/shortcuts"
)

// desktopFor is what the window offers of the desktop: GNOME on Wayland
// gives imagecx no hotkeys and keeps a screenshot permission; elsewhere
// there is nothing to offer.
func desktopFor(getenv func(string) string) Desktop {
	if getenv("XDG_SESSION_TYPE") != "wayland" || !strings.Contains(strings.ToUpper(getenv("XDG_CURRENT_DESKTOP")), "GNOME") {
		return nil
	}
	return gnomeDesktop{getenv}
}

type gnomeDesktop struct{ getenv func(string) string }

func (gnomeDesktop) Name() string { return "GNOME" }

func (gnomeDesktop) AddShortcuts(hk settings.Hotkeys) error {
	exe, err := programs.Path(programs.CLI)
	if err != nil {
		return err
	}
	bs, err := shortcuts.For(exe, hk)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return shortcuts.AddGNOME(ctx, bs)
}

func (g gnomeDesktop) ScreenshotsDenied() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := sessionbus.Connect(ctx, g.getenv)
	if err != nil {
		return false
	}
	defer conn.Close()
	perm, err := portal.ScreenshotPermission(ctx, conn)
	return err == nil && perm == portal.Denied
}

func (g gnomeDesktop) AllowScreenshots() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := sessionbus.Connect(ctx, g.getenv)
	if err != nil {
		return err
	}
	defer conn.Close()
	return portal.AllowScreenshots(ctx, conn)
}
