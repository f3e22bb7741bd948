package e2e

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"

	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xdnd"
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

// Three files dropped on the history window (as a file manager drops
// them: XDND, text/uri-list) upload as one batch through the tray app:
// one progress notification updated in place, one outcome, the three
// links on the clipboard. A file dropped on the editor opens in an
// editor of its own.
func TestDropFilesOnTheWindows(t *testing.T) {
	d := newDesk(t, deskOpts{config: `{"capture":{"keep_local":false}}`, server: cxtest.Config{Delay: 300 * time.Millisecond}})
	d.start()
	var files []string
	for _, name := range []string{"drop one.png", "drop-two.png", "drop-three.png"} {
		files = append(files, writePNG(t, d.u.home, name, 64, 48, true))
	}
	_, win := d.openHistory("imagecx History", 60*time.Second)
	d.hasIcon(win)
	from := len(d.notes.All())
	d.drop(win, files)
	end := d.notes.Wait(t, from, 30*time.Second, titled("Uploaded 3 images — links copied"))
	var progress int
	for _, n := range d.notes.All()[from:] {
		switch {
		case strings.HasPrefix(n.Title, "Uploading 3 files"):
			progress++
			if n.ID != end.ID {
				t.Errorf("a progress notification of its own: %+v (the outcome is %d)", n, end.ID)
			}
		case strings.HasPrefix(n.Title, "Uploaded") && n.ID != end.ID:
			t.Errorf("a notification per file: %+v", n)
		}
	}
	if progress == 0 {
		t.Error("no progress notification")
	}
	if got := uploadedNames(d.srv.Stored()); got != "drop one.png drop-two.png drop-three.png" {
		t.Errorf("uploaded %q", got)
	}
	if lines := strings.Split(string(d.clipboard("UTF8_STRING")), "\n"); len(lines) != 3 {
		t.Errorf("clipboard %q", lines)
	}

	// On the editor: the dropped image opens beside the one being edited.
	ed := exec.Command(binary, "edit", files[0])
	ed.Env = d.u.environ()
	if err := ed.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ed.Process.Kill(); ed.Wait() })
	first := d.waitWindow("imagecx editor", 60*time.Second)
	d.hasIcon(first)
	d.drop(first, files[1:2])
	poll.Until(t, 60*time.Second, "a second editor window", func() bool { return len(d.windows("imagecx editor")) == 2 })
	for _, w := range d.windows("imagecx editor") {
		d.tool("xdotool", "windowfocus", "--sync", w)
		d.key("Escape")
	}
	d.waitNoWindow("imagecx editor", 30*time.Second)
}

// drop drops files on the window win (an id as xdotool gives it), as a
// file manager does.
func (d *desk) drop(win string, files []string) {
	d.t.Helper()
	id, err := strconv.ParseUint(win, 10, 32)
	if err != nil {
		d.t.Fatalf("window id %q: %v", win, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := xdnd.Drop(ctx, d.x.Display, xproto.Window(id), 200, 200, files); err != nil {
		d.t.Fatalf("drop on %s: %v", win, err)
	}
}

// Upload files… in the tray menu opens the desktop's file chooser (the
// FileChooser portal: here one on the test's bus) for several images and
// videos, and what it gives uploads as one batch. Upload image from
// link… opens a window with the clipboard's link filled in; Enter
// uploads it under the file's name.
func TestUploadFilesAndALinkFromTheMenu(t *testing.T) {
	d := newDesk(t, deskOpts{config: `{"capture":{"keep_local":false}}`})
	fc := d.bus.FileChooserPortal(t)
	p := d.start()
	a := writePNG(t, d.u.home, "chosen-a.png", 40, 30, false)
	b := writePNG(t, d.u.home, "chosen-b.png", 30, 40, false)
	fc.ChooseFiles(a, b)
	from := len(d.notes.All())
	d.tray.Click(t, p.item, "Upload files…")
	d.notes.Wait(t, from, 30*time.Second, titled("Uploaded 2 images — links copied"))
	if got := uploadedNames(d.srv.Stored()); got != "chosen-a.png chosen-b.png" {
		t.Errorf("uploaded %q", got)
	}
	if calls := fc.Calls(); len(calls) != 1 || !calls[0].Multiple || calls[0].Title != "Upload files" || !slices.Contains(calls[0].MIMETypes, "video/mp4") {
		t.Errorf("the chooser was asked %+v", calls)
	}

	img, _ := os.ReadFile(writePNG(t, d.u.home, "src.png", 24, 24, false))
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(img) }))
	defer site.Close()
	d.copyToClipboard("UTF8_STRING", []byte(site.URL+"/pictures/harbour.png"))
	from = len(d.notes.All())
	d.tray.Click(t, p.item, "Upload image from link…")
	win := d.waitWindow("Upload image from link", 60*time.Second)
	d.hasIcon(win)
	d.tool("xdotool", "windowfocus", "--sync", win)
	d.key("Return")
	d.notes.Wait(t, from, 30*time.Second, titled("Uploaded — link copied"))
	d.waitNoWindow("Upload image from link", 10*time.Second)
	stored := d.srv.Stored()
	if last := stored[len(stored)-1]; last.FileName != "harbour.png" || !bytes.Equal(last.Data, img) {
		t.Errorf("uploaded %q (%d bytes)", last.FileName, len(last.Data))
	}
}

// With no tray app running, `imagecx open` uploads the files itself,
// with the same one notification: the progress, then how it went in its
// place. `imagecx upload a b c` stopped with Ctrl+C sends no more and
// says how far it got.
func TestOpenWithoutTheTrayAppAndCtrlC(t *testing.T) {
	d := newDesk(t, deskOpts{config: `{"capture":{"keep_local":false}}`, server: cxtest.Config{Delay: 800 * time.Millisecond}})
	var files []string
	for _, name := range []string{"alone-1.png", "alone-2.png", "alone-3.png"} {
		files = append(files, writePNG(t, d.u.home, name, 48, 32, false))
	}
	if r := d.u.run("", append([]string{"open"}, files...)...); r.code != 0 {
		t.Fatalf("open:\n%s", r)
	}
	notes := d.notes.All()
	if len(notes) < 2 {
		t.Fatalf("notes: %+v", notes)
	}
	end := notes[len(notes)-1]
	if end.Title != "Uploaded 3 images — links copied" || !strings.HasPrefix(notes[0].Title, "Uploading 3 files") {
		t.Errorf("notes %+v", notes)
	}
	for _, n := range notes[1:] {
		if n.ID != notes[0].ID {
			t.Errorf("a notification of its own: %+v", n)
		}
	}

	before := len(d.srv.Stored())
	cmd := exec.Command(binary, append([]string{"upload"}, files...)...)
	cmd.Env = d.u.environ()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 30*time.Second, "the first file stored", func() bool { return len(d.srv.Stored()) > before })
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if got := len(d.srv.Stored()) - before; got > 2 || err == nil || !strings.Contains(stderr.String(), "of 3 uploaded; the rest was not sent.") {
		t.Errorf("after Ctrl+C: %d stored, %v\n%s", got, err, stderr.String())
	}
}
