package capture

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // portals may answer with JPEG
	_ "image/png"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// Errors of the Screenshot portal.
var (
	ErrPortalCancelled   = errors.New("the screenshot was cancelled")
	ErrPortalUnavailable = errors.New("no screenshot portal is available (install xdg-desktop-portal and the backend for your desktop, e.g. xdg-desktop-portal-gnome, -kde or -wlr)")
)

// Portal takes screenshots through org.freedesktop.portal.Screenshot, the
// way to read the screen on Wayland: the compositor does the capture (and,
// when interactive, lets the user pick the area).
type Portal struct {
	Conn    *dbus.Conn    // a session bus connection
	Timeout time.Duration // how long to wait for the answer; default 2 minutes
	// Desktop is $XDG_CURRENT_DESKTOP; it decides which parent_window
	// form is tried first.
	Desktop string
}

const (
	portalName  = "org.freedesktop.portal.Desktop"
	portalPath  = "/org/freedesktop/portal/desktop"
	portalIface = "org.freedesktop.portal.Screenshot"
)

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
func (p *Portal) Screenshot(ctx context.Context, interactive bool) (*image.RGBA, error) {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var lastErr error
	for _, parent := range p.parentWindows() {
		uri, err := p.request(ctx, parent, interactive)
		if errors.Is(err, errPortalFailed) {
			lastErr = err
			continue
		}
		if err != nil {
			return nil, err
		}
		return readPortalFile(uri)
	}
	return nil, lastErr
}

var errPortalFailed = errors.New("the screenshot portal failed")

// request makes one Screenshot call and waits for its Response.
func (p *Portal) request(ctx context.Context, parent string, interactive bool) (string, error) {
	token := "imagecx_" + randToken()
	sender := strings.ReplaceAll(strings.TrimPrefix(p.Conn.Names()[0], ":"), ".", "_")
	handle := dbus.ObjectPath(portalPath + "/request/" + sender + "/" + token)

	// Subscribe before calling, or a fast answer is lost.
	match := []dbus.MatchOption{dbus.WithMatchObjectPath(handle), dbus.WithMatchInterface("org.freedesktop.portal.Request"), dbus.WithMatchMember("Response")}
	if err := p.Conn.AddMatchSignalContext(ctx, match...); err != nil {
		return "", fmt.Errorf("listen for the portal's answer: %w", err)
	}
	defer p.Conn.RemoveMatchSignal(match...)
	signals := make(chan *dbus.Signal, 4)
	p.Conn.Signal(signals)
	defer p.Conn.RemoveSignal(signals)

	opts := map[string]dbus.Variant{
		"handle_token": dbus.MakeVariant(token),
		"interactive":  dbus.MakeVariant(interactive),
		"modal":        dbus.MakeVariant(false),
	}
	var got dbus.ObjectPath
	call := p.Conn.Object(portalName, portalPath).CallWithContext(ctx, portalIface+".Screenshot", 0, parent, opts)
	if call.Err != nil {
		var de dbus.Error
		if errors.As(call.Err, &de) && (strings.Contains(de.Name, "ServiceUnknown") || strings.Contains(de.Name, "UnknownMethod") || strings.Contains(de.Name, "UnknownInterface")) {
			return "", ErrPortalUnavailable
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("the screenshot portal did not answer: %w", ctx.Err())
		}
		return "", fmt.Errorf("%w: %v", errPortalFailed, call.Err)
	}
	if err := call.Store(&got); err == nil && got != handle {
		handle = got // an old portal that ignores handle_token
	}
	for {
		select {
		case <-ctx.Done():
			// Close the request so the portal's dialog goes away.
			p.Conn.Object(portalName, handle).Call("org.freedesktop.portal.Request.Close", dbus.FlagNoReplyExpected)
			return "", fmt.Errorf("the screenshot portal did not answer in time: %w", ctx.Err())
		case sig := <-signals:
			if sig == nil || sig.Path != handle || sig.Name != "org.freedesktop.portal.Request.Response" || len(sig.Body) < 2 {
				continue
			}
			code, _ := sig.Body[0].(uint32)
			results, _ := sig.Body[1].(map[string]dbus.Variant)
			switch code {
			case 0:
				uri, _ := results["uri"].Value().(string)
				if uri == "" {
					return "", fmt.Errorf("%w: no file in the answer", errPortalFailed)
				}
				return uri, nil
			case 1:
				return "", ErrPortalCancelled
			default:
				return "", fmt.Errorf("%w (response %d)", errPortalFailed, code)
			}
		}
	}
}

// readPortalFile decodes the screenshot and removes the file: it is ours
// now, and the captures folder gets its own copy.
func readPortalFile(uri string) (*image.RGBA, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return nil, fmt.Errorf("the portal answered with %q, not a file", uri)
	}
	data, err := os.ReadFile(u.Path)
	if err != nil {
		return nil, fmt.Errorf("read the portal's screenshot: %w", err)
	}
	os.Remove(u.Path)
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

func randToken() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
