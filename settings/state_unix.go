//go:build !windows

package settings

import (
	"fmt"
	"os"
	"path/filepath"
)

// StateDir is where imagecx keeps its log and small state:
// $XDG_STATE_HOME/imagecx (~/.local/state/imagecx), or the OS cache folder
// where there is no HOME (macOS: ~/Library/Caches/imagecx).
func StateDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "imagecx"), nil
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "state", "imagecx"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the state folder: %w", err)
	}
	return filepath.Join(d, "imagecx"), nil
}

// DataDir is where imagecx keeps its history: $XDG_DATA_HOME/imagecx
// (~/.local/share/imagecx), or the OS config folder where there is no HOME
// (macOS: ~/Library/Application Support/imagecx).
func DataDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "imagecx"), nil
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "share", "imagecx"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the data folder: %w", err)
	}
	return filepath.Join(d, "imagecx"), nil
}
