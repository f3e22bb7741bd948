package portal_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"imagecx/internal/portal"
	"imagecx/internal/testkit/dbustest"
)

func TestChooseFolder(t *testing.T) {
	bus := dbustest.Start(t)
	conn := bus.Conn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// No portal serves the chooser yet.
	if _, err := portal.ChooseFolder(ctx, conn, "", "Captures folder", "/tmp"); !errors.Is(err, portal.ErrUnavailable) {
		t.Fatalf("no portal: %v, want ErrUnavailable", err)
	}

	fc := bus.FileChooserPortal(t)
	fc.Choose("/home/ada/My Pictures/shots")
	got, err := portal.ChooseFolder(ctx, conn, "x11:1a00003", "Captures folder", "/home/ada/Pictures")
	if err != nil || got != "/home/ada/My Pictures/shots" {
		t.Fatalf("chosen %q, %v", got, err)
	}
	calls := fc.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	c := calls[0]
	if c.Parent != "x11:1a00003" || c.Title != "Captures folder" || !c.Directory || !c.Modal ||
		c.CurrentFolder != "/home/ada/Pictures" || !c.Terminated {
		t.Errorf("the call: %+v", c)
	}

	fc.Choose("")
	if _, err := portal.ChooseFolder(ctx, conn, "", "Captures folder", ""); !errors.Is(err, portal.ErrCancelled) {
		t.Errorf("closed: %v, want ErrCancelled", err)
	}
	if c := fc.Calls()[1]; c.CurrentFolder != "" {
		t.Errorf("no current folder was given, the portal got %q", c.CurrentFolder)
	}
}
