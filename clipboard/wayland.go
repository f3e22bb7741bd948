//go:build linux || freebsd || openbsd || netbsd

package clipboard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"imagecx/i18n"
	"imagecx/internal/wlglobals"
)

// OpenSession opens the session's clipboard. On Wayland, where the
// compositor offers the data-control protocol (KDE Plasma, wlroots
// desktops), the wl-clipboard tools own it there: a link put on
// Xwayland's clipboard reaches Wayland programs only while an X11 window
// has the focus (KWin), and the tray app has none. Otherwise X11's when
// there is an X display (Xwayland included: mutter keeps both in step),
// else wl-clipboard all the same.
func OpenSession(getenv func(string) string) (Conn, error) {
	if getenv("WAYLAND_DISPLAY") != "" && haveTools() == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if wlglobals.Offers(ctx, wlglobals.Socket(getenv), dataControl...) {
			return wayland{}, nil
		}
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") == "" {
		return Open("")
	}
	if err := haveTools(); err != nil {
		return nil, err
	}
	return wayland{}, nil
}

// dataControl are the protocols that let a program without a window own
// and read the Wayland clipboard.
var dataControl = []string{"zwlr_data_control_manager_v1", "ext_data_control_manager_v1"}

// haveTools says whether wl-clipboard is installed.
func haveTools() error {
	for _, tool := range []string{"wl-copy", "wl-paste"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%w: a Wayland session without Xwayland needs wl-clipboard (%s is not installed)", ErrUnsupported, tool)
		}
	}
	return nil
}

// wayland is the clipboard through wl-clipboard. wl-copy stays in the
// background serving what it was given until something else is copied, so
// a link outlives imagecx, as with a clipboard manager on X11.
type wayland struct{}

// toolTimeout bounds one wl-copy (which forks and returns once it serves
// the data) or the listing of types.
const toolTimeout = 10 * time.Second

func (wayland) SetText(text string) error {
	return wlCopy("text/plain;charset=utf-8", []byte(text))
}

func (wayland) SetImage(mime string, data []byte) error {
	return wlCopy(mime, data)
}

func wlCopy(mime string, data []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	// No pipes on stdout and stderr: the background copy would hold them
	// open, and waiting here would last as long as it serves. Its
	// message goes to a file instead, to say why it failed.
	cmd := exec.CommandContext(ctx, "wl-copy", "--type", mime)
	cmd.Stdin = bytes.NewReader(data)
	msg, err := os.CreateTemp("", "imagecx-wl-copy-")
	if err == nil {
		defer os.Remove(msg.Name())
		defer msg.Close()
		cmd.Stderr = msg
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("wl-copy: %w%s", err, toolMessage(msg))
	}
	return nil
}

// toolMessage is what a tool wrote to f, as ": message", or "".
func toolMessage(f *os.File) string {
	if f == nil {
		return ""
	}
	data, _ := os.ReadFile(f.Name())
	if msg := strings.TrimSpace(string(data)); msg != "" {
		return ": " + msg
	}
	return ""
}

func (wayland) Read(ctx context.Context) (Content, error) {
	list, err := wlPaste(ctx, "--list-types")
	if errors.Is(err, errNothingCopied) {
		return Content{Kind: Empty}, nil
	}
	if err != nil {
		return Content{}, err
	}
	return readBest(ctx, strings.Fields(string(list)), func(ctx context.Context, t string) ([]byte, error) {
		return wlPaste(ctx, "--no-newline", "--type", t)
	})
}

var errNothingCopied error = i18n.Errorf("nothing is copied")

// wlPaste runs wl-paste with args and returns what it wrote, at most
// maxRead bytes.
func wlPaste(ctx context.Context, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, toolTimeout)
	defer cancel()
	var errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, "wl-paste", args...)
	cmd.Stderr = &errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("wl-paste: %w", err)
	}
	data, rerr := io.ReadAll(io.LimitReader(stdout, maxRead+1))
	io.Copy(io.Discard, stdout)
	werr := cmd.Wait()
	msg := strings.TrimSpace(errOut.String())
	switch {
	case werr != nil && (strings.Contains(msg, "Nothing is copied") || strings.Contains(msg, "No selection")):
		return nil, errNothingCopied
	case werr != nil:
		return nil, fmt.Errorf("wl-paste: %w: %s", werr, msg)
	case rerr != nil:
		return nil, fmt.Errorf("wl-paste: %w", rerr)
	case len(data) > maxRead:
		return nil, i18n.Errorf("the clipboard holds more than {{.mb}} MB", "mb", maxRead>>20)
	}
	return data, nil
}

func (wayland) Close() error { return nil }
