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
	"net/url"
	"slices"
	"strings"

	"imagecx/i18n"
)

// ErrUnsupported is returned where the clipboard cannot be used.
var ErrUnsupported error = i18n.Errorf("the clipboard is not supported on this desktop")

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

// Conn is an open connection to the system clipboard.
type Conn interface {
	SetText(text string) error
	SetImage(mime string, data []byte) error
	Read(ctx context.Context) (Content, error)
	Close() error
}

// Owner is a clipboard that holds what was copied only while this
// process runs (X11): Lost says when another program took it. Where the
// clipboard keeps it on its own (wl-copy, Windows) a Conn is no Owner.
type Owner interface {
	Lost() <-chan struct{}
}

// imageTargets are the image formats taken from the clipboard, best first.
var imageTargets = []string{"image/png", "image/jpeg", "image/webp", "image/bmp", "image/x-bmp", "image/gif"}

// fileTargets are the forms of copied files (file managers offer both).
var fileTargets = []string{"text/uri-list", "x-special/gnome-copied-files"}

// textTargets are the text forms taken from the clipboard, best first.
var textTargets = []string{"text/plain;charset=utf-8", "UTF8_STRING", "text/plain", "STRING", "TEXT"}

// readBest reads the most useful of what the owner offers (types): an
// image, else copied files, else text. An owner that lists no types is
// asked for text once.
func readBest(ctx context.Context, types []string, fetch func(ctx context.Context, target string) ([]byte, error)) (Content, error) {
	if len(types) == 0 {
		types = []string{"UTF8_STRING"} // which X11 owners answer
	}
	for _, kind := range []struct {
		targets []string
		content func(target string, data []byte) (Content, bool)
	}{
		{imageTargets, func(t string, data []byte) (Content, bool) {
			if t == "image/x-bmp" {
				t = "image/bmp"
			}
			return Content{Kind: Image, Image: data, MIME: t}, len(data) > 0
		}},
		{fileTargets, func(_ string, data []byte) (Content, bool) {
			files := parseURIList(string(data))
			return Content{Kind: Files, Files: files}, len(files) > 0
		}},
		{textTargets, func(_ string, data []byte) (Content, bool) {
			return Content{Kind: Text, Text: string(data)}, len(data) > 0
		}},
	} {
		for _, t := range kind.targets {
			if !slices.Contains(types, t) {
				continue
			}
			data, err := fetch(ctx, t)
			if err != nil {
				return Content{}, err
			}
			if c, ok := kind.content(t, data); ok {
				return c, nil
			}
		}
	}
	return Content{Kind: Empty}, nil
}

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
