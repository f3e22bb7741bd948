//go:build linux || freebsd || openbsd || netbsd

package xconn

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"

	"github.com/jezek/xgb"
)

// ErrGone means the X server closed the connection: the session ended or
// the server stopped.
var ErrGone = &GoneError{}

// GoneError is ErrGone's type: errors.Is(err, ErrGone) on what Gone
// wraps.
type GoneError struct{ Err error }

func (e *GoneError) Error() string {
	if e.Err == nil {
		return "the X display went away"
	}
	return "the X display went away: " + e.Err.Error()
}

// Explain is the error in words.
func (e *GoneError) Explain() string {
	return "The X display went away (the session ended, or the X server stopped)"
}

func (e *GoneError) Is(target error) bool { _, ok := target.(*GoneError); return ok }
func (e *GoneError) Unwrap() error        { return e.Err }

// Gone wraps err in a *GoneError when it is what a closed X connection
// gives (end of file, a closed socket); other errors are returned as they
// are.
func Gone(err error) error {
	if err == nil || errors.Is(err, ErrGone) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "use of closed network connection") {
		return &GoneError{Err: err}
	}
	return err
}

// Watcher tells when the X display goes away, on a connection of its own
// that only waits.
type Watcher struct {
	conn *xgb.Conn
	gone chan struct{}
	once sync.Once
}

// Watch starts watching display ("" means $DISPLAY).
func Watch(display string) (*Watcher, error) {
	conn, err := Dial(display, errors.New("no display to watch"))
	if err != nil {
		return nil, err
	}
	w := &Watcher{conn: conn, gone: make(chan struct{})}
	go func() { // ends when the connection does
		defer close(w.gone)
		for {
			if ev, err := conn.WaitForEvent(); ev == nil && err == nil {
				return
			}
		}
	}()
	return w, nil
}

// Gone is closed when the display went away (or Close was called).
func (w *Watcher) Gone() <-chan struct{} { return w.gone }

// Close stops watching.
func (w *Watcher) Close() error {
	w.once.Do(w.conn.Close)
	<-w.gone
	return nil
}
