//go:build !(linux || freebsd || openbsd || netbsd)

package cli

import (
	"context"

	"imagecx/i18n"
)

// startKeeper is not needed where the clipboard keeps what was copied on
// its own (no clipboard here is an Owner).
func startKeeper(context.Context, string, []byte) error {
	return i18n.Errorf("no clipboard keeper on this system")
}
