//go:build !linux && !windows

package history

import (
	"errors"
	"strconv"
	"syscall"
)

// identity is pid alone where the start of another process is not read
// here: a process that reuses an id is taken for the old one.
func identity(pid int) string {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return ""
	}
	return strconv.Itoa(pid)
}
