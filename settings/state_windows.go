package settings

import (
	"fmt"
	"os"
	"path/filepath"
)

// StateDir is where imagecx keeps its log and small state:
// %LOCALAPPDATA%\imagecx. XDG variables, which Wine passes through, are
// not Windows paths and are not looked at.
func StateDir(func(string) string) (string, error) {
	d, err := os.UserCacheDir() // %LocalAppData%
	if err != nil {
		return "", fmt.Errorf("find the state folder: %w", err)
	}
	return filepath.Join(d, "imagecx"), nil
}

// DataDir is where imagecx keeps its history: %LOCALAPPDATA%\imagecx,
// beside its state.
func DataDir(getenv func(string) string) (string, error) { return StateDir(getenv) }
