package e2e

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"

	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/poll"
	"imagecx/uploader/cxtest"
)

// The upload queue is the history: a tray app killed in the middle of
// uploads, ten times in a row, loses none of them, and uploads each once.
func TestKilledDuringUploadsLosesNothing(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true, server: cxtest.Config{Delay: 700 * time.Millisecond}})
	base := desktopImage(t)
	marked := func(i int) *image.RGBA { // the desktop with capture i's mark
		img := image.NewRGBA(base.Rect)
		copy(img.Pix, base.Pix)
		draw.Draw(img, image.Rect(0, 0, 16, 16), &image.Uniform{color.RGBA{uint8(20 * i), 200, 99, 255}}, image.Point{}, draw.Src)
		return img
	}
	const n = 10
	for i := range n {
		d.x.Paint(t, marked(i))
		before := len(d.srv.Requests())
		p := d.start() // it resumes what the last one left at once
		d.key("ctrl+shift+1")
		d.waitLog("saved", i+1, 30*time.Second) // this one is on disk and in the history
		poll.Until(t, 30*time.Second, "an upload to start", func() bool { return len(d.srv.Requests()) > before })
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.exit(t, 5*time.Second)
	}
	if s := d.srv.Stored(); len(s) != 0 {
		t.Fatalf("%d stored while every upload was cut off", len(s))
	}
	d.start() // no key press, no click
	stored := d.waitStored(n, 2*time.Minute)
	time.Sleep(time.Second)
	seen := map[uint8]int{}
	for _, u := range d.srv.Stored() {
		img, err := imgdiff.Decode(u.Data)
		if err != nil {
			t.Fatal(err)
		}
		r, _, _, _ := img.At(8, 8).RGBA()
		seen[uint8(r>>8)]++
	}
	for i := range n {
		if seen[uint8(20*i)] != 1 {
			t.Errorf("capture %d uploaded %d times", i, seen[uint8(20*i)])
		}
	}
	if len(d.srv.Stored()) != n {
		t.Errorf("%d stored, want %d", len(stored), n)
	}
}

// fakeNetworkManager owns org.freedesktop.NetworkManager on bus and says
// the network went away or came back.
type fakeNetworkManager struct{ conn *dbus.Conn }

func startNetworkManager(t *testing.T, bus *dbustest.Bus) *fakeNetworkManager {
	conn := bus.Conn(t)
	if _, err := prop.Export(conn, "/org/freedesktop/NetworkManager", map[string]map[string]*prop.Prop{"org.freedesktop.NetworkManager": {"State": {Value: uint32(70)}}}); err != nil {
		t.Fatal(err)
	}
	conn.RequestName("org.freedesktop.NetworkManager", dbus.NameFlagDoNotQueue)
	return &fakeNetworkManager{conn}
}

func (nm *fakeNetworkManager) state(s uint32) {
	nm.conn.Emit("/org/freedesktop/NetworkManager", "org.freedesktop.NetworkManager.StateChanged", s)
}

// The server down: the capture waits, planned; when NetworkManager says
// the network is back, it uploads at once, with no action, its note in
// the failure's place and its link ready to copy.
func TestServerDownThenBack(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	system := dbustest.Start(t)
	nm := startNetworkManager(t, system)
	d.u.env["DBUS_SYSTEM_BUS_ADDRESS"] = system.Addr
	d.start()
	time.Sleep(300 * time.Millisecond) // the watcher subscribes
	d.srv.Script(cxtest.Unavailable503, cxtest.Unavailable503, cxtest.Unavailable503, cxtest.Unavailable503)
	from := len(d.notes.All())
	d.key("ctrl+shift+1")
	n := d.notes.Wait(t, from, 60*time.Second, titled("Upload failed"))
	if !strings.Contains(n.Body, "tries again in 30 s") {
		t.Errorf("failure note %q", n.Body)
	}
	nm.state(20) // offline
	nm.state(70) // and back
	d.waitStored(1, 10*time.Second)
	// In the failure's place (its "tries again" is stale news), and the
	// clipboard left as the person had it: nothing the app put there.
	up := d.notes.Wait(t, from, 10*time.Second, titled("Uploaded — link ready"))
	if up.ID != n.ID || up.Replaces != n.ID {
		t.Errorf("the failure (%d) stayed beside the upload (%d, replacing %d)", n.ID, up.ID, up.Replaces)
	}
}

// A failure that needs the person (a rejected key) waits for them; once
// the key is right, "Retry failed uploads (1)" in the tray menu sends it.
func TestRetryFailedUploadsFromTheMenu(t *testing.T) {
	d := newDesk(t, deskOpts{})
	d.u.env["IMAGECX_API_KEY"] = "chv_wrong_" + strings.Repeat("w", 60)
	p := d.start()
	from := len(d.notes.All())
	d.key("ctrl+shift+1")
	d.notes.Wait(t, from, 30*time.Second, titled("Upload failed"))
	d.tray.WaitItem(t, p.item, "Retry failed uploads (1)", 5*time.Second)
	// The right key, as `imagecx key set` would store it: restart with it.
	d.tray.Click(t, p.item, "Quit")
	p.exit(t, 5*time.Second)
	d.u.env["IMAGECX_API_KEY"] = d.srv.Key
	p = d.start()
	time.Sleep(time.Second)
	if len(d.srv.Stored()) != 0 {
		t.Fatal("a permanent failure was sent again without the person")
	}
	d.tray.Click(t, p.item, "Retry failed uploads (1)")
	d.waitStored(1, 30*time.Second)
	poll.Until(t, 5*time.Second, "the retry item to go", func() bool {
		_, ok := dbustest.Find(d.tray.Menu(t, p.item), "Retry failed uploads")
		return !ok
	})
}
