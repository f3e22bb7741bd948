//go:build !windows

package instance

import (
	"os"
	"path/filepath"
	"strconv"
)

// Path is the socket: $XDG_RUNTIME_DIR/imagecx.sock, or a name with the
// user's id in the temporary folder where there is no runtime dir.
func Path(getenv func(string) string) string {
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "imagecx.sock")
	}
	return filepath.Join(os.TempDir(), "imagecx-"+strconv.Itoa(os.Getuid())+".sock")
}
