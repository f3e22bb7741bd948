package settings

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// WindowProgram is the settings window's executable, installed next to
// imagecx.
const WindowProgram = "imagecx-settings"

// ErrNoWindow means the settings window is not installed.
var ErrNoWindow = errors.New("the settings window (" + WindowProgram + ") is not installed next to imagecx; `make build` builds both")

// WindowCommand is the command that opens the settings window: the program
// next to the running executable, else one on PATH.
func WindowCommand() (*exec.Cmd, error) {
	name := WindowProgram
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if exe, err := os.Executable(); err == nil {
		sibling := filepath.Join(filepath.Dir(exe), name)
		if _, err := os.Stat(sibling); err == nil {
			return exec.Command(sibling), nil
		}
	}
	if path, err := exec.LookPath(name); err == nil {
		return exec.Command(path), nil
	}
	return nil, ErrNoWindow
}
