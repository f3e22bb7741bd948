package poll

import (
	"testing"
	"time"
)

func TestWait(t *testing.T) {
	n := 0
	if !Wait(time.Second, func() bool { n++; return n == 3 }) || n != 3 {
		t.Fatalf("n = %d", n)
	}
	start := time.Now()
	if Wait(100*time.Millisecond, func() bool { return false }) {
		t.Fatal("a false condition held")
	}
	if d := time.Since(start); d < 100*time.Millisecond || d > time.Second {
		t.Fatalf("gave up after %v", d)
	}
	if v := Value(t, time.Second, "three", func() (int, bool) { n++; return n, n >= 5 }); v != 5 {
		t.Fatalf("v = %d", v)
	}
}
