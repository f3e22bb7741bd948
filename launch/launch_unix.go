//go:build !windows && !darwin

package launch

import (
	"os/exec"
	"path/filepath"
	"syscall"
)

func urlCommand(link string) *exec.Cmd { return exec.Command("xdg-open", link) }

func dirCommand(dir string) *exec.Cmd { return exec.Command("xdg-open", dir) }

func folderCommand(file string) *exec.Cmd { return exec.Command("xdg-open", filepath.Dir(file)) }

func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
