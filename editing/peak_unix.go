//go:build linux || freebsd || openbsd || netbsd || darwin

package editing

import (
	"os"
	"runtime"
	"syscall"
)

// peakBytes is the most memory the ended process held (its maximum
// resident set).
func peakBytes(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes there
	}
	return ru.Maxrss * 1024 // kilobytes elsewhere
}
