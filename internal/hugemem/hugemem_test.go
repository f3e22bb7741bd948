package hugemem

import (
	"testing"
)

func TestAligned(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		start    uintptr
		n        int
		from, to int
	}{
		{0, 4 * mb, 0, 4 * mb},
		{1, 4 * mb, 2*mb - 1, 4*mb - 1},
		{2*mb - 8, 4*mb + 8, 8, 4*mb + 8},
		{3 * mb, 2 * mb, 0, 0}, // crosses one boundary: no whole huge page
		{mb, 3 * mb, mb, 3 * mb},
	} {
		if from, to := aligned(c.start, c.n); from != c.from || to != c.to {
			t.Errorf("aligned(%#x, %d) = %d, %d; want %d, %d", c.start, c.n, from, to, c.from, c.to)
		}
	}
}

func TestBytes(t *testing.T) {
	for _, n := range []int{0, 100, 5 << 20} {
		b := Bytes(n)
		if len(b) != n {
			t.Fatalf("Bytes(%d) has %d bytes", n, len(b))
		}
		for i, v := range b {
			if v != 0 {
				t.Fatalf("Bytes(%d)[%d] = %d", n, i, v)
			}
		}
		if n > 0 {
			b[0], b[n-1] = 1, 2
		}
	}
}
