// Package win32 holds what the Windows code shares: the structures of a
// window of our own (class, messages, painting), the GDI plumbing of
// the screen reader and the region overlay (a 32-bit top-down DIB section
// in a memory device context, which Go code reads or fills as bytes and
// GDI copies to or from the screen) and the bitmap header the clipboard
// code, which is tested on every system, reads and writes.
package win32

// BitmapInfoHeader is BITMAPINFOHEADER, the header of a DIB.
type BitmapInfoHeader struct {
	Size                   uint32
	Width, Height          int32
	Planes, BitCount       uint16
	Compression, SizeImage uint32
	XPels, YPels           int32
	ClrUsed, ClrImportant  uint32
}
