package daemon

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Clock is the daemon's time: the planned tries, the burst of dropped
// presses, the hotkeys' pause and the memory release wait on it. Tests
// give one they move by hand.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f on a goroutine of its own once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc (a *time.Timer does).
type Timer interface {
	Stop() bool
	Reset(d time.Duration) bool
}

type realClock struct{}

func (realClock) Now() time.Time                            { return time.Now() }
func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// counter counts the work the daemon has in hand: events for the loop,
// tasks on the workers, notes for the notifier and the goroutines one
// action starts. Each piece of work counts the next before it ends, so
// the count reaches zero only when nothing more follows (a timer waiting
// is not work). Tests wait for zero instead of sleeping.
type counter struct {
	mu    sync.Mutex
	n     int
	zero  chan struct{} // closed when n falls to 0
	twice bool          // a piece of work was counted done more than once
}

func (p *counter) add() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

func (p *counter) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n--; p.n < 0 {
		p.n, p.twice = 0, true
	}
	if p.n == 0 && p.zero != nil {
		close(p.zero)
		p.zero = nil
	}
}

// wait returns once the count is zero, or when ctx ends.
func (p *counter) wait(ctx context.Context) error {
	p.mu.Lock()
	if p.twice {
		p.mu.Unlock()
		return errors.New("work was counted done twice: the count is wrong")
	}
	if p.n == 0 {
		p.mu.Unlock()
		return nil
	}
	if p.zero == nil {
		p.zero = make(chan struct{})
	}
	zero := p.zero
	p.mu.Unlock()
	select {
	case <-zero:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// idle returns once the daemon has nothing in hand: what the loop had
// received when it was called has run, with everything it led to (the
// captures, uploads, notifications), and only timers are left.
func (d *Daemon) idle(ctx context.Context) error {
	ran := make(chan struct{})
	if !d.post(ctx, func(*Daemon) { close(ran) }) {
		return ctx.Err()
	}
	select {
	case <-ran:
	case <-ctx.Done():
		return ctx.Err()
	}
	return d.inHand.wait(ctx)
}
