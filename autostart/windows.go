//go:build windows

package autostart

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// runKey is where Windows looks for the programs to start when this user
// logs in.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// valueName is imagecx's value under runKey.
const valueName = "imagecx"

// Entry is imagecx's value in the per-user Run key.
type Entry struct {
	program string // the tray app, an absolute path
}

// New is the Run value that starts program at login.
func New(_ func(string) string, program string) (*Entry, error) {
	if !filepath.IsAbs(program) {
		return nil, fmt.Errorf("autostart: %q is not an absolute path", program)
	}
	return &Entry{program: program}, nil
}

// command is the value: the program's path, quoted.
func (e *Entry) command() string { return `"` + e.program + `"` }

// Enabled reports whether the value is there and starts this program.
func (e *Entry) Enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	v, _, err := k.GetStringValue(valueName)
	return err == nil && strings.EqualFold(v, e.command())
}

// Set writes or removes the value.
func (e *Entry) Set(on bool) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE|registry.QUERY_VALUE)
	if err != nil {
		return fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	if !on {
		if err := k.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return fmt.Errorf("remove the Run value: %w", err)
		}
		return nil
	}
	if err := k.SetStringValue(valueName, e.command()); err != nil {
		return fmt.Errorf("write the Run value: %w", err)
	}
	return nil
}
