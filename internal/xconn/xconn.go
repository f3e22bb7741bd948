//go:build linux || freebsd || openbsd || netbsd

// Package xconn is what every X11 backend of imagecx does with its X
// connection: open it with a clear error when there is no display at all
// (Dial), read areas of a window or pixmap through MIT-SHM or in pipelined
// strips (Reader), and look keys up in the keyboard map (Keymap).
package xconn

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"

	"github.com/jezek/xgb"
)

// ErrNoDisplay means DISPLAY is not set and no display was named.
var ErrNoDisplay = errors.New("no X display (DISPLAY is not set)")

// Dial connects to display ("" means $DISPLAY). With no display at all the
// error wraps both unsupported (the caller's own ErrUnsupported, so its
// callers can branch on it) and ErrNoDisplay.
func Dial(display string, unsupported error) (*xgb.Conn, error) {
	quiet()
	if display == "" && os.Getenv("DISPLAY") == "" {
		return nil, fmt.Errorf("%w: %w", unsupported, ErrNoDisplay)
	}
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		return nil, fmt.Errorf("connect to the X display: %w", err)
	}
	return conn, nil
}

var (
	logMu  sync.Mutex
	logSet bool // SetLogger or quiet chose where xgb.Logger goes
)

// SetLogger sends the X library's own messages (xgb.Logger, a global of
// xgb) to l. Call it before the first Dial; without it they are discarded.
func SetLogger(l *log.Logger) {
	logMu.Lock()
	defer logMu.Unlock()
	xgb.Logger, logSet = l, true
}

// quiet discards xgb's messages unless SetLogger chose a logger: xgb
// writes to stderr when there is no ~/.Xauthority, which is common and
// harmless (Xvfb, some display managers), and failures come back as
// errors anyway.
func quiet() {
	logMu.Lock()
	defer logMu.Unlock()
	if !logSet {
		xgb.Logger, logSet = log.New(io.Discard, "", 0), true
	}
}

// Local reports whether display ("" means $DISPLAY) is reached through a
// local socket (":0", "unix:0", a socket path), so the server runs on
// this machine and can share memory with it. "localhost:10" (ssh -X) and
// other host names are not local.
func Local(display string) bool {
	if display == "" {
		display = os.Getenv("DISPLAY")
	}
	i := strings.LastIndex(display, ":")
	if i < 0 {
		return false
	}
	host := display[:i]
	return host == "" || host == "unix" || strings.HasPrefix(host, "/")
}
