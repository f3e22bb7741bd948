//go:build unix

package dbustest

import (
	"os/exec"
	"syscall"
)

// ownGroup starts cmd in a process group of its own, so the services it
// starts can be stopped with it.
func ownGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// killGroup stops cmd and every process of its group.
func killGroup(cmd *exec.Cmd) { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
