//go:build !(linux || freebsd || openbsd || netbsd || windows)

package quick

import (
	"context"
	"errors"
)

// Supported says whether the thumbnail can be shown here.
const Supported = false

// ErrUnsupported says the thumbnail cannot be shown on this desktop.
var ErrUnsupported = errors.New("the quick-access thumbnail is not available on this desktop")

// Show is not available here yet.
func Show(context.Context, Thumb) (Choice, error) { return None, ErrUnsupported }
