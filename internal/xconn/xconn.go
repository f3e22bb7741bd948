//go:build linux || freebsd || openbsd || netbsd

// Package xconn opens X connections the way every X11 backend of imagecx
// wants: a clear error when there is no display at all.
package xconn

import (
	"errors"
	"fmt"
	"os"

	"github.com/jezek/xgb"
)

// ErrNoDisplay means DISPLAY is not set and no display was named.
var ErrNoDisplay = errors.New("no X display (DISPLAY is not set)")

// Dial connects to display ("" means $DISPLAY). With no display at all the
// error wraps both unsupported (the caller's own ErrUnsupported, so its
// callers can branch on it) and ErrNoDisplay.
func Dial(display string, unsupported error) (*xgb.Conn, error) {
	if display == "" && os.Getenv("DISPLAY") == "" {
		return nil, fmt.Errorf("%w: %w", unsupported, ErrNoDisplay)
	}
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		return nil, fmt.Errorf("connect to the X display: %w", err)
	}
	return conn, nil
}
