//go:build unix

package portal_test

import (
	"context"
	"errors"
	"image"
	"io"
	"testing"
	"time"

	"imagecx/internal/portal"
	"imagecx/internal/testkit/dbustest"
)

// A screen cast: a monitor asked for with the pointer in the frames,
// kept for next time (persist_mode 2) and restored with the token the
// last one gave; the stream's node and monitor, and the PipeWire remote,
// come back; Close ends the session. A refusal is ErrCancelled.
func TestScreenCast(t *testing.T) {
	bus := dbustest.Start(t)
	conn := bus.Conn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := portal.StartScreenCast(ctx, conn, ""); !errors.Is(err, portal.ErrUnavailable) {
		t.Fatalf("no portal: %v", err)
	}
	fake := bus.ScreenCastPortal(t, 42, 1280, 720, "tok-1")
	s, err := portal.StartScreenCast(ctx, conn, "tok-0")
	if err != nil {
		t.Fatal(err)
	}
	if s.Node != 42 || s.Monitor != image.Rect(1920, 0, 3200, 720) || s.RestoreToken != "tok-1" || s.Remote == nil {
		t.Fatalf("%+v", s)
	}
	data, _ := io.ReadAll(s.Remote)
	s.Remote.Close()
	if string(data) != "pipewire remote" {
		t.Errorf("the remote: %q", data)
	}
	opts := fake.Selected()[0]
	if opts["types"].Value() != uint32(1) || opts["persist_mode"].Value() != uint32(2) || opts["restore_token"].Value() != "tok-0" || opts["cursor_mode"].Value() != uint32(2) {
		t.Errorf("SelectSources %v", opts)
	}
	s.Close()
	if closed := fake.Closed(); len(closed) != 1 {
		t.Errorf("closed %v", closed)
	}
	fake.Refuse()
	if _, err := portal.StartScreenCast(ctx, conn, ""); !errors.Is(err, portal.ErrCancelled) {
		t.Errorf("refused: %v", err)
	}
	if _, ok := fake.Selected()[1]["restore_token"]; ok {
		t.Error("a restore token sent with none to send")
	}
}
