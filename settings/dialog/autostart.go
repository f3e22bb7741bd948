package dialog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// xdgAutostart is a desktop entry in ~/.config/autostart (Linux and other
// freedesktop systems).
type xdgAutostart struct{ file, exe string }

// NewAutostart returns the platform's start-at-login switch, nil where it
// is not written yet (Windows Run key, macOS LaunchAgent).
func NewAutostart(getenv func(string) string) Autostart {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return nil
	}
	cfg := getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		home := getenv("HOME")
		if home == "" {
			return nil
		}
		cfg = filepath.Join(home, ".config")
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return &xdgAutostart{file: filepath.Join(cfg, "autostart", "imagecx.desktop"), exe: exe}
}

func (a *xdgAutostart) Enabled() bool {
	_, err := os.Stat(a.file)
	return err == nil
}

func (a *xdgAutostart) Set(on bool) error {
	if !on {
		if err := os.Remove(a.file); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(a.file), 0o755); err != nil {
		return err
	}
	entry := fmt.Sprintf("[Desktop Entry]\nType=Application\nName=imagecx\nComment=Screenshots to image.cx\nExec=%q\nIcon=imagecx\nTerminal=false\nX-GNOME-Autostart-enabled=true\n", a.exe)
	return os.WriteFile(a.file, []byte(entry), 0o644)
}
