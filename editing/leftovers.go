package editing

import (
	"os"
	"path/filepath"
	"strings"
)

// lockName is the file in an editing folder that its editing process
// holds locked while the editor runs.
const lockName = "lock"

// RemoveLeftovers removes the editing folders in dir (the runtime
// folder) that no running process holds: what a tray app or `imagecx
// edit` killed while the editor was open left, the capture in it
// unredacted. Where a folder's lock cannot be tested, it is left.
func RemoveLeftovers(dir string) (removed int) {
	if dir == "" {
		dir = os.TempDir()
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "imagecx-edit-") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if free, ok := unlocked(filepath.Join(path, lockName)); ok && free {
			if os.RemoveAll(path) == nil {
				removed++
			}
		}
	}
	return removed
}
