package history

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
)

// ThumbSize is the longest side of a thumbnail, in pixels.
const ThumbSize = 256

// ThumbPath is where id's thumbnail is kept (it may not exist).
func (s *Store) ThumbPath(id int64) string {
	return filepath.Join(s.dir, "thumbs", fmt.Sprintf("%d.png", id))
}

// SaveThumb keeps img (ThumbSize at most) as id's thumbnail.
func (s *Store) SaveThumb(id int64, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return writeFile(s.ThumbPath(id), buf.Bytes())
}

// Spool keeps data that exists nowhere else (an image from the clipboard)
// until it is uploaded, and returns its path.
func (s *Store) Spool(name string, data []byte) (string, error) {
	dir := filepath.Join(s.dir, "spool")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	ext := filepath.Ext(name)
	f, err := os.CreateTemp(dir, strings.TrimSuffix(filepath.Base(name), ext)+"-*"+ext)
	if err != nil {
		return "", err
	}
	_, werr := f.Write(data)
	if serr := f.Sync(); werr == nil {
		werr = serr
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(f.Name())
		return "", werr
	}
	return f.Name(), nil
}

// Spooled reports whether path is one Spool made.
func (s *Store) Spooled(path string) bool {
	return path != "" && filepath.Dir(path) == filepath.Join(s.dir, "spool")
}

// writeFile writes data to path (0600, in a 0700 folder), fsynced.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}
