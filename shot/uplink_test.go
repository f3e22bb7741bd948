package shot

import (
	"testing"
	"time"
)

func TestUplinkChoosesTheEncoding(t *testing.T) {
	var u uplink
	if u.fast() {
		t.Fatal("fast before any upload")
	}
	u.observe(100<<10, time.Millisecond) // small: ignored
	if u.fast() {
		t.Fatal("a small upload decided")
	}
	u.observe(2500000, 1250*time.Millisecond) // 2 MB/s: a home uplink
	if u.fast() {
		t.Fatal("2 MB/s judged fast")
	}
	for range 10 {
		u.observe(2500000, 25*time.Millisecond) // 100 MB/s: a LAN
	}
	if !u.fast() {
		t.Fatal("100 MB/s judged slow")
	}
	for range 10 {
		u.observe(2500000, 2*time.Second) // the link got slow again
	}
	if u.fast() {
		t.Fatal("did not adapt back")
	}
}
