//go:build !(linux || freebsd || openbsd || netbsd)

package hotkeys

// Open reports ErrUnsupported: the Windows and macOS backends
// (golang.design/x/hotkey v0.5.0) are not wired in yet.
func Open(string) (Registry, error) { return nil, ErrUnsupported }
