//go:build linux || freebsd || openbsd || netbsd

package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Entry is the autostart desktop entry for one program.
type Entry struct {
	file    string // ~/.config/autostart/imagecx.desktop
	program string // the tray app, an absolute path
}

// New is the entry that starts program (the tray app's absolute path) at
// login, in $XDG_CONFIG_HOME/autostart or ~/.config/autostart.
func New(getenv func(string) string, program string) (*Entry, error) {
	if !filepath.IsAbs(program) {
		return nil, fmt.Errorf("autostart: %q is not an absolute path", program)
	}
	cfg := getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		home := getenv("HOME")
		if home == "" {
			return nil, errors.New("autostart: neither XDG_CONFIG_HOME nor HOME is set")
		}
		cfg = filepath.Join(home, ".config")
	}
	return &Entry{file: filepath.Join(cfg, "autostart", "imagecx.desktop"), program: program}, nil
}

// Enabled reports whether the entry exists.
func (e *Entry) Enabled() bool {
	_, err := os.Stat(e.file)
	return err == nil
}

// Set writes or removes the entry.
func (e *Entry) Set(on bool) error {
	if !on {
		if err := os.Remove(e.file); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove the autostart entry: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(e.file), 0o755); err != nil {
		return fmt.Errorf("create the autostart folder: %w", err)
	}
	entry := "[Desktop Entry]\nType=Application\nName=imagecx\nComment=Screenshots to image.cx\n" +
		"Exec=" + execArg(e.program) + "\nIcon=cx.image.imagecx\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
	if err := os.WriteFile(e.file, []byte(entry), 0o644); err != nil {
		return fmt.Errorf("write the autostart entry: %w", err)
	}
	return nil
}

// execArg writes one Exec argument as the Desktop Entry Specification
// wants it: quoted when it holds a reserved character (with ", `, $ and \
// escaped inside the quotes), % doubled, and then every backslash doubled
// again because the value is a string with escapes of its own.
func execArg(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`") {
		s = `"` + strings.NewReplacer(`"`, `\"`, "`", "\\`", `$`, `\$`, `\`, `\\`).Replace(s) + `"`
	}
	return strings.ReplaceAll(s, `\`, `\\`)
}
