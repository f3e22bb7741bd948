// Package bgrx converts the 32-bit BGRX pixels that X servers and GDI
// hand out to Go's RGBA.
package bgrx

import "encoding/binary"

// ToRGBA converts X's (and GDI's) 32-bit little-endian TrueColor pixels to opaque
// RGBA, two pixels per 64-bit word; dst and src have the same length.
func ToRGBA(dst, src []byte) {
	n := len(src) &^ 7
	dst = dst[:len(src)]
	for i := 0; i < n; i += 8 {
		v := binary.LittleEndian.Uint64(src[i:])
		// Per pixel (little-endian uint32 0xXXRRGGBB) → 0xFFBBGGRR.
		v = v&0x0000ff000000ff00 | (v>>16)&0x000000ff000000ff | (v&0x000000ff000000ff)<<16 | 0xff000000ff000000
		binary.LittleEndian.PutUint64(dst[i:], v)
	}
	for i := n; i+3 < len(src); i += 4 {
		dst[i+0] = src[i+2]
		dst[i+1] = src[i+1]
		dst[i+2] = src[i+0]
		dst[i+3] = 0xff
	}
}
