//go:build linux || freebsd || openbsd || netbsd

package capture

// Wayland reports a Wayland session, where only the compositor can read
// the screen (through the Screenshot portal).
func Wayland(getenv func(string) string) bool {
	return getenv("XDG_SESSION_TYPE") == "wayland" || (getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") != "")
}
