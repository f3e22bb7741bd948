package capture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // portals may answer with JPEG
	_ "image/png"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/i18n"
	"imagecx/internal/portal"
)

// Errors of the Screenshot portal.
var (
	ErrPortalUnavailable error = i18n.Errorf("no screenshot portal is available (install xdg-desktop-portal and the backend for your desktop, e.g. xdg-desktop-portal-gnome, -kde or -wlr)")
	// ErrDenied is GNOME refusing every screenshot because Deny was
	// answered to "Allow applications to take screenshots?".
	ErrDenied error = deniedError{}
)

type deniedError struct{}

func (deniedError) Error() string {
	return "screenshot: the desktop was told not to let applications take screenshots"
}

func (deniedError) Explain() string {
	return "GNOME was told not to let applications take screenshots (Deny, when it asked), so it refuses every capture. " +
		"Allow them again: run `imagecx allow-screenshots`, or choose Allow screenshots in imagecx's notification."
}

// Portal takes screenshots through org.freedesktop.portal.Screenshot, the
// way to read the screen on Wayland: the compositor does the capture (and,
// when interactive, lets the user pick the area). On wlroots desktops grim
// stands in when the portal is missing or fails.
type Portal struct {
	// Bus gives the session bus connection (a new one after the bus was
	// restarted); nil when there is none.
	Bus     func() (*dbus.Conn, error)
	Timeout time.Duration // how long to wait for the answer; default 2 minutes
	// Desktop is $XDG_CURRENT_DESKTOP; it decides which parent_window
	// form is tried first, and whether grim may stand in for the portal.
	Desktop string
	// Asking, if set, is called before a screenshot that GNOME will ask
	// the person about first (it asks once, and keeps the answer).
	Asking func()
	// PicturesDir is the person's Pictures folder: KDE's portal writes
	// its screenshot there and, without one, answers as if cancelled. It
	// is made when missing; "" leaves it.
	PicturesDir string
}

// ErrScreenLocked is a capture asked for while the screen is locked: the
// portals wait until it is unlocked, or forever.
var ErrScreenLocked error = i18n.Errorf("the screen is locked; unlock it and capture again")

// screenLocked asks the desktop's screen saver whether the screen is
// locked (KDE and others: org.freedesktop.ScreenSaver; GNOME its own).
func screenLocked(ctx context.Context, conn *dbus.Conn) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	for _, o := range []struct{ name, path, iface string }{
		{"org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"},
		{"org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"},
	} {
		var active bool
		if conn.Object(o.name, dbus.ObjectPath(o.path)).CallWithContext(ctx, o.iface+".GetActive", 0).Store(&active) == nil && active {
			return true
		}
	}
	return false
}

// kde reports whether desktop ($XDG_CURRENT_DESKTOP) is KDE Plasma.
func kde(desktop string) bool {
	for _, d := range strings.Split(strings.ToLower(desktop), ":") {
		if d == "kde" {
			return true
		}
	}
	return false
}

// gnome reports whether desktop ($XDG_CURRENT_DESKTOP) is GNOME.
func gnome(desktop string) bool {
	for _, d := range strings.Split(strings.ToLower(desktop), ":") {
		if d == "gnome" {
			return true
		}
	}
	return false
}

// OnConn is a Portal's Bus for one connection that is kept as it is.
func OnConn(conn *dbus.Conn) func() (*dbus.Conn, error) {
	return func() (*dbus.Conn, error) { return conn, nil }
}

// parentWindows are the parent_window values to try, in order. There is no
// window to name, and portals disagree on how to say so:
// xdg-desktop-portal-gnome ≥ 46 rejects "" while KDE rejects "wayland:"
// with an empty handle. The other form is tried when the first fails.
func (p *Portal) parentWindows() []string {
	if strings.Contains(strings.ToUpper(p.Desktop), "KDE") {
		return []string{"", "wayland:"}
	}
	return []string{"wayland:", ""}
}

// Screenshot asks for a screenshot (interactive: the compositor's own UI
// picks the area), reads the image and deletes the file the portal wrote.
// On wlroots desktops, when the portal is missing or fails, it runs grim
// (and slurp) itself (grim.go).
func (p *Portal) Screenshot(ctx context.Context, interactive bool) (*image.RGBA, error) {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	img, err := p.viaPortal(ctx, interactive)
	if err == nil || errors.Is(err, ErrCancelled) || ctx.Err() != nil || !wlroots(p.Desktop) {
		return img, err
	}
	// xdg-desktop-portal-wlr runs grim to take the screenshot and slurp
	// to choose the area, and fails without a word when they are missing
	// (neither is a dependency of its package).
	if _, lerr := exec.LookPath("grim"); lerr != nil {
		if interactive {
			return nil, fmt.Errorf("%w; on %s, screenshots need grim, and slurp to capture an area: install both, or use `imagecx capture full`", err, p.Desktop)
		}
		return nil, fmt.Errorf("%w; on %s, screenshots need grim: install it", err, p.Desktop)
	}
	img, gerr := grimShot(ctx, interactive)
	switch {
	case gerr == nil, errors.Is(gerr, ErrCancelled):
		return img, gerr
	case errors.Is(gerr, errNoSlurp):
		return nil, fmt.Errorf("%w; on %s, capturing an area needs slurp: install it, or use `imagecx capture full`", err, p.Desktop)
	}
	return nil, fmt.Errorf("%w; %v", err, gerr)
}

func (p *Portal) viaPortal(ctx context.Context, interactive bool) (*image.RGBA, error) {
	if p.Bus == nil {
		return nil, ErrPortalUnavailable
	}
	conn, err := p.Bus()
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrPortalUnavailable, err)
	}
	if screenLocked(ctx, conn) {
		return nil, ErrScreenLocked
	}
	if kde(p.Desktop) && p.PicturesDir != "" {
		os.MkdirAll(p.PicturesDir, 0o755)
	}
	if gnome(p.Desktop) && p.Asking != nil {
		if perm, err := portal.ScreenshotPermission(ctx, conn); err == nil && perm == portal.NotAsked {
			p.Asking()
		}
	}
	var lastErr error
	asked := time.Now()
	for _, parent := range p.parentWindows() {
		res, err := portal.Request(ctx, conn, "org.freedesktop.portal.Screenshot", "Screenshot", func(token string) []any {
			return []any{parent, map[string]dbus.Variant{
				"handle_token": dbus.MakeVariant(token),
				"interactive":  dbus.MakeVariant(interactive),
				"modal":        dbus.MakeVariant(false),
			}}
		})
		switch {
		case errors.Is(err, portal.ErrFailed):
			lastErr = err
			continue
		case errors.Is(err, portal.ErrCancelled):
			return nil, ErrCancelled
		case errors.Is(err, portal.ErrUnavailable):
			return nil, ErrPortalUnavailable
		case err != nil:
			return nil, err
		}
		uri, _ := res["uri"].Value().(string)
		if uri == "" {
			return nil, fmt.Errorf("%w: no file in the answer", portal.ErrFailed)
		}
		return readPortalFile(uri, asked)
	}
	if gnome(p.Desktop) {
		// GNOME answers a Deny kept from before at once, with no dialog.
		if perm, err := portal.ScreenshotPermission(ctx, conn); err == nil && perm == portal.Denied {
			return nil, ErrDenied
		}
	}
	return nil, fmt.Errorf("screenshot: %w", lastErr)
}

// AllowScreenshots undoes a Deny answered to GNOME (ErrDenied): the
// person asked for it in imagecx.
func (p *Portal) AllowScreenshots(ctx context.Context) error {
	if p.Bus == nil {
		return ErrPortalUnavailable
	}
	conn, err := p.Bus()
	if err != nil {
		return fmt.Errorf("%w (%v)", ErrPortalUnavailable, err)
	}
	return portal.AllowScreenshots(ctx, conn)
}

// wlroots reports a desktop ($XDG_CURRENT_DESKTOP) whose screenshots come
// from xdg-desktop-portal-wlr.
func wlroots(desktop string) bool {
	for _, d := range strings.Split(strings.ToLower(desktop), ":") {
		switch d {
		case "sway", "wlroots", "hyprland", "river", "wayfire", "labwc", "niri":
			return true
		}
	}
	return false
}

// readPortalFile decodes the screenshot and removes the file the portal
// wrote for the request made at asked: it is ours now, and the captures
// folder gets its own copy. A file that is not one the portal just wrote
// (older than the request, a link, not a plain file) is the person's and
// stays.
func readPortalFile(uri string, asked time.Time) (*image.RGBA, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return nil, fmt.Errorf("the portal answered with %q, not a file", uri)
	}
	st, err := os.Lstat(u.Path)
	if err != nil {
		return nil, fmt.Errorf("read the portal's screenshot: %w", err)
	}
	data, err := os.ReadFile(u.Path)
	if err != nil {
		return nil, fmt.Errorf("read the portal's screenshot: %w", err)
	}
	// File times may be coarser than the clock (whole seconds on some
	// file systems): a second of slack.
	if st.Mode().IsRegular() && !st.ModTime().Before(asked.Add(-time.Second)) {
		os.Remove(u.Path)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode the portal's screenshot: %w", err)
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		rgba = image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
		draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	}
	return rgba, nil
}

// OwnOverlay reports whether a region on this Wayland desktop is chosen
// with imagecx's own overlay (on a screenshot, in an Xwayland window)
// rather than the portal's dialog: GNOME and KDE, with Xwayland.
func OwnOverlay(getenv func(string) string) bool {
	if getenv("DISPLAY") == "" {
		return false
	}
	for _, d := range strings.Split(strings.ToLower(getenv("XDG_CURRENT_DESKTOP")), ":") {
		if d == "gnome" || d == "kde" {
			return true
		}
	}
	return false
}
