package uploader

import (
	"math/rand/v2"
	"time"
)

// Retry bounds how transient failures (network errors, timeouts, 5xx, 429,
// flood protection) are retried: capped exponential backoff with full
// jitter, at most Attempts requests and no new attempt after MaxElapsed.
// Permanent failures (bad key, too large, unsupported) are never retried.
type Retry struct {
	Attempts   int           // requests in all, including the first; <= 1 disables retries
	Base       time.Duration // the first backoff's upper bound
	Max        time.Duration // cap on one backoff; a longer Retry-After ends the retries
	MaxElapsed time.Duration // no retry starts after this much time in all
}

// DefaultRetry is what New uses.
var DefaultRetry = Retry{Attempts: 4, Base: 500 * time.Millisecond, Max: 8 * time.Second, MaxElapsed: 45 * time.Second}

// next returns how long to wait before attempt+1, or false to give up.
// A site that asks for a longer wait than Max (Retry-After, flood
// protection) is not asked again now: the caller decides what waits that
// long.
func (r Retry) next(attempt int, elapsed, retryAfter time.Duration) (time.Duration, bool) {
	if attempt >= r.Attempts || retryAfter > r.Max {
		return 0, false
	}
	ceil := r.Base << (attempt - 1)
	if ceil > r.Max || ceil <= 0 {
		ceil = r.Max
	}
	var wait time.Duration
	if ceil > 0 {
		wait = time.Duration(rand.Int64N(int64(ceil) + 1))
	}
	wait = max(wait, retryAfter)
	if r.MaxElapsed > 0 && elapsed+wait > r.MaxElapsed {
		return 0, false
	}
	return wait, true
}
