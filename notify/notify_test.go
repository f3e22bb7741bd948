//go:build linux

package notify

import (
	"context"
	"testing"
	"time"

	"imagecx/internal/dbustest"
)

func TestNotifyReachesTheServer(t *testing.T) {
	bus := dbustest.Start(t)
	rec := bus.RecordNotifications(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Addr)
	n, err := Open("imagecx")
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := n.Notify(ctx, Note{Title: "Uploaded — link copied", Body: "https://image.cx/a.png?x=1&y=<2>", Urgency: Critical, Icon: "/x.png"}); err != nil {
		t.Fatal(err)
	}
	got := rec.All()
	if len(got) != 1 {
		t.Fatalf("%d notes", len(got))
	}
	g := got[0]
	// The recorder does not announce body-markup, so the body is sent as is.
	if g.App != "imagecx" || g.Title != "Uploaded — link copied" || g.Body != "https://image.cx/a.png?x=1&y=<2>" || g.Icon != "/x.png" {
		t.Errorf("%+v", g)
	}
	if u, _ := g.Hints["urgency"].Value().(byte); u != byte(Critical) {
		t.Errorf("urgency %v", g.Hints["urgency"])
	}
	if q, _ := g.Hints["suppress-sound"].Value().(bool); !q {
		t.Errorf("a note without a sound must ask for silence: %v", g.Hints)
	}
	if err := n.Notify(ctx, Note{Title: "x", Sound: "screen-capture"}); err != nil {
		t.Fatal(err)
	}
	if s, _ := rec.All()[1].Hints["sound-name"].Value().(string); s != "screen-capture" {
		t.Errorf("sound hint %v", rec.All()[1].Hints)
	}
}

func TestNotifyWithoutServerFails(t *testing.T) {
	bus := dbustest.Start(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Addr)
	n, err := Open("imagecx")
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := n.Notify(ctx, Note{Title: "x"}); err == nil {
		t.Fatal("no server, yet no error")
	}
}

func TestEscapeMarkup(t *testing.T) {
	if got := escapeMarkup("a&b<c>"); got != "a&amp;b&lt;c&gt;" {
		t.Error(got)
	}
}
