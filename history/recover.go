package history

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	_ "image/gif" // the sizes of what the captures folder holds
	_ "image/jpeg"
	_ "image/png"
	"imagecx/filetype"
	"os"
	"path/filepath"
	"sort"

	"imagecx/internal/regular"
)

// Recover fills the history from a captures folder after it was rebuilt:
// each image not in it yet becomes an entry in the Recovered state (not
// queued: whether it was uploaded is not known). It returns how many were
// added.
func (s *Store) Recover(ctx context.Context, capturesDir string) (int, error) {
	files, err := os.ReadDir(capturesDir)
	if err != nil {
		if os.IsNotExist(err) {
			return 0, nil
		}
		return 0, err
	}
	known := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, "SELECT file FROM captures WHERE file != ''")
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var f string
		rows.Scan(&f)
		known[f] = true
	}
	rows.Close()
	// Oldest first, so ids follow the captures' order.
	sort.Slice(files, func(i, j int) bool { return files[i].Name() < files[j].Name() })
	var found []Entry
	for _, f := range files {
		path := filepath.Join(capturesDir, f.Name())
		if known[path] || !f.Type().IsRegular() {
			continue
		}
		data, err := regular.Read(path, 256<<20)
		if err != nil {
			continue
		}
		mime := filetype.Sniff(data)
		if mime == "" {
			continue
		}
		info, err := f.Info()
		if err != nil {
			continue
		}
		sum := sha256.Sum256(data)
		e := Entry{Created: info.ModTime(), Source: FromFolder, Name: f.Name(), File: path, SHA256: hex.EncodeToString(sum[:]),
			Bytes: int64(len(data)), MIME: mime, State: Recovered}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
			e.Width, e.Height = cfg.Width, cfg.Height
		}
		found = append(found, e)
	}
	if err := s.Import(ctx, found); err != nil {
		return 0, err
	}
	return len(found), nil
}
