package daemon

import (
	"bytes"
	"context"
	"image/png"
	"testing"
	"time"

	"imagecx/action"
	"imagecx/internal/testkit/poll"
	"imagecx/quick"
)

// With the thumbnail on, a capture shows one, with the capture's small
// copy and file; its Copy puts the capture on the clipboard. A second
// capture's thumbnail takes the place of the first; its Pin pins the
// capture's file.
func TestQuickThumbnailCopy(t *testing.T) {
	a := newApp(t)
	a.snap.Config.Capture.Thumbnail = true
	shown := make(chan quick.Thumb, 4)
	choose := make(chan quick.Choice, 4)
	deps := a.deps()
	started := make(chan []string, 4)
	deps.StartPin = func(args ...string) error { started <- args; return nil }
	deps.Quick = func(ctx context.Context, th quick.Thumb) (quick.Choice, error) {
		shown <- th
		select {
		case c := <-choose:
			return c, nil
		case <-ctx.Done():
			return quick.None, ctx.Err()
		}
	}
	a.start(deps)
	a.press(action.FullScreen)
	var th quick.Thumb
	select {
	case th = <-shown:
	case <-time.After(5 * time.Second):
		t.Fatal("no thumbnail after the capture")
	}
	if th.Image == nil || th.File == "" {
		t.Fatalf("the thumbnail shows %v, file %q", th.Image, th.File)
	}
	// A second capture: its thumbnail replaces the first.
	a.press(action.FullScreen)
	select {
	case <-shown:
	case <-time.After(5 * time.Second):
		t.Fatal("no thumbnail after the second capture")
	}
	choose <- quick.Copy
	poll.Until(t, 5*time.Second, "the capture on the clipboard", func() bool {
		a.clip.mu.Lock()
		defer a.clip.mu.Unlock()
		img, err := png.Decode(bytes.NewReader(a.clip.image))
		return err == nil && img.Bounds() == screenImage().Rect
	})
	a.notes.wait(t, "Image copied")

	// Pin to screen pins the capture's own file (nothing decoded or
	// written again, nothing removed).
	a.press(action.FullScreen)
	th = <-shown
	choose <- quick.Pin
	select {
	case args := <-started:
		if len(args) != 1 || args[0] != th.File {
			t.Errorf("pinned with %q, want the capture's file %q", args, th.File)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("not pinned")
	}
}
