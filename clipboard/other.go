//go:build !(linux || freebsd || openbsd || netbsd || windows)

package clipboard

// Open reports ErrUnsupported: the Windows and macOS backends
// (golang.design/x/clipboard) are not wired in yet.
func Open(string) (Conn, error) { return nil, ErrUnsupported }

// OpenSession is Open here.
func OpenSession(func(string) string) (Conn, error) { return Open("") }
