package region

import (
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNoLast means no region was selected yet.
var ErrNoLast = errors.New("no region has been selected yet: capture a region first")

func lastFile(dir string) string { return filepath.Join(dir, "last-region") }

// SaveLast remembers r in dir (the state folder) for "repeat last region".
func SaveLast(dir string, r image.Rectangle) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(lastFile(dir), fmt.Appendf(nil, "%d %d %d %d\n", r.Min.X, r.Min.Y, r.Dx(), r.Dy()), 0o600)
}

// LoadLast returns the region SaveLast remembered.
func LoadLast(dir string) (image.Rectangle, error) {
	data, err := os.ReadFile(lastFile(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return image.Rectangle{}, ErrNoLast
	}
	if err != nil {
		return image.Rectangle{}, err
	}
	var x, y, w, h int
	if _, err := fmt.Sscanf(string(data), "%d %d %d %d", &x, &y, &w, &h); err != nil || w <= 0 || h <= 0 {
		return image.Rectangle{}, ErrNoLast
	}
	return image.Rect(x, y, x+w, y+h), nil
}
