// Package poll waits in tests for something that happens in another
// process or goroutine: one loop, one time limit, one failure message,
// instead of a hand-written loop in every test.
package poll

import (
	"testing"
	"time"
)

// Interval is how often a condition is checked.
const Interval = 20 * time.Millisecond

// Until checks cond until it holds, and fails the test with what (a
// description of the awaited state) when it does not within the limit.
func Until(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	if !Wait(within, cond) {
		t.Fatalf("waited %v for %s", within, what)
	}
}

// Wait checks cond until it holds or within has passed, and reports
// whether it held.
func Wait(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(Interval)
	}
}

// Value checks get until it returns ok, and returns its value; it fails
// the test like Until.
func Value[T any](t testing.TB, within time.Duration, what string, get func() (T, bool)) T {
	t.Helper()
	var v T
	Until(t, within, what, func() bool {
		var ok bool
		v, ok = get()
		return ok
	})
	return v
}
