package bgrx

import "testing"

func TestBGRXToRGBA(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 5} {
		src := make([]byte, n*4)
		for i := range src {
			src[i] = byte(i*37 + 11)
		}
		dst := make([]byte, len(src))
		ToRGBA(dst, src)
		for p := 0; p < n; p++ {
			b, g, r := src[p*4], src[p*4+1], src[p*4+2]
			if dst[p*4] != r || dst[p*4+1] != g || dst[p*4+2] != b || dst[p*4+3] != 0xff {
				t.Fatalf("%d pixels: pixel %d = %v, want %d %d %d 255", n, p, dst[p*4:p*4+4], r, g, b)
			}
		}
	}
}
