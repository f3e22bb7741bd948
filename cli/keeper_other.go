//go:build !(linux || freebsd || openbsd || netbsd)

package cli

import (
	"context"
	"errors"
)

// startKeeper is not needed where the clipboard keeps what was copied on
// its own (no clipboard here is an Owner).
func startKeeper(context.Context, string, []byte) error {
	return errors.New("no clipboard keeper on this system")
}
