//go:build !(linux || freebsd || openbsd || netbsd)

package capture

// Open reports ErrUnsupported: the Windows and macOS capture backends are
// not wired in yet.
func Open(string) (Screen, error) { return nil, ErrUnsupported }
