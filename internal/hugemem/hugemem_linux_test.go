package hugemem

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The buffer's aligned stretch carries the kernel's huge page mark ("hg"
// in its mapping's VmFlags), where the kernel has transparent huge pages.
func TestBytesAreMarkedForHugePages(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skipf("this kernel has no transparent huge pages: %v", err)
	}
	b := Bytes(8 << 20)
	from, _ := aligned(uintptr(unsafe.Pointer(unsafe.SliceData(b))), len(b))
	addr := uintptr(unsafe.Pointer(&b[from]))
	flags, err := vmFlags(addr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the mapping at %#x has VmFlags %q, no hg", addr, flags)
	}
}

// vmFlags reads the VmFlags of the mapping holding addr from /proc/self/smaps.
func vmFlags(addr uintptr) (string, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", err
	}
	defer f.Close()
	in := false
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &lo, &hi); n == 2 && strings.Contains(line, " ") && !strings.HasSuffix(strings.Fields(line)[0], ":") {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:")), nil
		}
	}
	return "", fmt.Errorf("no mapping holds %#x", addr)
}

// Populate maps every page of the buffer: mincore finds them all resident
// where before none was.
func TestPopulateMapsEveryPage(t *testing.T) {
	const n = 64 << 12
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(b)
	resident := func() int {
		vec := make([]byte, n>>12)
		_, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&b[0])), n, uintptr(unsafe.Pointer(&vec[0])))
		if e != 0 {
			t.Fatal(e)
		}
		k := 0
		for _, v := range vec {
			k += int(v & 1)
		}
		return k
	}
	if k := resident(); k != 0 {
		t.Fatalf("%d pages resident before", k)
	}
	if err := unix.Madvise(b, unix.MADV_POPULATE_WRITE); err == unix.EINVAL {
		t.Skip("this kernel (before 5.14) cannot populate: the pages fault in as written")
	}
	unix.Madvise(b, unix.MADV_DONTNEED)
	if k := resident(); k != 0 {
		t.Fatalf("%d pages resident after MADV_DONTNEED", k)
	}
	Populate(b)
	if k := resident(); k != n>>12 {
		t.Errorf("%d of %d pages resident after Populate", k, n>>12)
	}
}
