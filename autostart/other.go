//go:build !(linux || freebsd || openbsd || netbsd || windows)

package autostart

// Entry would be the Run key (Windows) or a LaunchAgent (macOS).
type Entry struct{}

// New reports ErrUnsupported here.
func New(func(string) string, string) (*Entry, error) { return nil, ErrUnsupported }

// Enabled is false: nothing is written here yet.
func (*Entry) Enabled() bool { return false }

// Set reports ErrUnsupported.
func (*Entry) Set(bool) error { return ErrUnsupported }
