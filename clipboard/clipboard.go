// Package clipboard reads and writes the system clipboard: text (links),
// images and copied files.
//
// X11: our own ICCCM code on xgb. The owner of the CLIPBOARD selection must
// stay alive and answer requests, so the long-lived daemon writes the links.
// Large data goes both ways with INCR (incremental transfer): a screenshot
// PNG is megabytes and xclip sends anything over ~256 KB that way.
// (golang.design/x/clipboard v0.9.0 is not used on X11: it has no INCR.)
// When the owning process exits, what it owned is gone unless a clipboard
// manager took a copy.
//
// Wayland without Xwayland: the wl-clipboard tools (OpenSession); with
// Xwayland, X11's clipboard, which the compositor keeps in step.
//
// Other platforms return ErrUnsupported for now.
package clipboard

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// ErrUnsupported is returned where the clipboard cannot be used.
var ErrUnsupported = errors.New("the clipboard is not supported on this desktop")

// Kind says what the clipboard holds.
type Kind int

const (
	Empty Kind = iota
	Text
	Image
	Files
)

// Content is what Read found, the most useful form first: an image, else
// copied files, else text.
type Content struct {
	Kind  Kind
	Text  string
	Image []byte // encoded, as MIME says
	MIME  string // for Image: "image/png", "image/jpeg", "image/bmp", "image/webp", "image/gif"
	Files []string
}

// Clipboard is the system clipboard.
type Clipboard interface {
	SetText(text string) error
	SetImage(mime string, data []byte) error
	Read(ctx context.Context) (Content, error)
	Close() error
}

// imageTargets are the image formats taken from the clipboard, best first.
var imageTargets = []string{"image/png", "image/jpeg", "image/webp", "image/bmp", "image/x-bmp", "image/gif"}

// parseURIList reads text/uri-list or x-special/gnome-copied-files and
// returns the local paths (file:// URIs) in order.
func parseURIList(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || line == "copy" || line == "cut" || strings.HasPrefix(line, "#") {
			continue
		}
		u, err := url.Parse(line)
		if err != nil || u.Scheme != "file" || (u.Host != "" && u.Host != "localhost") {
			continue
		}
		if u.Path != "" {
			out = append(out, u.Path)
		}
	}
	return out
}
