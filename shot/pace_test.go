package shot

import (
	"testing"
	"time"
)

// No more than 30 uploads start in any minute.
func TestPace(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	p := pace{now: func() time.Time { return now }}
	for i := range perMinute {
		if d := p.take(); d != 0 {
			t.Fatalf("upload %d waits %v", i+1, d)
		}
		now = now.Add(time.Second)
	}
	if d := p.take(); d != 30*time.Second {
		t.Fatalf("the 31st waits %v, want until the first is a minute old", d)
	}
	now = now.Add(30 * time.Second)
	if d := p.take(); d != 0 {
		t.Fatalf("a minute after the first: waits %v", d)
	}
}
