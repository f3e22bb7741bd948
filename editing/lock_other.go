//go:build !unix

package editing

import "os"

// hold: no lock here (the folders are the Temp folder's, cleaned by
// Windows).
func hold(path string) (*os.File, error) { return os.Create(path) }

// unlocked cannot be told here.
func unlocked(string) (free, ok bool) { return false, false }
