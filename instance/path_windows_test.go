package instance

import (
	"strings"
	"testing"
)

// The socket's name must not be built from os.Getuid (-1 on Windows) nor
// from XDG_RUNTIME_DIR (Wine passes it through; it is not a Windows path).
func TestPathOnWindows(t *testing.T) {
	env := map[string]string{"LOCALAPPDATA": `C:\Users\ana\AppData\Local`, "XDG_RUNTIME_DIR": "/run/user/1000"}
	got := Path(func(k string) string { return env[k] })
	if got != `C:\Users\ana\AppData\Local\imagecx\imagecx.sock` {
		t.Errorf("Path = %q", got)
	}
	delete(env, "LOCALAPPDATA")
	if got := Path(func(k string) string { return env[k] }); strings.Contains(got, "-1") || strings.Contains(got, "/run/user") {
		t.Errorf("without LOCALAPPDATA: %q", got)
	}
}
