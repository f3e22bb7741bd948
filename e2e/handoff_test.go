package e2e

import (
	"image"
	"strings"
	"testing"
	"time"
)

// One tray app per user; `imagecx capture …` bound to a desktop shortcut
// hands the work to it.
func TestSecondInstanceAndHandOff(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()

	r := d.u.run("")
	if r.code != 0 || !strings.Contains(r.stderr, "already running") {
		t.Fatalf("second instance:\n%s", r)
	}
	if strings.Contains(d.logText(), "hotkey not registered") {
		t.Error("the second instance fought over the hotkeys")
	}

	r = d.u.run("", "capture", "full")
	if r.code != 0 || !strings.Contains(r.stderr, "running imagecx") {
		t.Fatalf("hand-off:\n%s", r)
	}
	stored := d.waitStored(1, 30*time.Second)
	equalsDesktop(t, stored[0].Data)
	note := d.notes.Wait(t, 0, 10*time.Second, titled("Uploaded — link copied"))
	if got := string(d.clipboard("UTF8_STRING")); got != strings.TrimSpace(note.Body) {
		t.Errorf("clipboard %q", got)
	}

	// The region, handed off too: the daemon shows the overlay.
	r = d.u.run("", "capture", "region")
	if r.code != 0 {
		t.Fatalf("region hand-off:\n%s", r)
	}
	d.dragRegion(0, image.Pt(10, 10), image.Pt(110, 60))
	equalsCrop(t, d.waitStored(2, 30*time.Second)[1].Data, image.Rect(10, 10, 110, 60))

	d.tray.Click(t, p.item, "Quit")
	p.exit(t, 5*time.Second)
	// With no tray app running, the command line does the work itself.
	r = d.u.run("", "capture", "full")
	if r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.stdout), d.srv.URL) {
		t.Fatalf("without a daemon:\n%s", r)
	}
}

func TestStatusSaysWhetherTheTrayAppRuns(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	if r := d.u.run("", "status"); r.code != 1 || !strings.Contains(r.stdout, "not running") {
		t.Fatalf("before:\n%s", r)
	}
	d.start()
	if r := d.u.run("", "status"); r.code != 0 || !strings.Contains(r.stdout, "is running") {
		t.Fatalf("running:\n%s", r)
	}
}
