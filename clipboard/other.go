//go:build !(linux || freebsd || openbsd || netbsd)

package clipboard

// Open reports ErrUnsupported: the Windows and macOS backends
// (golang.design/x/clipboard) are not wired in yet.
func Open(string) (Clipboard, error) { return nil, ErrUnsupported }

// OpenSession is Open here.
func OpenSession(func(string) string) (Clipboard, error) { return Open("") }
