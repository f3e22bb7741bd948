//go:build !windows

package settings

import "os"

func rename(from, to string) error { return os.Rename(from, to) }

// syncDir makes a rename durable; errors are ignored because some file
// systems cannot fsync a directory and the data is already safe.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
