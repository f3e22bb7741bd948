// Package regular opens files that are what they seem: regular files.
// A path from the clipboard, the command line or a settings folder may
// name a FIFO, a device or a socket; opening one the usual way can block
// for ever (a FIFO waits for a writer) or read without end (/dev/zero).
// Open never blocks on such a path, refuses it with an error that says
// what it is, and Read bounds what it reads.
package regular

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// NotRegularError is a path that names something other than a regular
// file or a folder.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a file", e.Path, kind(e.Mode))
}

// Explain is Error: it already says it in words.
func (e *NotRegularError) Explain() string { return e.Error() }

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// Open opens path for reading if it is a regular file, without blocking
// on anything else. A folder gives a *fs.PathError with syscall.EISDIR.
func Open(path string) (*os.File, fs.FileInfo, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	switch {
	case st.IsDir():
		f.Close()
		return nil, nil, &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	case !st.Mode().IsRegular():
		f.Close()
		return nil, nil, &NotRegularError{Path: path, Mode: st.Mode()}
	}
	return f, st, nil
}

// ErrTooLarge is a file over Read's limit.
var ErrTooLarge = errors.New("the file is too large")

// Read reads the regular file at path, at most max bytes: a larger file
// gives an error wrapping ErrTooLarge and reads nothing.
func Read(path string, max int64) ([]byte, error) {
	f, st, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > max {
		return nil, fmt.Errorf("%s: %w (%d bytes, at most %d are read)", path, ErrTooLarge, st.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max { // it grew while being read
		return nil, fmt.Errorf("%s: %w (more than %d bytes)", path, ErrTooLarge, max)
	}
	return data, nil
}
