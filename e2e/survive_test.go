package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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
	if code, took := p.exit(t, 5*time.Second); code != 0 || took > 2*time.Second {
		t.Errorf("quit: exit %d after %v", code, took)
	}
}
