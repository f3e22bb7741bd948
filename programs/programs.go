// Package programs finds imagecx's executables: the tray app and command
// line (imagecx) and the windows that run as programs of their own
// (imagecx-settings, imagecx-history, imagecx-editor), so a window started
// at login or from the tray menu is the right one wherever imagecx is
// installed.
package programs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// The programs. (Tray, the program start at login starts, is in
// names_windows.go and names_other.go.)
const (
	CLI      = "imagecx"          // the command line, and the tray app when run with no arguments
	Settings = "imagecx-settings" // the settings window
	History  = "imagecx-history"  // the history window
	Editor   = "imagecx-editor"   // the annotation editor
)

// NotFoundError says a program is neither beside the running one nor on
// PATH.
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s is not installed next to this program or on PATH (`make build` builds every program)", e.Name)
}

// Path is the program called name: the one installed with the running
// executable (following a symbolic link to it), else the one on PATH.
func Path(name string) (string, error) {
	if exe, err := os.Executable(); err == nil {
		if p, ok := installedWith(exe, name); ok {
			return p, nil
		}
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			if p, ok := installedWith(real, name); ok {
				return p, nil
			}
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return filepath.Abs(p)
	}
	return "", &NotFoundError{Name: name}
}

// installedWith is name where it is installed with exe: in exe's folder
// (a build, the Windows install), or across the packages' layout, where
// imagecx is in PREFIX/bin and the windows in PREFIX/libexec/imagecx.
func installedWith(exe, name string) (string, bool) {
	dir := filepath.Dir(exe)
	for _, d := range []string{dir, filepath.Join(dir, "..", "libexec", "imagecx"), filepath.Join(dir, "..", "..", "bin")} {
		p := filepath.Join(d, name+exeSuffix)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return filepath.Clean(p), true
		}
	}
	return "", false
}

// Command is an *exec.Cmd that runs the program called name.
func Command(name string, args ...string) (*exec.Cmd, error) {
	p, err := Path(name)
	if err != nil {
		return nil, err
	}
	return exec.Command(p, args...), nil
}

// Running is a started program that the starter does not have to wait
// for: Wait gives up when its context ends, and a program still running
// then is left to the system when this process exits.
type Running struct {
	pid  int
	proc *os.Process
}

// Start starts the program called name with args, its standard output
// discarded and its standard error this process's.
func Start(name string, args ...string) (*Running, error) {
	p, err := Path(name)
	if err != nil {
		return nil, err
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return nil, err
	}
	defer devnull.Close()
	proc, err := os.StartProcess(p, append([]string{p}, args...), &os.ProcAttr{Files: []*os.File{devnull, devnull, os.Stderr}})
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	return &Running{pid: proc.Pid, proc: proc}, nil
}

// Pid is the program's process id.
func (r *Running) Pid() int { return r.pid }

// Wait returns when the program exits (its exit error, if it failed) or
// when ctx ends (ctx's error). Call it once.
func (r *Running) Wait(ctx context.Context) error {
	defer r.proc.Release() // the process handle (a pidfd on Linux); the program is not waited for through it
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		done, err := r.exited()
		if done {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
