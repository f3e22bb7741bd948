package shot

import (
	"path/filepath"
	"strings"
	"testing"

	"imagecx/settings"
)

// The captures go to the Pictures known folder and the log to
// %LOCALAPPDATA%, whatever XDG variables Wine passes through.
func TestFoldersOnWindows(t *testing.T) {
	getenv := func(k string) string {
		return map[string]string{"XDG_STATE_HOME": "/root/.local/state", "XDG_PICTURES_DIR": "/root/Pictures", "HOME": "/root"}[k]
	}
	if d := DefaultDir(getenv); !filepath.IsAbs(d) || !strings.HasSuffix(d, `\Pictures\imagecx`) {
		t.Errorf("captures folder %q", d)
	}
	d, err := settings.StateDir(getenv)
	if err != nil || !filepath.IsAbs(d) || !strings.HasSuffix(d, `\AppData\Local\imagecx`) {
		t.Errorf("state folder %q %v", d, err)
	}
}
