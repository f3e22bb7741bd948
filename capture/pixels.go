package capture

// bgrxToRGBA converts X's 32-bit little-endian TrueColor pixels to opaque
// RGBA; dst and src have the same length.
func bgrxToRGBA(dst, src []byte) {
	for i := 0; i+3 < len(src); i += 4 {
		dst[i+0] = src[i+2]
		dst[i+1] = src[i+1]
		dst[i+2] = src[i+0]
		dst[i+3] = 0xff
	}
}
