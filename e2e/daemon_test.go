package e2e

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"imagecx/hotkeys"
	"imagecx/hotkeys/global"
	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/poll"
	"imagecx/uploader/cxtest"
)

func TestHotkeyCapturesUploadsAndCopiesTheLink(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()

	d.key("ctrl+shift+1")
	stored := d.waitStored(1, 30*time.Second)
	equalsDesktop(t, stored[0].Data)
	if got := stored[0].Header.Get("X-API-Key"); got != d.srv.Key {
		t.Errorf("key header %q", got)
	}
	note := d.notes.Wait(t, 0, 10*time.Second, titled("Uploaded — link copied"))
	link := strings.TrimSpace(note.Body)
	if !strings.HasPrefix(link, d.srv.URL+"/images/") {
		t.Fatalf("notification body %q is not the direct link", note.Body)
	}
	if got := string(d.clipboard("UTF8_STRING")); got != link {
		t.Errorf("clipboard %q, want %q", got, link)
	}
	files := savedCaptures(t, d.u)
	if len(files) != 1 {
		t.Fatalf("saved captures: %v", files)
	}
	if data, _ := os.ReadFile(files[0]); !bytes.Equal(data, stored[0].Data) {
		t.Error("the saved capture differs from the upload")
	}
	// The tray survived the notification and the upload.
	if !d.bus.HasOwner(t, p.item) {
		t.Fatal("the tray item left the bus")
	}
	if _, err := d.tray.Property(p.item, "Title"); err != nil {
		t.Fatalf("tray item unreachable: %v", err)
	}
	d.tray.WaitItem(t, p.item, "1. "+link[:20], 5*time.Second) // recent uploads list it
	// A key that is not the hotkey does nothing.
	d.key("a")
	d.key("ctrl+shift+4")
	time.Sleep(300 * time.Millisecond)
	if n := len(d.srv.Requests()); n != 1 {
		t.Errorf("%d requests after unrelated keys", n)
	}
	// NumLock on: the hotkey still fires.
	d.key("Num_Lock")
	d.key("ctrl+shift+1")
	d.waitStored(2, 30*time.Second)
	d.key("Num_Lock")

	// Recent uploads: clicking a link copies it again.
	d.tray.Click(t, p.item, "1. ")
	if got := string(d.clipboard("UTF8_STRING")); !strings.HasPrefix(got, d.srv.URL+"/images/") {
		t.Errorf("after clicking a recent link the clipboard holds %q", got)
	}

	d.tray.Click(t, p.item, "Quit")
	code, took := p.exit(t, 30*time.Second) // a hang, not a speed
	t.Logf("quit took %v", took)
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

func TestMenuUploadsTheClipboardImage(t *testing.T) {
	d := newDesk(t, deskOpts{})
	p := d.start()
	menu := d.tray.Menu(t, p.item)
	for _, label := range []string{"Capture full screen", "Capture region", "Upload clipboard image", "Upload files…", "Upload image from link…", "Copy last link", "Recent uploads", "Open captures folder", "History…", "Settings…", "Quit"} {
		if _, ok := dbustest.Find(menu, label); !ok {
			t.Errorf("menu lacks %q: %s", label, dbustest.Labels(menu))
		}
	}
	// Each item shows its hotkey (dbusmenu's shortcut), once they are grabbed.
	poll.Until(t, 10*time.Second, "the hotkeys beside their items", func() bool {
		item, _ := dbustest.Find(d.tray.Menu(t, p.item), "Capture full screen")
		return reflect.DeepEqual(item.Shortcut, [][]string{{"Control", "Shift", "1"}})
	})

	// A multi-megabyte PNG (xclip sends it with INCR).
	img := writePNG(t, d.u.home, "clip.png", 1200, 900, true)
	data, _ := os.ReadFile(img)
	d.copyToClipboard("image/png", data)
	d.tray.Click(t, p.item, "Upload clipboard image")
	stored := d.waitStored(1, 30*time.Second)
	if !bytes.Equal(stored[0].Data, data) {
		t.Fatalf("uploaded %d bytes, not the clipboard's %d", len(stored[0].Data), len(data))
	}
	note := d.notes.Wait(t, 0, 10*time.Second, titled("Uploaded — link copied"))
	if got := string(d.clipboard("UTF8_STRING")); got != strings.TrimSpace(note.Body) {
		t.Errorf("clipboard %q, notification %q", got, note.Body)
	}
	if _, ok := note.Hints["image-data"]; !ok { // as a capture's has (#30)
		t.Error("the clipboard upload's notification has no thumbnail")
	}

	// Text on the clipboard: told so, nothing uploaded.
	from := len(d.notes.All())
	d.copyToClipboard("UTF8_STRING", []byte("just words"))
	d.tray.Click(t, p.item, "Upload clipboard image")
	n := d.notes.Wait(t, from, 10*time.Second, titled("Nothing to upload"))
	if !strings.Contains(n.Body, "The clipboard holds no image") {
		t.Errorf("body %q", n.Body)
	}
	if got := len(d.srv.Requests()); got != 1 {
		t.Errorf("%d requests: text must not be uploaded", got)
	}

	// Two image files copied in a file manager: both uploaded, links one per line.
	a := writePNG(t, d.u.home, "a.png", 30, 20, false)
	b := writePNG(t, d.u.home, "b.png", 20, 30, false)
	d.copyToClipboard("text/uri-list", []byte("file://"+a+"\nfile://"+b+"\n"))
	d.tray.Click(t, p.item, "Upload clipboard image")
	d.waitStored(3, 30*time.Second)
	d.notes.Wait(t, from, 10*time.Second, titled("Uploaded 2 images"))
	lines := strings.Split(string(d.clipboard("UTF8_STRING")), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "/a.png") || !strings.HasSuffix(lines[1], "/b.png") {
		t.Errorf("clipboard lines %q", lines)
	}
}

func TestFailuresAreExplainedAndNothingIsLost(t *testing.T) {
	d := newDesk(t, deskOpts{config: `{"upload":{"timeout_seconds":1}}`})
	d.u.env["IMAGECX_API_KEY"] = "chv_wrong_" + strings.Repeat("w", 100)
	p := d.start()

	cases := []struct {
		name   string
		faults []cxtest.Fault
		says   string
	}{
		{"wrong key", nil, "rejected the API key"},
		{"html 502", []cxtest.Fault{cxtest.HTML502, cxtest.HTML502, cxtest.HTML502, cxtest.HTML502}, "server failed"},
		// A server that has the whole upload and does not answer may have
		// stored it: not sent again.
		{"hang", []cxtest.Fault{cxtest.Hang}, "may have arrived"},
	}
	seen := map[string]bool{}
	for i, tc := range cases {
		if i == 1 {
			// From now on the key is right; restart with it.
			d.tray.Click(t, p.item, "Quit")
			p.exit(t, 5*time.Second)
			d.u.env["IMAGECX_API_KEY"] = d.srv.Key
			p = d.start()
		}
		d.srv.Script(tc.faults...)
		from := len(d.notes.All())
		d.key("ctrl+shift+1")
		n := d.notes.Wait(t, from, 30*time.Second, titled("Upload failed"))
		if !strings.Contains(n.Body, tc.says) {
			t.Errorf("%s: body %q does not say %q", tc.name, n.Body, tc.says)
		}
		if strings.Contains(n.Body, "chv_wrong") || strings.Contains(n.Body, "<html") || strings.Contains(n.Body, "invalid character") {
			t.Errorf("%s: body leaks the key or raw text: %q", tc.name, n.Body)
		}
		var fresh []string
		for _, f := range savedCaptures(t, d.u) {
			if !seen[f] {
				seen[f] = true
				fresh = append(fresh, f)
			}
		}
		if len(fresh) != 1 || !strings.Contains(n.Body, fresh[0]) {
			t.Errorf("%s: body %q does not name the new capture (%v)", tc.name, n.Body, fresh)
		}
		if !p.running() {
			t.Fatalf("%s: the daemon died", tc.name)
		}
	}
	// The next capture works.
	from := len(d.notes.All())
	d.key("ctrl+shift+1")
	d.waitStored(1, 30*time.Second)
	d.notes.Wait(t, from, 10*time.Second, titled("Uploaded — link copied"))
	if strings.Contains(d.logText(), d.srv.Key) || strings.Contains(d.logText(), "chv_wrong") {
		t.Error("the log contains a key")
	}

	// Quit in the middle of an upload: out within a second, capture kept.
	os.WriteFile(d.u.configDir()+"/config.json", []byte(`{"upload":{"timeout_seconds":60}}`), 0o600)
	d.srv.Script(cxtest.Hang)
	before := len(d.srv.Requests())
	d.key("ctrl+shift+1")
	poll.Until(t, 20*time.Second, "the upload to start", func() bool { return len(d.srv.Requests()) > before })
	poll.Until(t, 5*time.Second, "the tooltip to say uploading", func() bool {
		tip, _ := d.tray.Property(p.item, "ToolTip")
		return strings.Contains(tip.String(), "uploading")
	})
	d.tray.Click(t, p.item, "Quit")
	// Well before the upload's 60 s: the upload is cut off, not waited for.
	code, took := p.exit(t, 20*time.Second)
	t.Logf("quit during an upload took %v", took)
	if code != 0 {
		t.Errorf("exit %d after %v", code, took)
	}
	if n := len(savedCaptures(t, d.u)); n != len(cases)+2 {
		t.Errorf("%d captures on disk, want %d", n, len(cases)+2)
	}
}

func TestFirstRunWithoutKeyCopiesTheImage(t *testing.T) {
	d := newDesk(t, deskOpts{noKey: true})
	d.start()
	// First run: the settings window opens by itself. Esc closes it.
	win := d.waitWindow("Settings", 60*time.Second)
	d.tool("xdotool", "windowfocus", "--sync", win, "key", "Escape")
	d.waitNoWindow("Settings", 20*time.Second)
	d.key("ctrl+shift+1")
	n := d.notes.Wait(t, 0, 30*time.Second, titled("Screenshot copied as an image"))
	if !strings.Contains(n.Body, "Settings") {
		t.Errorf("body %q does not say how to add a key", n.Body)
	}
	files := savedCaptures(t, d.u)
	if len(files) != 1 {
		t.Fatalf("saved: %v", files)
	}
	saved, _ := os.ReadFile(files[0])
	if got := d.clipboard("image/png"); !bytes.Equal(got, saved) {
		t.Fatalf("clipboard holds %d bytes, the capture is %d", len(got), len(saved))
	}
	equalsDesktop(t, saved)
	if n := len(d.srv.Requests()); n != 0 {
		t.Errorf("%d requests without a key", n)
	}
}

func TestTakenHotkeyAndNoTrayHost(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	// Another program holds Ctrl+Shift+1 before imagecx starts.
	other, err := global.Open(d.x.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	hk, _ := hotkeys.Parse("Ctrl+Shift+1")
	if err := other.Register("other", hk); err != nil {
		t.Fatal(err)
	}
	p := d.start()
	n := d.notes.Wait(t, 0, 15*time.Second, titled("Hotkey not available"))
	if !strings.Contains(n.Body, "Ctrl+Shift+1") || !strings.Contains(n.Body, "config.json") {
		t.Errorf("body %q should name the hotkey and where to change it", n.Body)
	}
	n = d.notes.Wait(t, 0, 15*time.Second, titled("imagecx is running without a tray icon"))
	if !strings.Contains(n.Body, "AppIndicator") {
		t.Errorf("body %q should say how to get an icon", n.Body)
	}
	if !p.running() {
		t.Fatal("the daemon exited")
	}
	// The other program's key press is not ours; the region hotkey still is.
	d.key("ctrl+shift+1")
	d.key("ctrl+shift+2")
	d.waitLog("overlay shown", 1, 10*time.Second)
	d.key("Escape")
	d.waitLog("region cancelled", 1, 10*time.Second)
	select {
	case ev := <-other.Events():
		if ev.Name != "other" {
			t.Errorf("other program got %q", ev.Name)
		}
	case <-time.After(5 * time.Second):
		t.Error("the other program lost its hotkey")
	}
	p.cmd.Process.Signal(os.Interrupt)
	if code, _ := p.exit(t, 5*time.Second); code != 0 {
		t.Errorf("exit code %d after SIGINT", code)
	}
	// imagecx gave back what it grabbed, and never took the other
	// program's combination.
	third, err := global.Open(d.x.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	region, _ := hotkeys.Parse("Ctrl+Shift+2")
	if err := third.Register("region", region); err != nil {
		t.Errorf("Ctrl+Shift+2 is still held after imagecx quit: %v", err)
	}
	var taken *hotkeys.TakenError
	if err := third.Register("full", hk); !errors.As(err, &taken) {
		t.Errorf("Ctrl+Shift+1 is no longer the other program's: %v", err)
	}
}
