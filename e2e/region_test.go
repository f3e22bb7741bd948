package e2e

import (
	"bytes"
	"context"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"
)

var overlayMS = regexp.MustCompile(`msg="overlay shown" ms=(\d+)`)

// drag waits for the overlay, then drags from a to b and presses Enter.
func (d *desk) dragRegion(shownBefore int, a, b image.Point) {
	d.t.Helper()
	d.waitLog("overlay shown", shownBefore+1, 15*time.Second)
	d.tool("xdotool", "mousemove", itoa(a.X), itoa(a.Y), "mousedown", "1", "mousemove", itoa((a.X+b.X)/2), itoa((a.Y+b.Y)/2),
		"mousemove", itoa(b.X), itoa(b.Y), "mouseup", "1")
	d.key("Return")
}

func itoa(n int) string { return strconv.Itoa(n) }

// dragOnOverlay waits for the overlay of a command run without the tray
// app (it is up when its window exists), drags from a to b and presses
// Enter.
func (d *desk) dragOnOverlay(a, b image.Point) {
	d.t.Helper()
	poll.Until(d.t, 15*time.Second, "the overlay window", func() bool {
		probe := exec.Command("xdotool", "search", "--name", "imagecx region")
		probe.Env = d.u.environ()
		return probe.Run() == nil
	})
	time.Sleep(100 * time.Millisecond) // the grab follows the map
	d.tool("xdotool", "mousemove", itoa(a.X), itoa(a.Y), "mousedown", "1", "mousemove", itoa((a.X+b.X)/2), itoa((a.Y+b.Y)/2),
		"mousemove", itoa(b.X), itoa(b.Y), "mouseup", "1")
	d.key("Return")
}

func TestRegionHotkeyUploadsTheDraggedRectangle(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()

	d.key("ctrl+shift+2")
	d.dragRegion(0, image.Pt(100, 200), image.Pt(740, 680))
	stored := d.waitStored(1, 30*time.Second)
	equalsCrop(t, stored[0].Data, image.Rect(100, 200, 740, 680))
	note := d.notes.Wait(t, 0, 10*time.Second, titled("Uploaded — link copied"))
	if got := string(d.clipboard("UTF8_STRING")); got != strings.TrimSpace(note.Body) {
		t.Errorf("clipboard %q", got)
	}
	for _, m := range overlayMS.FindAllStringSubmatch(d.logText(), -1) {
		t.Logf("overlay shown %s ms after the hotkey (4K)", m[1])
	}

	// Esc: nothing uploaded, and the hotkeys still work afterwards.
	from := len(d.notes.All())
	d.key("ctrl+shift+2")
	d.waitLog("overlay shown", 2, 15*time.Second)
	d.key("Escape")
	d.waitLog("region cancelled", 1, 10*time.Second)
	if n := len(d.srv.Requests()); n != 1 {
		t.Errorf("%d requests after Esc", n)
	}
	if notes := d.notes.All()[from:]; len(notes) != 0 {
		t.Errorf("notifications after Esc: %v", notes)
	}

	// Repeat last region, from the menu: no overlay, same rectangle.
	d.tray.Click(t, p.item, "Repeat last region")
	stored = d.waitStored(2, 30*time.Second)
	equalsCrop(t, stored[1].Data, image.Rect(100, 200, 740, 680))
	if strings.Count(d.logText(), "overlay shown") != 2 {
		t.Error("repeat showed the overlay")
	}

	// Full screen still works after the overlays.
	d.key("ctrl+shift+1")
	stored = d.waitStored(3, 30*time.Second)
	equalsDesktop(t, stored[2].Data)
}

func TestRegionAcrossTwoMonitors(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	d.tool("xrandr", "--setmonitor", "left", "1920/508x2160/286+0+0", "screen")
	d.tool("xrandr", "--setmonitor", "right", "1920/508x2160/286+1920+0", "none")
	d.start()
	d.key("ctrl+shift+2")
	d.dragRegion(0, image.Pt(1700, 900), image.Pt(2200, 1300))
	stored := d.waitStored(1, 30*time.Second)
	equalsCrop(t, stored[0].Data, image.Rect(1700, 900, 2200, 1300))
}

func TestRegionFromTheCommandLine(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	out := filepath.Join(d.u.home, "r.png")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "capture", "region", "--no-upload", "-o", out)
	cmd.Env = d.u.environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d.dragOnOverlay(image.Pt(300, 300), image.Pt(700, 500))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("capture region: %v %s", err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	equalsCrop(t, data, image.Rect(300, 300, 700, 500))

	r := d.u.run("", "capture", "region", "--last")
	if r.code != 0 {
		t.Fatalf("--last:\n%s", r)
	}
	equalsCrop(t, d.waitStored(1, 10*time.Second)[0].Data, image.Rect(300, 300, 700, 500))
}
