// Package console runs console programs (ffmpeg, tesseract) from a
// program that may have no console: on Windows, without a console
// window of their own opening.
package console

import (
	"os/exec"
	"syscall"
)

// Hidden keeps cmd, a console program, from opening a console window
// when a program without one (the tray app) runs it.
func Hidden(cmd *exec.Cmd) *exec.Cmd {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: 0x08000000} // CREATE_NO_WINDOW
	return cmd
}
