package launch

import (
	"os/exec"
	"syscall"
)

func urlCommand(link string) *exec.Cmd { return exec.Command("open", link) }

func dirCommand(dir string) *exec.Cmd { return exec.Command("open", dir) }

func folderCommand(file string) *exec.Cmd { return exec.Command("open", "-R", file) }

func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
