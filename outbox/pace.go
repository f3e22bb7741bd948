package outbox

import (
	"context"
	"sync"
	"time"
)

// ImageCXPerMinute is how many uploads a minute image.cx takes before its
// flood protection refuses more.
const ImageCXPerMinute = 30

// pacer is the pace of d's host (none when it sets no PerMinute).
func (o *Outbox) pacer(d Delivery) *pace {
	if d.PerMinute <= 0 {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pacers == nil {
		o.pacers = map[string]*pace{}
	}
	p := o.pacers[d.Host]
	if p == nil {
		p = &pace{perMinute: d.PerMinute, now: o.now}
		o.pacers[d.Host] = p
	}
	return p
}

// pace keeps one host's uploads under perMinute in any minute: a queue
// drained after the network came back does not run into its flood
// protection.
type pace struct {
	perMinute int
	mu        sync.Mutex
	sent      []time.Time // the starts within the last minute, oldest first
	now       func() time.Time
}

// wait returns when one more upload may start, or when ctx ends; a nil
// pace never waits.
func (p *pace) wait(ctx context.Context) error {
	if p == nil {
		return nil
	}
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
	now := p.now()
	for len(p.sent) > 0 && now.Sub(p.sent[0]) >= time.Minute {
		p.sent = p.sent[1:]
	}
	if len(p.sent) >= p.perMinute {
		return time.Minute - now.Sub(p.sent[0])
	}
	p.sent = append(p.sent, now)
	return 0
}
