package settings

import "os"

// rename replaces the target; since Go 1.5 os.Rename uses MoveFileEx with
// MOVEFILE_REPLACE_EXISTING on Windows.
func rename(from, to string) error { return os.Rename(from, to) }

func syncDir(string) {}
