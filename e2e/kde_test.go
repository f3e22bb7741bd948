package e2e

import (
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/kde"
	"imagecx/internal/testkit/poll"
	"imagecx/uploader/cxtest"
)

// imagecx on a real KDE Plasma 5.27 on Wayland: its hotkeys registered
// through the GlobalShortcuts portal (xdg-desktop-portal-kde 5.27 takes
// them only from CreateSession) and fired through kglobalaccel; the link
// on the Wayland clipboard, where Wayland programs read it with no window
// of ours focused; a region chosen on imagecx's own overlay; the icon in
// Plasma's tray; and no note that says otherwise.
func TestKDEOnWayland(t *testing.T) {
	k := kde.Start(t, 1920, 1080)
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	for key, v := range k.Env {
		u.env[key] = v
	}
	u.env["IMAGECX_ENDPOINT"], u.env["IMAGECX_API_KEY"] = srv.URL, srv.Key

	// No Pictures folder, where KDE's portal writes (without one it
	// answered as if cancelled): the first capture must work all the same.
	os.RemoveAll(filepath.Join(k.Env["HOME"], "Pictures"))

	from := len(k.Notes.All())
	gnomeRun(t, u) // the tray app, until the test ends
	poll.Until(t, 30*time.Second, "imagecx's shortcuts in kglobalaccel", func() bool {
		names := k.Shortcuts("imagecx")
		return slices.Contains(names, "full_screen") && slices.Contains(names, "region")
	})
	poll.Until(t, 30*time.Second, "the icon in Plasma's tray", func() bool { return len(k.TrayItems()) > 0 })

	k.InvokeShortcut(t, "imagecx", "full_screen")
	poll.Until(t, 30*time.Second, "the hotkey's upload", func() bool { return len(srv.Stored()) == 1 })
	n := k.Notes.Wait(t, from, 10*time.Second, titled("Uploaded — link copied"))
	link := strings.TrimSpace(strings.SplitN(n.Body, "\n", 2)[0])
	poll.Until(t, 10*time.Second, "the link on the Wayland clipboard", func() bool {
		return k.Tool(t, "wl-paste", "--no-newline") == link
	})

	// A region: Ctrl+Shift+2, one drag on the overlay, Enter; once the
	// screen there holds still (Plasma paints its wallpaper a while after
	// it starts).
	area := image.Rect(100, 100, 800, 500)
	// These captures only tell when the screen holds still, and the
	// desktop's portal has been seen to fail one under load (a CI run
	// ended here, KWin's log saying "libpng error: Write Error"): a
	// failed one is logged and tried again.
	screen := func() image.Image {
		path := filepath.Join(t.TempDir(), "screen.png")
		for try := 1; ; try++ {
			r := u.run("", "capture", "full", "--no-upload", "-o", path)
			if r.code == 0 {
				break
			}
			if try == 3 {
				t.Fatalf("capture full, 3 times:\n%s", r)
			}
			t.Logf("capture full (try %d):\n%s", try, r)
		}
		data, _ := os.ReadFile(path)
		img, err := imgdiff.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	before := screen()
	poll.Until(t, 30*time.Second, "the screen to hold still", func() bool {
		now := screen()
		still := imgdiff.Count(imgdiff.RGBA(now).SubImage(area), before, area) == 0
		before = now
		return still
	})
	// The portal's screenshot fails now and then on a loaded machine
	// (KWin's image cut short: "libpng error: Read Error"); the tray app
	// says so, and the person presses the shortcut again, as here.
	overlay := func() bool {
		return strings.TrimSpace(k.Tool(t, "xdotool", "search", "--onlyvisible", "--name", "imagecx region")) != ""
	}
	for try := 1; ; try++ {
		k.InvokeShortcut(t, "imagecx", "region")
		deadline := time.Now().Add(20 * time.Second)
		for !overlay() && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
		}
		if overlay() {
			break
		}
		if try == 3 {
			t.Fatal("no overlay after the region shortcut, 3 times")
		}
		t.Logf("no overlay after the region shortcut (try %d); again", try)
	}
	time.Sleep(500 * time.Millisecond)
	k.Tool(t, "xdotool", "mousemove", "100", "100", "mousedown", "1", "mousemove", "450", "300", "mousemove", "800", "500", "mouseup", "1")
	k.Tool(t, "xdotool", "key", "Return")
	poll.Until(t, 30*time.Second, "the region's upload", func() bool { return len(srv.Stored()) == 2 })
	got, err := imgdiff.Decode(srv.Stored()[1].Data)
	if err != nil {
		t.Fatal(err)
	}
	// The screen as it was before the hotkey, or (should something on it
	// have changed in between) as it is now.
	if n := imgdiff.Count(got, before, area); n != 0 {
		if m := imgdiff.Count(got, screen(), area); m != 0 {
			t.Errorf("the region differs from the screen there in %d pixels (%d from the screen after)", n, m)
		}
	}

	for _, n := range k.Notes.All()[from:] {
		if strings.HasPrefix(n.Title, "imagecx is running without a tray icon") || strings.HasPrefix(n.Title, "Hotkeys on Wayland") || strings.HasPrefix(n.Title, "No global hotkeys") {
			t.Errorf("a false note on KDE: %q %q", n.Title, n.Body)
		}
	}
}
