// Package hugemem allocates the large buffers of a capture so that the
// system maps them in few steps: in huge pages where it can, or all pages
// at once. A 4K screen is 33 MB: written fresh, it costs some 8,000 page
// faults of 4 KB, which on a virtual machine took a fifth of a capture's
// time (docs/performance.md). The buffers are ordinary Go memory, freed by
// the garbage collector.
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

// Written returns a zeroed slice of n bytes that is about to be written
// whole: its pages are all mapped at once (Linux 5.14 and later) instead
// of one fault per 4 KB page as they are first written, and the large
// ones are in huge pages as with Bytes.
func Written(n int) []byte {
	b := Bytes(n)
	Populate(b)
	return b
}

// minSize is the smallest buffer worth asking for: below one and a half
// huge pages, the aligned stretch inside it is more often empty than not.
const minSize = 3 << 20

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
