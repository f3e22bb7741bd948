package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"
	"imagecx/uploader/cxtest"
)

// Notifications you can act on: the thumbnail and the app icon; a click
// opens the link (a stand-in xdg-open records it), Copy link copies it,
// Delete asks and then takes the upload down; a failure's Retry sends it
// again.
func TestNotificationActions(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	bin := t.TempDir()
	opened := filepath.Join(bin, "opened")
	os.WriteFile(filepath.Join(bin, "xdg-open"), []byte("#!/bin/sh\necho \"$1\" >> "+opened+"\n"), 0o755)
	d.u.env["PATH"] = bin + ":" + d.u.env["PATH"]
	d.start()

	from := len(d.notes.All())
	d.key("ctrl+shift+1")
	up := d.notes.Wait(t, from, 30*time.Second, titled("Uploaded — link copied"))
	link := strings.TrimSpace(strings.SplitN(up.Body, "\n", 2)[0])
	if _, ok := up.Hints["image-data"]; !ok {
		t.Error("no thumbnail")
	}
	if !strings.HasSuffix(up.Icon, "imagecx.png") {
		t.Errorf("app icon %q", up.Icon)
	}

	d.notes.Invoke(t, up, "default")
	poll.Until(t, 10*time.Second, "the browser to get the link", func() bool {
		data, _ := os.ReadFile(opened)
		return strings.TrimSpace(string(data)) == link
	})

	d.copyToClipboard("UTF8_STRING", []byte("something else"))
	from = len(d.notes.All())
	d.notes.Invoke(t, up, "copy")
	d.notes.Wait(t, from, 10*time.Second, titled("Link copied"))
	if got := string(d.clipboard("UTF8_STRING")); got != link {
		t.Errorf("clipboard %q, want %q", got, link)
	}

	from = len(d.notes.All())
	d.notes.Invoke(t, up, "delete")
	ask := d.notes.Wait(t, from, 10*time.Second, titled("Delete from 127.0.0.1?"))
	if d.srv.DeleteHits() != 0 {
		t.Fatal("deleted before the person said yes")
	}
	d.notes.Invoke(t, ask, "delete-yes")
	d.notes.Wait(t, from, 10*time.Second, titled("Deleted from 127.0.0.1"))
	if d.srv.DeleteHits() != 1 {
		t.Errorf("%d delete requests", d.srv.DeleteHits())
	}
	if resp, err := http.Get(link); err != nil || resp.StatusCode != 404 {
		t.Errorf("still on the site: %v", err)
	}

	// A failure for good (a refused file type, say), then Retry.
	d.srv.Script(cxtest.APIError(400, "Invalid image"))
	from = len(d.notes.All())
	d.key("ctrl+shift+1")
	failed := d.notes.Wait(t, from, 30*time.Second, titled("Upload failed"))
	before := len(d.srv.Stored())
	d.notes.Invoke(t, failed, "retry")
	d.waitStored(before+1, 30*time.Second)
}

// The tray menu's Copy last link and Open captures folder: the link back
// on the clipboard (or a note that there is none yet), the folder in the
// file manager (a stand-in xdg-open records it).
func TestCopyLastLinkAndOpenFolder(t *testing.T) {
	d := newDesk(t, deskOpts{})
	bin := t.TempDir()
	opened := filepath.Join(bin, "opened")
	os.WriteFile(filepath.Join(bin, "xdg-open"), []byte("#!/bin/sh\necho \"$1\" >> "+opened+"\n"), 0o755)
	d.u.env["PATH"] = bin + ":" + d.u.env["PATH"]
	p := d.start()

	from := len(d.notes.All())
	d.tray.Click(t, p.item, "Copy last link")
	d.notes.Wait(t, from, 10*time.Second, titled("Nothing uploaded yet"))

	d.key("ctrl+shift+1")
	up := d.notes.Wait(t, from, 30*time.Second, titled("Uploaded — link copied"))
	link := strings.TrimSpace(strings.SplitN(up.Body, "\n", 2)[0])
	d.copyToClipboard("UTF8_STRING", []byte("something else"))
	from = len(d.notes.All())
	d.tray.Click(t, p.item, "Copy last link")
	d.notes.Wait(t, from, 10*time.Second, titled("Link copied"))
	if got := string(d.clipboard("UTF8_STRING")); got != link {
		t.Errorf("clipboard %q, want %q", got, link)
	}

	d.tray.Click(t, p.item, "Open captures folder")
	want := filepath.Join(d.u.home, "Pictures", "imagecx")
	poll.Until(t, 10*time.Second, "the file manager to get the folder", func() bool {
		data, _ := os.ReadFile(opened)
		return strings.TrimSpace(string(data)) == want
	})
}
