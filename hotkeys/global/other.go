//go:build !(linux || freebsd || openbsd || netbsd || windows)

package global

import "imagecx/hotkeys"

// Open reports ErrUnsupported: the Windows and macOS backends
// (golang.design/x/hotkey v0.5.0) are not wired in yet.
func Open(string) (hotkeys.Registry, error) { return nil, hotkeys.ErrUnsupported }
