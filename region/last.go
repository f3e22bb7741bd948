package region

import (
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"

	"imagecx/i18n"
	"imagecx/internal/regular"
)

// ErrNoLast means no region was selected yet.
var ErrNoLast error = i18n.Errorf("no region has been selected yet: capture a region first")

func lastFile(dir string) string { return filepath.Join(dir, "last-region") }

// SaveLast remembers r in dir (the state folder) for "repeat last region".
func SaveLast(dir string, r image.Rectangle) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(lastFile(dir), fmt.Appendf(nil, "%d %d %d %d\n", r.Min.X, r.Min.Y, r.Dx(), r.Dy()), 0o600)
}

// ErrBadLast is a remembered region that cannot be a region on a screen.
var ErrBadLast error = i18n.Errorf("the remembered region is not usable: capture a region first")

// LoadLast returns the region SaveLast remembered.
func LoadLast(dir string) (image.Rectangle, error) {
	data, err := regular.Read(lastFile(dir), 256)
	if errors.Is(err, fs.ErrNotExist) {
		return image.Rectangle{}, ErrNoLast
	}
	if err != nil {
		return image.Rectangle{}, err
	}
	return parseLast(string(data))
}

// maxCoord bounds a remembered region's corner and size: no screen is
// larger, and the sums cannot overflow.
const maxCoord = 1 << 20

func parseLast(s string) (image.Rectangle, error) {
	var x, y, w, h int
	if _, err := fmt.Sscanf(s, "%d %d %d %d", &x, &y, &w, &h); err != nil {
		return image.Rectangle{}, ErrBadLast
	}
	if x < -maxCoord || x > maxCoord || y < -maxCoord || y > maxCoord || w <= 0 || w > maxCoord || h <= 0 || h > maxCoord {
		return image.Rectangle{}, ErrBadLast
	}
	return image.Rect(x, y, x+w, y+h), nil
}
