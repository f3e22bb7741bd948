//go:build unix

package editing

import (
	"errors"
	"os"
	"syscall"
)

// hold locks the file at path (made) for as long as the returned file is
// open.
func hold(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// unlocked reports whether no process holds path locked; ok is false
// when that cannot be told.
func unlocked(path string) (free, ok bool) {
	f, err := hold(path)
	switch {
	case err == nil:
		f.Close()
		return true, true
	case errors.Is(err, syscall.EWOULDBLOCK):
		return false, true
	case errors.Is(err, os.ErrNotExist):
		return true, true
	}
	// A folder without its lock file (made before there was one) is old.
	if _, serr := os.Stat(path); errors.Is(serr, os.ErrNotExist) {
		return true, true
	}
	return false, false
}
