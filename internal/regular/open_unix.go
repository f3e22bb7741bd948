//go:build unix

package regular

import (
	"os"
	"syscall"
)

// openNonBlocking opens path with O_NONBLOCK, so a FIFO without a writer
// opens at once instead of waiting; reads from a regular file do not
// notice the flag.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
