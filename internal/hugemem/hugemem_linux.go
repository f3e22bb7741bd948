package hugemem

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// advise marks b's aligned stretch before anything touches it: the first
// write then faults a whole huge page in. A refusal (huge pages off, an
// older kernel) leaves ordinary pages, which work the same. When b is
// garbage the mark is taken off again, so the small objects that reuse
// its memory in a long-running process get small pages.
func advise(b []byte) {
	start := unsafe.SliceData(b)
	from, to := aligned(uintptr(unsafe.Pointer(start)), len(b))
	if to <= from {
		return
	}
	if unix.Madvise(b[from:to], unix.MADV_HUGEPAGE) != nil {
		return
	}
	span := [2]uintptr{uintptr(unsafe.Pointer(start)) + uintptr(from), uintptr(to - from)}
	runtime.AddCleanup(start, func(s [2]uintptr) {
		// A hint only: harmless on memory that holds other objects by now.
		unix.Syscall(unix.SYS_MADVISE, s[0], s[1], unix.MADV_NOHUGEPAGE)
	}, span)
}

// Populate maps b's pages for writing in one call (MADV_POPULATE_WRITE),
// so that writing it does not fault page by page. A kernel without it
// (before 5.14) leaves b to fault as usual.
func Populate(b []byte) {
	if len(b) > 0 {
		_ = unix.Madvise(b, unix.MADV_POPULATE_WRITE)
	}
}
