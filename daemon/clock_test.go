package daemon

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock the test moves with Advance; its timers fire
// then, in the order they are due, on the caller's goroutine.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c  *fakeClock
	at time.Time
	f  func()
	on bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), f: f, on: true}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.on
	t.on = false
	return was
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.on
	t.at, t.on = t.c.now.Add(d), true
	return was
}

// Advance moves the clock on by d and fires the timers that came due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	for _, t := range c.timers {
		if t.on && !t.at.After(c.now) {
			t.on = false
			due = append(due, t)
		}
	}
	c.mu.Unlock()
	sort.SliceStable(due, func(i, j int) bool { return due[i].at.Before(due[j].at) })
	for _, t := range due {
		t.f()
	}
}

// idle waits for the daemon to have nothing in hand.
func (a *app) idle() {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.d.idle(ctx); err != nil {
		a.t.Fatalf("the tray app did not come to rest: %v", err)
	}
}

// The counter reaches zero only when the last piece of work ends, and
// wakes every waiter then.
func TestCounter(t *testing.T) {
	var c counter
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c.wait(ctx); err != nil {
		t.Fatalf("an empty counter: %v", err)
	}
	c.add()
	c.add()
	c.done()
	if err := c.wait(ctx); err == nil {
		t.Fatal("waited through work in hand")
	}
	woke := make(chan error, 2)
	for range 2 {
		go func() { woke <- c.wait(context.Background()) }()
	}
	c.done()
	for range 2 {
		if err := <-woke; err != nil {
			t.Fatal(err)
		}
	}
}
