package record

import (
	"os/exec"
	"syscall"
)

// quiet keeps ffmpeg (a console program) from opening a console window
// when the tray app, which has none, runs it.
func quiet(cmd *exec.Cmd) *exec.Cmd {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: 0x08000000} // CREATE_NO_WINDOW
	return cmd
}
