package programs

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// exited reports whether the program has exited, without waiting.
func (r *Running) exited() (bool, error) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE|windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(r.pid))
	if err != nil {
		return true, nil // gone
	}
	defer windows.CloseHandle(h)
	if ev, _ := windows.WaitForSingleObject(h, 0); ev == uint32(windows.WAIT_TIMEOUT) {
		return false, nil
	}
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err == nil && code != 0 {
		return true, fmt.Errorf("exit status %d", code)
	}
	return true, nil
}
