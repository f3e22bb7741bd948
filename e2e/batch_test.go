package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/poll"
	"imagecx/uploader/cxtest"
)

// Files handed to the running tray app (`imagecx open`, what a file
// manager's Open With runs) upload as one batch: one notification says
// its progress and is updated in place, then says the outcome in the same
// place; the links are on the clipboard one per line. A second batch,
// cancelled from its notification after the first file, uploads no more
// and offers the rest for Retry; the person's files are never removed.
func TestOpenUploadsFilesAsOneBatch(t *testing.T) {
	d := newDesk(t, deskOpts{config: `{"capture":{"keep_local":false}}`, server: cxtest.Config{Delay: 700 * time.Millisecond}})
	p := d.start()
	var files []string
	for _, name := range []string{"one.png", "two.png", "three.png"} {
		files = append(files, writePNG(t, d.u.home, name, 64, 48, true))
	}
	from := len(d.notes.All())
	r := d.u.run("", append([]string{"open"}, files...)...)
	if r.code != 0 || !strings.Contains(r.stderr, "as one batch") {
		t.Fatalf("open:\n%s", r)
	}
	end := d.notes.Wait(t, from, 30*time.Second, titled("Uploaded 3 images — links copied"))
	var progress []dbustest.Note
	for _, n := range d.notes.All()[from:] {
		if strings.HasPrefix(n.Title, "Uploading 3 files") {
			progress = append(progress, n)
		}
	}
	if len(progress) < 2 || progress[0].ID != end.ID || end.Replaces != end.ID {
		t.Errorf("progress %+v, outcome %+v: not one notification updated in place", progress, end)
	}
	for _, n := range progress[1:] {
		if n.Replaces != progress[0].ID {
			t.Errorf("a progress note of its own: %+v", n)
		}
	}
	lines := strings.Split(string(d.clipboard("UTF8_STRING")), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[0], "/one.png") || !strings.HasSuffix(lines[2], "/three.png") {
		t.Errorf("clipboard %q", lines)
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("the person's file is gone: %v", err)
		}
	}

	// Cancel the rest, from the progress notification.
	before := len(d.srv.Stored())
	from = len(d.notes.All())
	if r := d.u.run("", append([]string{"open"}, files...)...); r.code != 0 {
		t.Fatalf("open:\n%s", r)
	}
	n := d.notes.Wait(t, from, 30*time.Second, func(n dbustest.Note) bool {
		return strings.HasPrefix(n.Title, "Uploading 3 files") && strings.HasPrefix(n.Body, "1 of 3")
	})
	d.notes.Invoke(t, n, "cancel")
	end = d.notes.Wait(t, from, 30*time.Second, titled("1 of 3 uploaded, the rest cancelled"))
	if end.ID != n.ID || !strings.Contains(end.Body, "Retry sends them") {
		t.Errorf("outcome %+v", end)
	}
	// The two not sent are offered again, not sent behind the person's back.
	poll.Until(t, 10*time.Second, "Retry failed uploads (2) in the menu", func() bool {
		_, ok := dbustest.Find(d.tray.Menu(t, p.item), "Retry failed uploads (2)")
		return ok
	})
	// Its first, and perhaps the one cut off on its way; never the third.
	if got := len(d.srv.Stored()) - before; got < 1 || got > 2 {
		t.Errorf("%d uploads stored from the cancelled batch", got)
	}
}

// imagecx integrate puts "Upload to image.cx" in the file managers'
// menus: GNOME Files' script, run on two files as Nautilus runs it,
// hands them to the tray app as one batch; --remove takes every action
// away and leaves the person's own Thunar actions as they were.
func TestIntegrateWithTheFileManagers(t *testing.T) {
	d := newDesk(t, deskOpts{})
	d.start()
	uca := filepath.Join(d.u.env["XDG_CONFIG_HOME"], "Thunar", "uca.xml")
	mine := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<actions>\n<action><name>Mine</name><unique-id>42</unique-id><command>true</command></action>\n</actions>\n"
	os.MkdirAll(filepath.Dir(uca), 0o755)
	os.WriteFile(uca, []byte(mine), 0o644)

	r := d.u.run("", "integrate")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 6 {
		t.Fatalf("integrate:\n%s", r)
	}
	data := filepath.Join(d.u.home, ".local", "share")
	if v := d.u.env["XDG_DATA_HOME"]; v != "" {
		data = v
	}
	script := filepath.Join(data, "nautilus", "scripts", "Upload to image.cx")
	a := writePNG(t, d.u.home, "left.png", 40, 30, false)
	b := writePNG(t, d.u.home, "right.png", 30, 40, false)
	from := len(d.notes.All())
	run := exec.Command(script, a, b)
	run.Env = d.u.environ()
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("the script: %v\n%s", err, out)
	}
	d.notes.Wait(t, from, 30*time.Second, titled("Uploaded 2 images — links copied"))
	if got := uploadedNames(d.srv.Stored()); got != "left.png right.png" {
		t.Errorf("uploaded %q", got)
	}

	if r := d.u.run("", "integrate", "--remove"); r.code != 0 || strings.Count(r.stdout, "\n") != 6 {
		t.Fatalf("integrate --remove:\n%s", r)
	}
	if got, _ := os.ReadFile(uca); string(got) != mine {
		t.Errorf("the person's Thunar actions after --remove:\n%s", got)
	}
	if _, err := os.Stat(script); !os.IsNotExist(err) {
		t.Error("the script is still there")
	}
}

// uploadedNames are the stored files' names, in order.
func uploadedNames(stored []cxtest.Upload) string {
	var names []string
	for _, s := range stored {
		names = append(names, s.FileName)
	}
	return strings.Join(names, " ")
}
