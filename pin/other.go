//go:build !(linux || freebsd || openbsd || netbsd || windows)

package pin

import (
	"context"
	"image"
)

// Supported says whether pins can be shown here.
const Supported = false

// Options are where a pin opens and what Ctrl+C does.
type Options struct {
	At    *image.Point
	Copy  func(img *image.RGBA) error
	Shown func()
}

// Show is not available here yet.
func Show(context.Context, *image.RGBA, Options) error { return ErrUnsupported }
