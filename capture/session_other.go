//go:build !(linux || freebsd || openbsd || netbsd)

package capture

// Wayland is false: Wayland sessions exist only on Linux and the BSDs.
// (Wine passes XDG_SESSION_TYPE=wayland through to Windows programs; the
// screen is still read with GDI there.)
func Wayland(func(string) string) bool { return false }
