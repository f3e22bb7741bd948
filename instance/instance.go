// Package instance keeps one tray app per user and lets other imagecx
// processes hand it commands: `imagecx capture region`, bound to a key in
// the desktop's settings (the way on Wayland), asks the running tray app,
// which owns the clipboard and shows the notifications, to do the work.
//
// The channel is a Unix socket in $XDG_RUNTIME_DIR (or a folder of the
// user's own in the temporary folder), and each end checks that the other
// is the same user; on Windows a named pipe open to the user only
// (go-winio). One JSON line each way.
package instance

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"imagecx/i18n"
)

// Commands a running program answers besides the actions' verbs
// (action.Action.Verb, which the tray app performs).
const (
	// Status answers once the tray app's event loop runs: how tests and
	// scripts know it is ready.
	Status = "status"
	// Reload applies the saved settings (and the stored key) at once.
	Reload = "reload"
	// Saved is Reload from the settings window's Save: the tray app also
	// says that the settings were saved (the window closes on Save).
	Saved = "settings-saved"
	// HotkeyStatus answers the hotkeys the tray app could not register,
	// as JSON: {"region": "Ctrl+Shift+2 is already used by another program."}.
	HotkeyStatus = "hotkeys"
	// Focus brings a window forward (the settings window's own socket).
	Focus = "focus"
	// PauseHotkeys lets go of the hotkeys while the settings window
	// records one (or pressing it would fire it), for at most two
	// minutes; ResumeHotkeys takes them back.
	PauseHotkeys  = "hotkeys-pause"
	ResumeHotkeys = "hotkeys-resume"
	// Retry sends every failed upload again (`imagecx retry`).
	Retry = "retry"
	// Queue uploads what the history says waits, now (the history
	// window's Upload again).
	Queue = "queue"
	// Quit ends the tray app as its menu's Quit does (`imagecx quit`; the
	// Windows installer and uninstaller, before they replace or remove
	// its files).
	Quit = "quit"
	// Upload is the verb of UploadFiles.
	Upload = "upload"
)

// UploadFiles is the command that hands files (absolute paths) and links
// to the tray app to upload as one batch (`imagecx open`: a file
// manager's Open With, the Explorer's verbs). NUL, which no path holds,
// separates them.
func UploadFiles(files []string) string { return Upload + "\x00" + strings.Join(files, "\x00") }

// UploadedFiles reads UploadFiles back; ok is false for another command.
func UploadedFiles(cmd string) (files []string, ok bool) {
	rest, ok := strings.CutPrefix(cmd, Upload+"\x00")
	if !ok {
		return nil, false
	}
	for _, f := range strings.Split(rest, "\x00") {
		if f != "" {
			files = append(files, f)
		}
	}
	return files, len(files) > 0
}

// MaxLine is the longest command taken: the paths of a few thousand
// files.
const MaxLine = 4 << 20

// Errors.
var (
	ErrRunning    error = i18n.Errorf("imagecx is already running")
	ErrNotRunning error = i18n.Errorf("imagecx is not running")
)

// UnsafeDirError is a socket folder that another user owns or can write
// to: a socket there could be theirs.
type UnsafeDirError struct {
	Dir, Why string
}

func (e *UnsafeDirError) Error() string {
	return fmt.Sprintf("%s is not a private folder of this user (%s), so imagecx does not talk through a socket there; set XDG_RUNTIME_DIR to one", e.Dir, e.Why)
}

type message struct {
	Cmd   string `json:"cmd,omitempty"`
	OK    bool   `json:"ok,omitempty"`
	Error string `json:"error,omitempty"`
	Text  string `json:"text,omitempty"`
}

// Request is one command from another process. Answer it once.
type Request struct {
	Cmd    string
	answer chan message
}

// Answer replies to the sender: text on success, err otherwise.
func (r Request) Answer(text string, err error) {
	m := message{OK: err == nil, Text: text}
	if err != nil {
		m.Error = err.Error()
	}
	select {
	case r.answer <- m:
	default:
	}
}

// Server receives commands for the running instance.
type Server struct {
	ln       net.Listener
	path     string
	requests chan Request
	done     chan struct{}
	wg       sync.WaitGroup
}

// Listen claims the socket. It fails with ErrRunning when another
// instance answers on it, and replaces a socket left by one that died.
func Listen(path string) (*Server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	c, err := dial(ctx, path)
	cancel()
	if err == nil {
		c.Close()
		return nil, ErrRunning
	}
	ln, err := listen(path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	return serve(ln, path), nil
}

// serve answers on ln, whose socket is at path.
func serve(ln net.Listener, path string) *Server {
	s := &Server{ln: ln, path: path, requests: make(chan Request), done: make(chan struct{})}
	s.wg.Add(1)
	go s.accept()
	return s
}

// Requests delivers commands; each must be answered.
func (s *Server) Requests() <-chan Request { return s.requests }

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.wg.Add(1)
		go s.serve(c)
	}
}

func (s *Server) serve(c net.Conn) {
	defer s.wg.Done()
	defer c.Close()
	if !samePeer(c) {
		return // another user's process: not a command of ours
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	// One line, of at most MaxLine bytes: a process that sends more is
	// not given the memory to hold it.
	line, err := bufio.NewReader(io.LimitReader(c, MaxLine)).ReadBytes('\n')
	if err != nil {
		return
	}
	var m message
	if json.Unmarshal(line, &m) != nil || m.Cmd == "" {
		return
	}
	req := Request{Cmd: m.Cmd, answer: make(chan message, 1)}
	select {
	case s.requests <- req:
	case <-s.done:
		return
	}
	select {
	case reply := <-req.answer:
		json.NewEncoder(c).Encode(reply)
	case <-s.done:
	}
}

// Close stops listening, removes the socket and closes Requests.
func (s *Server) Close() {
	select {
	case <-s.done:
		return
	default:
	}
	close(s.done)
	s.ln.Close()
	s.wg.Wait()
	close(s.requests)
	unlink(s.path)
}

// Send hands cmd to the running instance and returns its answer;
// ErrNotRunning when there is none.
func Send(ctx context.Context, path, cmd string) (string, error) {
	c, err := dial(ctx, path)
	if err != nil {
		if unsafe := (*UnsafeDirError)(nil); errors.As(err, &unsafe) {
			return "", err
		}
		return "", ErrNotRunning
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	if err := json.NewEncoder(c).Encode(message{Cmd: cmd}); err != nil {
		return "", fmt.Errorf("talk to the running imagecx: %w", err)
	}
	line, err := bufio.NewReader(c).ReadBytes('\n')
	if err != nil {
		return "", fmt.Errorf("the running imagecx did not answer: %w", err)
	}
	var m message
	if err := json.Unmarshal(line, &m); err != nil {
		return "", fmt.Errorf("the running imagecx answered %q: %w", line, err)
	}
	if !m.OK {
		return "", errors.New(m.Error)
	}
	return m.Text, nil
}

// Claim listens on path for a program of which one runs at a time (a
// window): when one already runs, it is asked to come forward (Focus) and
// Claim returns a nil Server and no error.
func Claim(ctx context.Context, path string) (*Server, error) {
	srv, err := Listen(path)
	if errors.Is(err, ErrRunning) {
		if _, err := Send(ctx, path, Focus); err != nil {
			return nil, err
		}
		return nil, nil
	}
	return srv, err
}

// Focused answers every request (a second start asking this one to come
// forward) and runs focus for it, until the server is closed; the channel
// is closed then.
func (s *Server) Focused(focus func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for req := range s.Requests() {
			req.Answer("", nil)
			focus()
		}
	}()
	return done
}
