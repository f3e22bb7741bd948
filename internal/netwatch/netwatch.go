// Package netwatch tells when the network comes back, from
// NetworkManager's StateChanged signal on the system bus, so what waits
// for it is tried at once instead of at its next planned time.
package netwatch

import (
	"context"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	nmName  = "org.freedesktop.NetworkManager"
	nmPath  = "/org/freedesktop/NetworkManager"
	nmState = 70 // NM_STATE_CONNECTED_GLOBAL
)

// Watch reports each time NetworkManager says the machine is online again
// (connected, after being less than that). Where no NetworkManager runs
// it reports nothing. It follows the bus across restarts until ctx ends;
// the channel is closed then.
func Watch(ctx context.Context, connect func(ctx context.Context) (*dbus.Conn, error)) <-chan struct{} {
	up := make(chan struct{}, 1)
	go func() { // ends with ctx
		defer close(up)
		for wait := time.Second; ctx.Err() == nil; wait = min(2*wait, time.Minute) {
			if conn, err := connect(ctx); err == nil {
				if follow(ctx, conn, up) {
					wait = time.Second // it worked until the bus went away
				}
				conn.Close()
			}
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
	}()
	return up
}

// follow passes on StateChanged signals until the connection or ctx ends;
// it reports whether it got to listen at all.
func follow(ctx context.Context, conn *dbus.Conn, up chan<- struct{}) bool {
	if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchInterface(nmName), dbus.WithMatchMember("StateChanged"), dbus.WithMatchObjectPath(nmPath)); err != nil {
		return false
	}
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	defer conn.RemoveSignal(signals)
	online := true // until it says otherwise: coming up needs going down first
	var state uint32
	if v, err := conn.Object(nmName, nmPath).GetProperty(nmName + ".State"); err == nil {
		if s, ok := v.Value().(uint32); ok {
			online = s >= nmState
		}
	}
	for {
		select {
		case <-ctx.Done():
			return true
		case sig, ok := <-signals:
			if !ok {
				return true
			}
			if sig.Name != nmName+".StateChanged" || len(sig.Body) != 1 {
				continue
			}
			state, _ = sig.Body[0].(uint32)
			now := state >= nmState
			if now && !online {
				select {
				case up <- struct{}{}:
				default: // one is waiting already
				}
			}
			online = now
		}
	}
}

// SystemBus connects to the system bus, where NetworkManager lives.
func SystemBus(ctx context.Context) (*dbus.Conn, error) {
	return dbus.ConnectSystemBus(dbus.WithContext(ctx))
}
