// Package hugemem allocates the large pixel buffers of a capture so that
// the system backs them with huge pages where it can. A 4K screen is 33 MB:
// written fresh, it costs some 8,000 page faults of 4 KB, which on a
// virtual machine take a fifth of a capture's time (docs/performance.md).
// The buffers are ordinary Go memory, freed by the garbage collector.
package hugemem

// Bytes returns a zeroed slice of n bytes whose aligned 2 MB stretches
// the system is asked to back with huge pages (Linux, where transparent
// huge pages are on "madvise" or "always"; elsewhere a plain slice).
func Bytes(n int) []byte {
	b := make([]byte, n)
	if n >= minSize {
		advise(b)
	}
	return b
}

// minSize is the smallest buffer worth asking for: below two huge pages,
// the aligned stretch inside it may be empty.
const minSize = 4 << 20

// huge is the size of an x86-64 and arm64 transparent huge page.
const huge = 2 << 20

// aligned is the part of [start, start+n) that begins and ends on huge
// page boundaries, as offsets from start; from == to when there is none.
func aligned(start uintptr, n int) (from, to int) {
	first := (start + huge - 1) &^ (huge - 1)
	last := (start + uintptr(n)) &^ (huge - 1)
	if last <= first {
		return 0, 0
	}
	return int(first - start), int(last - start)
}
