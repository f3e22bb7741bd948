package e2e

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"imagecx/internal/testkit/poll"
	"imagecx/uploader/cxtest"
)

// historyEntry is a row of `imagecx history --json`.
type historyEntry struct {
	ID        int64   `json:"id"`
	State     string  `json:"state"`
	File      string  `json:"file"`
	URL       string  `json:"url"`
	DeleteURL string  `json:"delete_url"`
	Width     int     `json:"width"`
	Height    int     `json:"height"`
	Mime      string  `json:"mime"`
	Seconds   float64 `json:"seconds"`
}

func historyJSON(t *testing.T, u *user) []historyEntry {
	t.Helper()
	r := u.run("", "history", "--json")
	var out []historyEntry
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	for dec.More() {
		var e historyEntry
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("history --json: %v\n%s", err, r)
		}
		out = append(out, e)
	}
	if r.code != 0 {
		t.Fatalf("history --json:\n%s", r)
	}
	return out
}

// A history written by an older imagecx (testdata/history-v1.db, schema
// 1, before owners) is brought up to date by the tray app's start: its
// links are kept, and the upload it had cut off is sent with no action.
func TestOldHistoryIsUpgraded(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	data := filepath.Join(d.u.env["XDG_DATA_HOME"], "imagecx")
	old, err := os.ReadFile("testdata/history-v1.db")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(data, 0o700)
	db := filepath.Join(data, "history.db")
	if err := os.WriteFile(db, old, 0o600); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(d.u.home, "Pictures", "imagecx"), 0o700)
	cut := writePNG(t, filepath.Join(d.u.home, "Pictures", "imagecx"), "imagecx-2025-12-01_10-01-00.png", 64, 48, true)
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqlDB.Exec("UPDATE captures SET file = ? WHERE state = 'uploading'", cut)
	sqlDB.Close()
	if err != nil {
		t.Fatal(err)
	}

	d.start()
	stored := d.waitStored(1, 30*time.Second)
	want, _ := os.ReadFile(cut)
	if !bytes.Equal(stored[0].Data, want) {
		t.Error("the cut-off capture arrived changed")
	}
	es := historyJSON(t, d.u)
	if len(es) != 2 || es[0].State != "uploaded" || !strings.HasPrefix(es[0].URL, d.srv.URL) ||
		es[1].URL != "https://image.cx/images/2025/12/01/old.png" || es[1].DeleteURL != "https://image.cx/image/old/delete/abc" {
		t.Errorf("history after the upgrade: %+v", es)
	}
}

// A damaged history is moved aside, the tray app says so, and a new one
// is filled from the captures folder; what is found there is listed, not
// uploaded (nothing says it was meant to be), and captures go on.
func TestDamagedHistoryIsRebuilt(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true, server: cxtest.Config{}})
	data := filepath.Join(d.u.env["XDG_DATA_HOME"], "imagecx")
	os.MkdirAll(data, 0o700)
	junk := bytes.Repeat([]byte("not a database, a disk that lost a sector\n"), 200)
	if err := os.WriteFile(filepath.Join(data, "history.db"), junk, 0o600); err != nil {
		t.Fatal(err)
	}
	captures := filepath.Join(d.u.home, "Pictures", "imagecx")
	os.MkdirAll(captures, 0o700)
	writePNG(t, captures, "imagecx-2026-11-30_09-00-00.png", 32, 32, false)
	writePNG(t, captures, "imagecx-2026-11-30_09-05-00.png", 40, 30, false)

	from := len(d.notes.All())
	d.start()
	n := d.notes.Wait(t, from, 30*time.Second, titled("Upload history rebuilt"))
	if !strings.Contains(n.Body, "2 captures were found") || !strings.Contains(n.Body, ".corrupt-") {
		t.Errorf("note %q", n.Body)
	}
	aside, _ := filepath.Glob(filepath.Join(data, "history.db.corrupt-*"))
	if len(aside) != 1 {
		t.Fatalf("moved aside: %v", aside)
	}
	if kept, _ := os.ReadFile(aside[0]); !bytes.Equal(kept, junk) {
		t.Error("the damaged file was not kept as it was")
	}
	if es := historyJSON(t, d.u); len(es) != 2 || es[0].State != "recovered" || es[1].State != "recovered" {
		t.Errorf("rebuilt history: %+v", es)
	}

	d.key("ctrl+shift+1")
	d.waitStored(1, 30*time.Second)
	time.Sleep(time.Second)
	if n := len(d.srv.Stored()); n != 1 {
		t.Errorf("%d uploads: what the captures folder held was uploaded", n)
	}
	if es := historyJSON(t, d.u); len(es) != 3 || es[0].State != "uploaded" {
		t.Errorf("history after a capture: %+v", es)
	}
}

// fullDisk mounts a small tmpfs for the test (the tests run as root, as
// in CI) and returns its folder and a function that fills it.
func fullDisk(t *testing.T) (string, func()) {
	dir := filepath.Join(t.TempDir(), "disk")
	os.MkdirAll(dir, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("a full disk needs a tmpfs of its own: mount: %v %s", err, out)
		}
		t.Skipf("a full disk needs a tmpfs of its own (run as root): mount: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	fill := func() {
		f, err := os.Create(filepath.Join(dir, "filler"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		chunk := make([]byte, 64<<10)
		for {
			if _, err := f.Write(chunk); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatal(err)
				}
				break
			}
		}
		for _, n := range []int{4096, 512, 1} { // the last bytes too
			for {
				if _, err := f.Write(chunk[:n]); err != nil {
					break
				}
			}
		}
	}
	return dir, fill
}

// The disk holding the captures and the history fills up while the tray
// app runs: a capture is uploaded from memory all the same, its link is
// copied, and the notifications say that no copy was kept and that the
// history could not record it. With space again, everything is kept.
func TestFullDisk(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	disk, fill := fullDisk(t)
	d.u.env["XDG_DATA_HOME"] = filepath.Join(disk, "share")
	d.u.env["XDG_PICTURES_DIR"] = filepath.Join(disk, "Pictures")
	d.start()
	fill()

	from := len(d.notes.All())
	d.key("ctrl+shift+1")
	d.waitStored(1, 30*time.Second)
	up := d.notes.Wait(t, from, 15*time.Second, titled("Uploaded"))
	if !strings.Contains(up.Body, "No copy is kept on this computer") || !strings.Contains(strings.ToLower(up.Body), "disk is full") {
		t.Errorf("upload note %q", up.Body)
	}
	if n := d.notes.Wait(t, from, 15*time.Second, titled("Not in the history")); !strings.Contains(n.Body, "The disk is full") {
		t.Errorf("history note %q", n.Body)
	}
	link, _, _ := strings.Cut(up.Body, "\n")
	if !strings.HasPrefix(link, d.srv.URL) {
		t.Fatalf("link %q", link)
	}
	poll.Until(t, 10*time.Second, "the link on the clipboard", func() bool { return string(d.clipboard("UTF8_STRING")) == link })

	os.Remove(filepath.Join(disk, "filler"))
	d.key("ctrl+shift+1")
	d.waitStored(2, 30*time.Second)
	es := historyJSON(t, d.u)
	if len(es) != 1 || es[0].State != "uploaded" || !strings.HasPrefix(es[0].File, disk) {
		t.Errorf("history with space again: %+v", es)
	}
}
