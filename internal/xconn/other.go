//go:build !(linux || freebsd || openbsd || netbsd)

package xconn

import (
	"errors"
	"log"
)

// SetLogger does nothing where there is no X11.
func SetLogger(*log.Logger) {}

// Watcher is not there where there is no X11.
type Watcher struct{}

// Watch fails where there is no X11.
func Watch(string) (*Watcher, error) { return nil, errors.New("no X11 here") }

// Gone is never closed.
func (*Watcher) Gone() <-chan struct{} { return nil }

// Close does nothing.
func (*Watcher) Close() error { return nil }
