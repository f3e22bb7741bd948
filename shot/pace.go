package shot

import (
	"context"
	"sync"
	"time"
)

// perMinute is how many uploads a minute the site takes before flood
// protection refuses more (image.cx: 30).
const perMinute = 30

// pace keeps uploads under perMinute in any minute: a queue drained after
// the network came back does not run into flood protection.
type pace struct {
	mu   sync.Mutex
	sent []time.Time // the starts within the last minute, oldest first
	now  func() time.Time
}

// wait returns when one more upload may start, or when ctx ends.
func (p *pace) wait(ctx context.Context) error {
	for {
		d := p.take()
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// take books an upload now if the last minute has room and returns 0;
// else it returns how long until it has.
func (p *pace) take() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.now != nil {
		now = p.now()
	}
	for len(p.sent) > 0 && now.Sub(p.sent[0]) >= time.Minute {
		p.sent = p.sent[1:]
	}
	if len(p.sent) >= perMinute {
		return time.Minute - now.Sub(p.sent[0])
	}
	p.sent = append(p.sent, now)
	return 0
}
