package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"imagecx/history"
	"imagecx/internal/testkit/poll"
)

// historyWindow is the history window's program, beside imagecx.
func historyWindow() string { return filepath.Join(filepath.Dir(binary), "imagecx-history") }

// fillHistory puts n entries in the user's history, oldest first, after
// what is there.
func fillHistory(t testing.TB, u *user, n int) {
	t.Helper()
	ctx := context.Background()
	store, err := history.Open(ctx, filepath.Join(u.env["XDG_DATA_HOME"], "imagecx"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var entries []history.Entry
	day := time.Date(2026, 1, 1, 9, 0, 0, 0, time.Local)
	for i := range n {
		entries = append(entries, history.Entry{Created: day.Add(time.Duration(i) * time.Minute), Source: history.FromHotkey,
			Name: fmt.Sprintf("old-%05d.png", i), Bytes: 2 << 20, Width: 3840, Height: 2160, State: history.Uploaded,
			Window: fmt.Sprintf("Window %d", i), URL: fmt.Sprintf("https://i.cx/images/old-%05d.png", i)})
	}
	if err := store.Import(ctx, entries); err != nil {
		t.Fatal(err)
	}
}

// openHistory starts the history window and waits until it shows title.
func (d *desk) openHistory(title string, within time.Duration) (*exec.Cmd, string) {
	d.t.Helper()
	cmd := exec.Command(historyWindow())
	cmd.Env = d.u.environ()
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, d.waitWindow(regexp.QuoteMeta(title), within)
}

// The history window with ten thousand entries: it opens, searches, and
// deletes from the site after asking.
func TestHistoryWindow(t *testing.T) {
	d := newDesk(t, deskOpts{})
	fillHistory(t, d.u, 9999)
	if r := d.u.run("", "upload", writePNG(t, d.u.home, "mine.png", 64, 48, false)); r.code != 0 {
		t.Fatalf("upload:\n%s", r)
	}
	p := d.start()
	d.tray.Click(t, p.item, "History…")
	win := d.waitWindow(regexp.QuoteMeta("imagecx History (10 000)"), 60*time.Second)
	d.tool("xdotool", "windowfocus", "--sync", win)
	d.tool("xdotool", "type", "--delay", "30", "mine")
	d.waitWindow(regexp.QuoteMeta("imagecx History (1 of 10 000)"), 10*time.Second)
	d.key("Down")
	d.key("Delete") // asks first
	time.Sleep(500 * time.Millisecond)
	if d.srv.DeleteHits() != 0 {
		t.Fatal("deleted before the person said yes")
	}
	d.key("Return")
	poll.Until(t, 10*time.Second, "the delete link fetched", func() bool { return d.srv.DeleteHits() == 1 })
	r := d.u.run("", "history", "-n", "1")
	if !strings.Contains(r.stdout, "deleted") {
		t.Errorf("after the delete:\n%s", r)
	}
	d.key("Escape") // closes the window
	d.waitNoWindow("imagecx History", 10*time.Second)
}
