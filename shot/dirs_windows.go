package shot

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// DefaultDir is the captures folder: "imagecx" in the user's Pictures
// folder (the known folder, wherever the user moved it), else in the home
// folder's Pictures.
func DefaultDir(func(string) string) string {
	if pics, err := windows.KnownFolderPath(windows.FOLDERID_Pictures, 0); err == nil && pics != "" {
		return filepath.Join(pics, "imagecx")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "Pictures", "imagecx")
}
