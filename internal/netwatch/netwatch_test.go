package netwatch

import (
	"context"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"

	"imagecx/internal/testkit/dbustest"
)

// A fake NetworkManager on a private bus goes offline and online; Watch
// reports the coming back, once each time, and only that.
func TestWatchReportsTheNetworkComingBack(t *testing.T) {
	bus := dbustest.Start(t)
	nm := bus.Conn(t)
	if _, err := prop.Export(nm, nmPath, map[string]map[string]*prop.Prop{nmName: {"State": {Value: uint32(nmState)}}}); err != nil {
		t.Fatal(err)
	}
	nm.RequestName(nmName, dbus.NameFlagDoNotQueue)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	up := Watch(ctx, func(ctx context.Context) (*dbus.Conn, error) { return dbus.Connect(bus.Addr, dbus.WithContext(ctx)) })
	emit := func(state uint32) {
		time.Sleep(200 * time.Millisecond) // the watcher subscribes first
		nm.Emit(nmPath, nmName+".StateChanged", state)
	}
	emit(nmState) // online already: nothing to report
	select {
	case <-up:
		t.Fatal("reported without going offline first")
	case <-time.After(500 * time.Millisecond):
	}
	emit(20) // NM_STATE_DISCONNECTED
	emit(nmState)
	select {
	case <-up:
	case <-time.After(5 * time.Second):
		t.Fatal("the network coming back was not reported")
	}
	cancel()
	if _, ok := <-up; ok {
		t.Error("still open after ctx ended")
	}
}
