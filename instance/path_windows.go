package instance

import (
	"os"
	"path/filepath"
)

// Path is the socket in the user's own local application data folder
// (%LOCALAPPDATA%\imagecx), else in the user's temporary folder. Windows
// has no user ids (os.Getuid is -1), and XDG_RUNTIME_DIR, which Wine
// passes through, is not a Windows path.
func Path(getenv func(string) string) string {
	if d := getenv("LOCALAPPDATA"); d != "" {
		return filepath.Join(d, "imagecx", "imagecx.sock")
	}
	return filepath.Join(os.TempDir(), "imagecx.sock")
}
