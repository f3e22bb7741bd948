//go:build !(linux || freebsd || openbsd || netbsd || windows)

package region

import (
	"context"
	"image"
	"time"
)

// Options tune Select.
type Options struct {
	Display string
	Timeout time.Duration
	Shown   func()
}

// Select reports ErrUnsupported: the Windows and macOS overlays are not
// written yet.
func Select(context.Context, Options) (image.Rectangle, *image.RGBA, error) {
	return image.Rectangle{}, nil, ErrUnsupported
}
