//go:build !windows

package shot

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// DefaultDir is the captures folder: "imagecx" in the user's Pictures
// folder ($XDG_PICTURES_DIR, or its entry in ~/.config/user-dirs.dirs, on
// Linux; ~/Pictures elsewhere and as the fallback).
func DefaultDir(getenv func(string) string) string {
	home, _ := os.UserHomeDir()
	if h := getenv("HOME"); h != "" {
		home = h
	}
	pics := getenv("XDG_PICTURES_DIR")
	if pics == "" {
		cfg := getenv("XDG_CONFIG_HOME")
		if cfg == "" {
			cfg = filepath.Join(home, ".config")
		}
		pics = userDir(filepath.Join(cfg, "user-dirs.dirs"), "XDG_PICTURES_DIR", home)
	}
	if pics == "" {
		pics = filepath.Join(home, "Pictures")
	}
	return filepath.Join(pics, "imagecx")
}

// userDir reads one entry of xdg-user-dirs' file, e.g.
// XDG_PICTURES_DIR="$HOME/Bilder".
func userDir(file, key, home string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || k != key {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.Replace(v, "$HOME", home, 1)
		if !filepath.IsAbs(v) || filepath.Clean(v) == filepath.Clean(home) {
			return "" // xdg-user-dirs sets a disabled folder to $HOME
		}
		return v
	}
	return ""
}
