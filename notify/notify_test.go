//go:build linux

package notify

import (
	"context"
	"image"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/testkit/dbustest"
)

func TestNotifyReachesTheServer(t *testing.T) {
	bus := dbustest.Start(t)
	rec := bus.RecordNotifications(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Addr)
	n, err := Open("imagecx", "")
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
	n, err := Open("imagecx", "")
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

// Buttons and a thumbnail where the server offers them, and the button
// chosen comes back with the note's tag.
func TestActionsAndImage(t *testing.T) {
	bus := dbustest.Start(t)
	rec := bus.RecordNotifications(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Addr)
	n, err := Open("imagecx", "/icons/imagecx.png")
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	thumb := image.NewRGBA(image.Rect(0, 0, 4, 3))
	thumb.Pix[0] = 200
	ctx := context.Background()
	if err := n.Notify(ctx, Note{Title: "Uploaded", Body: "https://i.cx/a.png", Image: thumb, Tag: "up:7",
		Actions: []Action{{DefaultAction, "Open"}, {"copy", "Copy link"}}}); err != nil {
		t.Fatal(err)
	}
	g := rec.All()[0]
	if g.Icon != "/icons/imagecx.png" || len(g.Actions) != 4 || g.Actions[2] != "copy" {
		t.Fatalf("%+v", g)
	}
	var img struct {
		W, H, Stride int32
		Alpha        bool
		Bits, Chans  int32
		Data         []byte
	}
	if err := dbus.Store([]any{g.Hints["image-data"].Value()}, &img); err != nil || img.W != 4 || img.H != 3 || len(img.Data) != 48 || img.Data[0] != 200 {
		t.Fatalf("image-data: %v %+v", err, img)
	}
	deadline := time.After(5 * time.Second)
	for { // the notifier listens from a moment after Open
		rec.Invoke(t, g, "copy")
		select {
		case got := <-n.Invoked():
			if got != (Invoked{Tag: "up:7", Key: "copy"}) {
				t.Errorf("invoked %+v", got)
			}
			return
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatal("the chosen action did not come back")
		}
	}
}

// Notes with the same Replace take one another's place: a batch's
// progress updated in place, then its outcome; others stay new.
func TestReplace(t *testing.T) {
	b := dbustest.Start(t)
	rec := b.RecordNotifications(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", b.Addr)
	n, err := Open("imagecx", "")
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ctx := context.Background()
	for _, note := range []Note{
		{Title: "Uploading 3 files (0 % done)", Replace: "batch"},
		{Title: "other"},
		{Title: "Uploading 3 files (40 % done)", Replace: "batch"},
		{Title: "Uploaded 3 images — links copied", Replace: "batch"},
	} {
		if err := n.Notify(ctx, note); err != nil {
			t.Fatal(err)
		}
	}
	all := rec.All()
	if len(all) != 4 || all[0].Replaces != 0 || all[1].ID == all[0].ID || all[2].Replaces != all[0].ID || all[3].ID != all[0].ID {
		t.Fatalf("%+v", all)
	}
}
