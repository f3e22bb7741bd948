//go:build !windows

package ocr

// findWindows finds nothing but on Windows.
func findWindows() (Engine, error) { return nil, ErrNoEngine }
