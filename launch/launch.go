// Package launch opens a link in the person's browser, or a folder in
// their file manager, the way the desktop does it (xdg-open on Linux,
// the shell on Windows, open on macOS). The program opened is not waited
// for.
package launch

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"imagecx/i18n"
)

// URL opens link in the browser.
func URL(link string) error { return start(urlCommand(link)) }

// Folder opens the folder that holds file, in the file manager.
func Folder(file string) error {
	if _, err := os.Stat(file); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return i18n.Errorf("{{.file}} is gone", "file", file)
		}
		return err
	}
	return start(folderCommand(file))
}

// Dir opens the folder dir itself in the file manager.
func Dir(dir string) error {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if err == nil {
			err = i18n.Errorf("{{.dir}} is not a folder", "dir", dir)
		}
		return err
	}
	return start(dirCommand(dir))
}

// start runs cmd on its own (no terminal of ours, a process group of its
// own) and reaps it when it ends.
func start(cmd *exec.Cmd) error {
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open with %s: %w", filepath.Base(cmd.Path), err)
	}
	go cmd.Wait() // reaped whenever it ends; nothing waits for it
	return nil
}

// Desktop opens links and folders this package's way, as a value for
// what takes a launcher.
type Desktop struct{}

// URL opens link in the browser.
func (Desktop) URL(link string) error { return URL(link) }

// Folder opens the folder that holds file.
func (Desktop) Folder(file string) error { return Folder(file) }

// Dir opens a folder.
func (Desktop) Dir(dir string) error { return Dir(dir) }
