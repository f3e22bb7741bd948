package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"
	"imagecx/uploader/cxtest"
)

// keepers lists the clipboard keepers this test's binary started.
func keepers() []string {
	out, _ := exec.Command("pgrep", "-f", binary+" keep-clipboard").Output()
	return strings.Fields(string(out))
}

// `imagecx capture full` bound to a key in the desktop's settings, with
// no tray app running and no terminal: the link is on the clipboard after
// the command ended (a keeper of ours owns it until something else is
// copied), and a notification says what happened, the failures too.
func TestCaptureFromAShortcutWithoutTheTrayApp(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	from := len(d.notes.All())
	r := d.u.run("", "capture", "full") // no terminal: as a shortcut runs it
	link := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(link, d.srv.URL+"/images/") {
		t.Fatalf("capture:\n%s", r)
	}
	n := d.notes.Wait(t, from, 10*time.Second, titled("Uploaded — link copied"))
	if n.Body != link || n.Icon == "" {
		t.Errorf("note %+v", n)
	}
	if got := string(d.clipboard("UTF8_STRING")); got != link {
		t.Errorf("clipboard %q after the command ended, want %q", got, link)
	}
	if len(keepers()) != 1 {
		t.Fatalf("keepers %v", keepers())
	}
	d.copyToClipboard("UTF8_STRING", []byte("something else"))
	poll.Until(t, 5*time.Second, "the keeper to end once something else is copied", func() bool { return len(keepers()) == 0 })

	// A failed upload says what the tray app would: why, and where the
	// capture is.
	d.srv.Script(cxtest.APIError(100, "Invalid API key."))
	from = len(d.notes.All())
	if r := d.u.run("", "capture", "full"); r.code != 1 {
		t.Fatalf("failed upload:\n%s", r)
	}
	n = d.notes.Wait(t, from, 10*time.Second, titled("Upload failed"))
	if !strings.Contains(n.Body, "rejected the API key") || !strings.Contains(n.Body, "The capture is saved at") || strings.Contains(n.Body, "imagecx:") {
		t.Errorf("failure note %q", n.Body)
	}

	// --notify asks for the same on a terminal too; --no-upload says
	// where the file went.
	from = len(d.notes.All())
	r = d.u.run("", "capture", "full", "--no-upload", "--notify")
	if n := d.notes.Wait(t, from, 10*time.Second, titled("Capture saved")); r.code != 0 || n.Body != strings.TrimSpace(r.stdout) {
		t.Errorf("--no-upload: %+v\n%s", n, r)
	}

	// -o FILE is a script's: without --notify it says nothing on the
	// desktop (the command has ended: a note would be there by now).
	from = len(d.notes.All())
	out := filepath.Join(d.u.home, "scripted.png")
	if r := d.u.run("", "capture", "full", "--no-upload", "-o", out); r.code != 0 || len(d.notes.All()) != from {
		t.Errorf("-o FILE notified: %+v\n%s", d.notes.All()[from:], r)
	}
}
