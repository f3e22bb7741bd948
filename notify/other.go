//go:build !(linux || freebsd || openbsd || netbsd || windows)

package notify

// Open reports ErrUnsupported: Windows toasts and macOS notifications are
// not wired in yet.
func Open(string, string) (Notifier, error) { return nil, ErrUnsupported }
