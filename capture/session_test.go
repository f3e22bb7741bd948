package capture

import (
	"runtime"
	"testing"
)

func TestWayland(t *testing.T) {
	unix := runtime.GOOS == "linux" || runtime.GOOS == "freebsd" || runtime.GOOS == "openbsd" || runtime.GOOS == "netbsd"
	for _, c := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, unix},
		{map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, unix},
		{map[string]string{"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, false},
		{map[string]string{"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, false},
		{map[string]string{}, false},
	} {
		if got := Wayland(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("Wayland(%v) = %v on %s, want %v", c.env, got, runtime.GOOS, c.want)
		}
	}
}
