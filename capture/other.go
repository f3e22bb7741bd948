//go:build !(linux || freebsd || openbsd || netbsd || windows)

package capture

// Open reports ErrUnsupported: the macOS capture backend is not written
// yet.
func Open(string) (Screen, error) { return nil, ErrUnsupported }
