// Package loopback serves tests' hosts on chosen loopback addresses:
// 127.0.0.1 for the host a test talks to, 127.0.0.2 for "another
// machine" that must receive nothing (Linux routes all of 127/8 to the
// loopback device), each counting the requests that reach it.
package loopback

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// Host is a test server on one loopback address.
type Host struct {
	*httptest.Server
	hits atomic.Int32
}

// Hits is how many requests reached the host.
func (h *Host) Hits() int { return int(h.hits.Load()) }

// Serve runs handler on addr ("127.0.0.2") until the test ends.
func Serve(t testing.TB, addr string, handler http.HandlerFunc) *Host {
	t.Helper()
	l, err := net.Listen("tcp", addr+":0")
	if err != nil {
		t.Fatalf("loopback address %s: %v", addr, err)
	}
	h := &Host{}
	h.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.hits.Add(1)
		handler(w, r)
	}))
	h.Server.Listener.Close()
	h.Server.Listener = l
	h.Start()
	t.Cleanup(h.Close)
	return h
}
