package outbox

import (
	"context"
	"time"

	"imagecx/uploader"
)

// DefaultRetryDelays are the waits before an upload that failed for a
// passing reason is tried again, by try; the last one repeats: nothing
// that may still upload is given up. (Within one try, the client itself
// retries a failed request a few times at once: uploader.Retry.)
var DefaultRetryDelays = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute}

// RetryDelay is the wait before the next try of an upload tried attempts
// times: the next of delays (the last once they are used up), or what
// the site asked for (Retry-After, flood protection), whichever is longer.
func RetryDelay(attempts int, delays []time.Duration, retryAfter time.Duration) time.Duration {
	return max(delays[min(max(attempts-1, 0), len(delays)-1)], retryAfter)
}

// plan sets when each passing failure of a Send is tried again, in the
// history, and returns the soonest wait (0 when none is planned).
func (o *Outbox) plan(ctx context.Context, out Outcome) time.Duration {
	if o.History == nil {
		return 0
	}
	delays := o.RetryDelays
	if len(delays) == 0 {
		delays = DefaultRetryDelays
	}
	var soonest time.Duration
	for _, f := range out.Failed {
		if f.Job.ID == 0 || !uploader.IsTemporary(f.Err) {
			continue
		}
		e, err := o.History.Get(ctx, f.Job.ID)
		if err != nil {
			continue
		}
		wait := RetryDelay(e.Attempts, delays, uploader.RetryAfter(f.Err))
		if err := o.History.Plan(ctx, e.ID, o.now().Add(wait)); err != nil {
			o.Log.Warn("next try not planned", "id", e.ID, "err", err)
			continue
		}
		o.Log.Info("upload to be tried again", "id", e.ID, "in", wait.String())
		if soonest == 0 || wait < soonest {
			soonest = wait
		}
	}
	return soonest
}
