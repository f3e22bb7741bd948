package daemon

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"imagecx/settings"
)

const (
	logMax  = 1 << 20 // rotate past this size
	logKeep = 3       // imagecx.log.1 … .3
)

// openLog returns a logger writing to imagecx.log in the state folder,
// rotated by size. Nothing secret is ever passed to it.
func openLog(getenv func(string) string) (*slog.Logger, io.Closer, error) {
	dir, err := settings.StateDir(getenv)
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	w := &rotating{path: filepath.Join(dir, "imagecx.log")}
	if err := w.open(); err != nil {
		return nil, nil, err
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo})), w, nil
}

// rotating is a log file that moves itself aside past logMax bytes.
type rotating struct {
	path string
	mu   sync.Mutex
	f    *os.File
	size int64
}

func (r *rotating) open() error {
	if st, err := os.Stat(r.path); err == nil && st.Size() >= logMax {
		r.rotate()
	}
	f, err := os.OpenFile(r.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	st, _ := f.Stat()
	r.f, r.size = f, st.Size()
	return nil
}

func (r *rotating) rotate() {
	for i := logKeep - 1; i >= 1; i-- {
		os.Rename(fmt.Sprintf("%s.%d", r.path, i), fmt.Sprintf("%s.%d", r.path, i+1))
	}
	os.Rename(r.path, r.path+".1")
}

func (r *rotating) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size+int64(len(p)) > logMax && r.size > 0 {
		r.f.Close()
		r.rotate()
		if err := r.open(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *rotating) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}
