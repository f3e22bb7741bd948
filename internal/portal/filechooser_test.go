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

func TestChooseFiles(t *testing.T) {
	bus := dbustest.Start(t)
	conn := bus.Conn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	filters := []portal.Filter{{Name: "Images and videos", Types: []string{"image/png", "video/mp4"}}, {Name: "All files"}}
	if _, err := portal.ChooseFiles(ctx, conn, "", "Upload files", "Upload", filters); !errors.Is(err, portal.ErrUnavailable) {
		t.Fatalf("no portal: %v, want ErrUnavailable", err)
	}
	fc := bus.FileChooserPortal(t)
	fc.ChooseFiles("/home/ada/a b.png", "/home/ada/#2.mp4")
	got, err := portal.ChooseFiles(ctx, conn, "", "Upload files", "Upload", filters)
	if err != nil || len(got) != 2 || got[0] != "/home/ada/a b.png" || got[1] != "/home/ada/#2.mp4" {
		t.Fatalf("chosen %q, %v", got, err)
	}
	c := fc.Calls()[0]
	if !c.Multiple || c.Directory || c.Title != "Upload files" || len(c.Filters) != 2 || c.Filters[0] != "Images and videos" ||
		len(c.MIMETypes) != 2 || c.MIMETypes[1] != "video/mp4" {
		t.Errorf("the call: %+v", c)
	}
	fc.ChooseFiles()
	if _, err := portal.ChooseFiles(ctx, conn, "", "Upload files", "Upload", filters); !errors.Is(err, portal.ErrCancelled) {
		t.Errorf("closed: %v, want ErrCancelled", err)
	}
}
