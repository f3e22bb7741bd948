package launch

import (
	"os/exec"
	"syscall"
)

// urlCommand hands link to the shell's protocol handler (the default
// browser); no console window opens.
func urlCommand(link string) *exec.Cmd {
	return exec.Command("rundll32.exe", "url.dll,FileProtocolHandler", link)
}

// folderCommand opens Explorer on the file's folder with the file
// selected.
func dirCommand(dir string) *exec.Cmd { return exec.Command("explorer.exe", dir) }

func folderCommand(file string) *exec.Cmd { return exec.Command("explorer.exe", "/select,"+file) }

func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: 0x00000008} // DETACHED_PROCESS
}
