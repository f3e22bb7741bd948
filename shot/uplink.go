package shot

import (
	"sync"
	"time"
)

// fastUplink is where encoding harder stops paying: the compact PNG
// setting saves about 0.35 MB of the 4K reference desktop and costs about
// 60 ms more than the fast one (capture and encode, 2 cores; see
// docs/performance.md), so above 0.35 MB / 60 ms ≈ 5.9 MB/s (47 Mbit/s)
// the fast one gets the link out sooner.
const fastUplink = 5.9e6 // bytes per second

// uplink estimates upload throughput from the uploads so far.
type uplink struct {
	mu  sync.Mutex
	bps float64 // moving average, bytes per second; 0 before the first
}

// observe records an upload of n bytes that took d. Small uploads say
// more about latency than throughput and are ignored.
func (u *uplink) observe(n int, d time.Duration) {
	if n < 256<<10 || d <= 0 {
		return
	}
	rate := float64(n) / d.Seconds()
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.bps == 0 {
		u.bps = rate
	} else {
		u.bps = 0.7*u.bps + 0.3*rate
	}
}

// fast reports whether the fast PNG setting gets links out sooner. Until an
// upload was measured the compact one is used.
func (u *uplink) fast() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.bps > fastUplink
}
