//go:build !(linux || freebsd || openbsd || netbsd || windows)

package pin

import (
	"context"
	"image"
)

// Supported says whether pins can be shown here.
const Supported = false

// Show is not available here yet.
func Show(context.Context, *image.RGBA, Options) error { return ErrUnsupported }
