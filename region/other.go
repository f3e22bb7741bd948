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
	Frozen  *image.RGBA // the X11 overlay's; unused here
	// Hint is the line of hints' catalog key; "" is Hint.
	Hint string
}

// Select reports ErrUnsupported: the Windows and macOS overlays are not
// written yet.
func Select(context.Context, Options) (Chosen, error) {
	return Chosen{}, ErrUnsupported
}
