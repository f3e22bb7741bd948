//go:build !(linux || freebsd || openbsd || netbsd)

package xconn

import "log"

// SetLogger does nothing where there is no X11.
func SetLogger(*log.Logger) {}
