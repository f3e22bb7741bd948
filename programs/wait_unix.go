//go:build !windows

package programs

import (
	"fmt"
	"syscall"
)

// exited reaps the program if it has exited, without waiting.
func (r *Running) exited() (bool, error) {
	var ws syscall.WaitStatus
	pid, err := syscall.Wait4(r.pid, &ws, syscall.WNOHANG, nil)
	switch {
	case err == syscall.EINTR:
		return false, nil
	case err != nil:
		return true, fmt.Errorf("wait for process %d: %w", r.pid, err)
	case pid == 0:
		return false, nil
	case ws.Exited() && ws.ExitStatus() != 0:
		return true, fmt.Errorf("exit status %d", ws.ExitStatus())
	case ws.Signaled():
		return true, fmt.Errorf("killed by %v", ws.Signal())
	}
	return true, nil
}
