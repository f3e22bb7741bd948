package e2e

import (
	"image"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xdnd"
	"imagecx/quick"
	"imagecx/shot"
)

// The quick-access thumbnail (Settings → General, off by default): after
// a capture it floats in the screen's corner; its Copy puts the capture
// on the clipboard; dragged onto another application's window it drops
// the capture's file there; left alone, it goes by itself.
func TestQuickAccessThumbnail(t *testing.T) {
	d := newDesk(t, deskOpts{config: `{"capture":{"thumbnail":true,"keep_local":true}}`})
	d.start()
	screen := desktopImage(t).Rect.Size()
	lay := quick.Lay(image.Pt(shot.ThumbSize, shot.ThumbSize*screen.Y/screen.X))
	centre := func(r image.Rectangle) image.Point { return r.Min.Add(r.Size().Div(2)) }

	d.key("ctrl+shift+1")
	win := d.waitWindow("imagecx thumbnail", 30*time.Second)
	r := d.geometry(win)
	if want := screen.Sub(image.Pt(24, 24)); r.Max != want || r.Size() != lay.Size {
		t.Errorf("the thumbnail at %v, want %v in the bottom-right corner, %d px from it", r, lay.Size, 24)
	}
	copyAt := r.Min.Add(centre(lay.Buttons[0]))
	d.tool("xdotool", "mousemove", itoa(copyAt.X), itoa(copyAt.Y), "click", "1")
	data := poll.Value(t, 15*time.Second, "the capture on the clipboard", func() ([]byte, bool) {
		probe := exec.Command("xclip", "-o", "-selection", "clipboard", "-t", "image/png")
		probe.Env = d.u.environ()
		out, err := probe.Output()
		return out, err == nil && len(out) > 0
	})
	equalsDesktop(t, data)
	d.waitNoWindow("imagecx thumbnail", 10*time.Second)

	// Dragged onto an application's window: the capture's file is dropped.
	target := xdnd.NewTarget(t, d.x.Display, image.Rect(200, 200, 1200, 1000))
	d.tool("xdotool", "mousemove", "100", "100")
	d.key("ctrl+shift+1")
	win = d.waitWindow("imagecx thumbnail", 30*time.Second)
	from := d.geometry(win).Min.Add(centre(lay.Picture))
	d.tool("xdotool", "mousemove", itoa(from.X), itoa(from.Y), "mousedown", "1")
	for _, p := range []image.Point{from.Sub(image.Pt(20, 20)), {2000, 1200}, {800, 700}, {700, 600}} {
		time.Sleep(150 * time.Millisecond)
		d.tool("xdotool", "mousemove", itoa(p.X), itoa(p.Y))
	}
	time.Sleep(300 * time.Millisecond) // the target's answer to the position
	d.tool("xdotool", "mouseup", "1")
	uris, err := target.Wait(10 * time.Second)
	if err != nil || len(uris) != 1 || !strings.HasPrefix(uris[0], "file:///") {
		t.Fatalf("dropped %q, %v; want the capture's file", uris, err)
	}
	u, _ := url.Parse(uris[0])
	if _, err := os.Stat(u.Path); err != nil || !strings.HasPrefix(u.Path, d.u.home) {
		t.Errorf("the dropped file %s: %v", u.Path, err)
	}
	d.waitNoWindow("imagecx thumbnail", 10*time.Second)

	// Left alone, it goes by itself.
	d.key("ctrl+shift+1")
	d.waitWindow("imagecx thumbnail", 30*time.Second)
	d.waitNoWindow("imagecx thumbnail", 15*time.Second)
}
