//go:build !windows

package shot

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDefaultDir(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"HOME": home}
	getenv := func(k string) string { return env[k] }
	if got := DefaultDir(getenv); got != filepath.Join(home, "Pictures", "imagecx") {
		t.Errorf("default: %s", got)
	}
	os.MkdirAll(filepath.Join(home, ".config"), 0o700)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("# x\nXDG_PICTURES_DIR=\"$HOME/Bilder\"\n"), 0o600)
	if got := DefaultDir(getenv); got != filepath.Join(home, "Bilder", "imagecx") {
		t.Errorf("user-dirs: %s", got)
	}
	env["XDG_PICTURES_DIR"] = "/srv/pics"
	if got := DefaultDir(getenv); got != "/srv/pics/imagecx" {
		t.Errorf("env: %s", got)
	}
}
