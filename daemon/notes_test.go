package daemon

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

	"imagecx/action"
	"imagecx/assets"
	"imagecx/capture"
	"imagecx/explain"
	"imagecx/hotkeys"
	"imagecx/notify"
	"imagecx/outbox"
	"imagecx/region"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/uploader"
)

func TestTrayStatus(t *testing.T) {
	badKey := &uploader.Error{Kind: uploader.ErrBadKey, Detail: "check the key in Settings or run `imagecx key set`"}
	refused := &uploader.Error{Kind: uploader.ErrServer, Status: 502, Attempts: 4}
	for _, c := range []struct {
		name string
		s    status
		icon assets.State
		text string
	}{
		{"fresh", status{}, assets.Idle, "ready"},
		{"no key", status{noKey: true}, assets.Idle, "no API key: captures are saved and copied as images; open Settings… to add one"},
		{"key unreadable", status{keyErr: errors.New("dbus: timeout")}, assets.Error, "the API key could not be read; captures are saved and copied"},
		{"uploading", status{busy: true, uploads: 1, current: "a.png"}, assets.Busy, "uploading a.png…"},
		{"queue", status{busy: true, uploads: 3, current: "a.png"}, assets.Busy, "uploading a.png (2 more waiting)…"},
		{"busy beats a failure", status{busy: true, uploads: 1, current: "b.png", last: refused}, assets.Busy, "uploading b.png…"},
		{"uploaded", status{uploaded: true}, assets.Idle, "link copied"},
		{"not copied", status{uploaded: true, copyErr: errors.New("x")}, assets.Idle, "uploaded; the link is in Recent uploads (copying failed)"},
		{"failed", status{uploaded: true, last: badKey}, assets.Error, "the last upload failed: image.cx rejected the API key: check the key in Settings or run `imagecx key set`."},
		{"failed, first sentence only", status{uploaded: true, last: refused}, assets.Error, "the last upload failed: the server failed (HTTP 502 Bad Gateway); try again later."},
		{"failed, to be tried again", status{uploaded: true, last: refused, retrying: 1}, assets.Error, "the last upload failed and is tried again soon (1 waiting): the server failed (HTTP 502 Bad Gateway); try again later."},
		{"no key is not a failure", status{uploaded: true, last: &uploader.Error{Kind: uploader.ErrNoKey}, noKey: true}, assets.Idle, "no API key: captures are saved and copied as images; open Settings… to add one"},
	} {
		icon, text := trayStatus(c.s)
		if icon != c.icon || text != c.text {
			t.Errorf("%s: %s %q, want %s %q", c.name, icon, text, c.icon, c.text)
		}
	}
}

func TestResultNote(t *testing.T) {
	saved := outbox.Job{Job: shot.Job{Name: "s.png", File: "/p/s.png"}}
	unsaved := outbox.Job{Job: shot.Job{Name: "u.png", SaveErr: errors.New("save the capture: disk full")}}
	clipped := outbox.Job{Job: shot.Job{Name: "c.png", FromClipboard: true}}
	tooBig := &uploader.Error{Kind: uploader.ErrTooLarge, Detail: "6.0 MB, the limit is 5.0 MB"}
	for _, c := range []struct {
		name          string
		out           outbox.Outcome
		notify, sound bool
		show          bool
		title, body   string
		urgency       notify.Urgency
		soundName     string
	}{
		{"one link", outbox.Outcome{Jobs: []outbox.Job{saved}, Results: []uploader.Result{{URL: "u"}}, Links: []string{"u"}}, true, true,
			true, "Uploaded — link copied", "u", notify.Normal, "screen-capture"},
		{"uploaded, not saved", outbox.Outcome{Jobs: []outbox.Job{unsaved}, Results: []uploader.Result{{URL: "u"}}, Links: []string{"u"}}, false, false,
			true, "Uploaded — link copied", "u\nNo copy is kept on this computer: save the capture: disk full.", notify.Normal, ""},
		{"notifications off", outbox.Outcome{Jobs: []outbox.Job{saved}, Results: []uploader.Result{{URL: "u"}}, Links: []string{"u"}}, false, false,
			false, "Uploaded — link copied", "u", notify.Normal, ""},
		{"fitted", outbox.Outcome{Jobs: []outbox.Job{saved}, Results: []uploader.Result{{URL: "u"}}, Links: []string{"u"}, Fitted: []string{"uploaded as JPEG q90 to fit 5.0 MB"}}, true, false,
			true, "Uploaded — link copied", "u\nUploaded as JPEG q90 to fit 5.0 MB.", notify.Normal, ""},
		{"moderated", outbox.Outcome{Jobs: []outbox.Job{saved}, Results: []uploader.Result{{ViewerURL: "v", AwaitingApproval: true}}, Links: []string{"v"}}, true, false,
			true, "Uploaded — link copied", "v\nThe site reviews uploads first: this is the viewer page, visible once approved.", notify.Normal, ""},
		{"two, not copied", outbox.Outcome{Jobs: []outbox.Job{clipped, clipped}, Results: []uploader.Result{{}, {}}, Links: []string{"a", "b"}, CopyErr: errors.New("wl-copy: exit status 1")}, true, false,
			true, "Uploaded 2 images — links not copied", "a\nb\nCopying to the clipboard failed: wl-copy: exit status 1.", notify.Normal, ""},
		{"failed, saved", outbox.Outcome{Jobs: []outbox.Job{saved}, Err: tooBig}, false, true,
			true, "Upload failed", "The file is too large: 6.0 MB, the limit is 5.0 MB.\nThe capture is saved at /p/s.png.", notify.Critical, ""},
		{"failed, not saved", outbox.Outcome{Jobs: []outbox.Job{unsaved}, Err: tooBig}, true, false,
			true, "Upload failed", "The file is too large: 6.0 MB, the limit is 5.0 MB.\nIt could not be saved either, so the image is on the clipboard. Save the capture: disk full.", notify.Critical, ""},
		{"partly", outbox.Outcome{Jobs: []outbox.Job{clipped, clipped, clipped}, Results: []uploader.Result{{}, {}}, Links: []string{"a", "b"}, Err: tooBig}, true, false,
			true, "1 of 3 uploads failed", "The file is too large: 6.0 MB, the limit is 5.0 MB.\n2 of 3 uploaded; their links are copied.", notify.Critical, ""},
		{"no key", outbox.Outcome{Jobs: []outbox.Job{saved}, Err: &uploader.Error{Kind: uploader.ErrNoKey}}, false, false,
			true, "Screenshot copied as an image", "No image.cx API key is set, so nothing was uploaded. Add one with Settings… in the tray menu, or run `imagecx key set`.\nSaved at /p/s.png.", notify.Normal, ""},
		{"no key, clipboard", outbox.Outcome{Jobs: []outbox.Job{clipped}, Err: &uploader.Error{Kind: uploader.ErrNoKey}}, true, false,
			true, "Not uploaded: no API key", "No image.cx API key is set, so nothing was uploaded. Add one with Settings… in the tray menu, or run `imagecx key set`.", notify.Normal, ""},
	} {
		n, show := resultNote(c.out, c.notify, c.sound)
		if show != c.show || n.Title != c.title || n.Body != c.body || n.Urgency != c.urgency || n.Sound != c.soundName {
			t.Errorf("%s:\n got %v %q %q %v %q\nwant %v %q %q %v %q", c.name, show, n.Title, n.Body, n.Urgency, n.Sound, c.show, c.title, c.body, c.urgency, c.soundName)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	server := &uploader.Error{Kind: uploader.ErrServer, Status: 502}
	delays := []time.Duration{time.Second, time.Minute}
	for _, tc := range []struct {
		name       string
		attempts   int
		retryAfter time.Duration
		want       time.Duration
	}{
		{"first failure", 1, 0, time.Second},
		{"second", 2, 0, time.Minute},
		{"the last delay repeats: nothing is given up", 9, 0, time.Minute},
		{"the site asks for an hour", 1, time.Hour, time.Hour},
		{"the site asks for less than the plan", 2, time.Millisecond, time.Minute},
		{"never tried (a crash before the first)", 0, 0, time.Second},
	} {
		if got := outbox.RetryDelay(tc.attempts, delays, tc.retryAfter); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	n, _ := resultNote(outbox.Outcome{Jobs: []outbox.Job{{Job: shot.Job{File: "/p/a.png"}}}, Err: server, RetryIn: 2 * time.Minute}, true, false)
	if !strings.HasSuffix(n.Body, "The capture is saved at /p/a.png.\nimagecx tries again in 2 min.") {
		t.Errorf("note %q", n.Body)
	}
	if got := explain.Duration(30 * time.Second); got != "30 s" {
		t.Errorf("explain.Duration %q", got)
	}
}

func TestFailureNote(t *testing.T) {
	for _, c := range []struct {
		id    action.ID
		err   error
		title string
	}{
		{action.FullScreen, errors.New("capture the screen: read rows 0–136: EOF"), "Capture failed"},
		{action.Region, errors.New("region: read the frozen screen: EOF"), "Region capture failed"},
		{action.UploadClipboard, shot.ErrNoImage, "Nothing to upload"},
		{action.UploadClipboard, context.DeadlineExceeded, "Nothing to upload"},
		{action.RepeatRegion, region.ErrNoLast, "No region to repeat"},
		{action.RepeatRegion, capture.ErrUnsupported, "Capture failed"},
		{action.OpenSettings, errors.New("imagecx-settings is not installed"), "Settings could not be opened"},
		{action.Region, fmt.Errorf("pick: %w", capture.ErrDenied), "GNOME refuses screenshots"},
	} {
		if n := failureNote(c.id, c.err); n.Title != c.title || n.Body == "" {
			t.Errorf("%s %v: %+v", c.id, c.err, n)
		}
	}
	n := hotkeyNote(action.Region, &hotkeys.TakenError{Hotkey: hotkeys.Hotkey{Mods: hotkeys.Ctrl | hotkeys.Shift, Key: "2"}}, "/c/config.json")
	if n.Body != "Ctrl+Shift+2 is already used by another program (for Capture region). imagecx keeps running; choose another combination in Settings… or in /c/config.json." {
		t.Errorf("hotkey note %q", n.Body)
	}
}

func TestHotkeyPlan(t *testing.T) {
	plan := hotkeyPlan(settings.Hotkeys{action.FullScreen: "ctrl+shift+1", action.Region: "Ctrl+Banana", action.UploadClipboard: ""})
	if len(plan) != len(action.All) {
		t.Fatalf("%d planned for %d actions", len(plan), len(action.All))
	}
	for _, p := range plan {
		switch p.id {
		case action.FullScreen:
			if p.err != nil || p.key.String() != "Ctrl+Shift+1" {
				t.Errorf("full screen: %+v", p)
			}
		case action.Region:
			if p.err == nil || !strings.Contains(p.err.Error(), "Banana") {
				t.Errorf("region: %+v", p)
			}
		default:
			if p.combo != "" || p.err != nil {
				t.Errorf("%s: %+v", p.id, p)
			}
		}
	}
}

// Notes carry buttons for what they are about, and the capture's
// thumbnail.
func TestNoteActions(t *testing.T) {
	thumb := image.NewRGBA(image.Rect(0, 0, 4, 3))
	up := outbox.Job{ID: 7, Job: shot.Job{Name: "a.png", File: "/p/a.png", Thumb: thumb}}
	n, _ := resultNote(outbox.Outcome{Jobs: []outbox.Job{up}, Results: []uploader.Result{{URL: "u", DeleteURL: "d"}}, Links: []string{"u"}}, true, false)
	keys := func(n notify.Note) (k []string) {
		for _, a := range n.Actions {
			k = append(k, a.Key)
		}
		return k
	}
	if n.Tag != "up:7" || strings.Join(keys(n), ",") != "default,copy,folder,delete" || n.Image != thumb {
		t.Errorf("upload note %q %v", n.Tag, keys(n))
	}
	n, _ = resultNote(outbox.Outcome{Jobs: []outbox.Job{up}, Results: []uploader.Result{{URL: "u"}}, Links: []string{"u"}}, true, false)
	if strings.Join(keys(n), ",") != "default,copy,folder" {
		t.Errorf("no delete link, no Delete: %v", keys(n))
	}
	badKey := &uploader.Error{Kind: uploader.ErrBadKey}
	n, _ = resultNote(outbox.Outcome{Jobs: []outbox.Job{up}, Err: badKey, Failed: []outbox.Failure{{Job: up, Err: badKey}}}, true, false)
	if n.Tag != "fail:7" || strings.Join(keys(n), ",") != "retry,settings" {
		t.Errorf("failure note %q %v", n.Tag, keys(n))
	}
	n, _ = resultNote(outbox.Outcome{Jobs: []outbox.Job{{Job: shot.Job{Name: "x"}}}, Err: badKey, Failed: []outbox.Failure{{Job: outbox.Job{Job: shot.Job{Name: "x"}}, Err: badKey}}}, true, false)
	if n.Tag != "" || len(n.Actions) != 0 {
		t.Errorf("nothing recorded, no buttons: %q %v", n.Tag, keys(n))
	}
	if kind, ids := untag(tag("fail", []int64{3, 0, 9})); kind != "fail" || len(ids) != 2 || ids[1] != 9 {
		t.Errorf("untag %s %v", kind, ids)
	}
}

// The notes about the desktop say only what is true on it.
func TestDeskNotes(t *testing.T) {
	noGrab := errors.New("the X server refused the grab")
	cases := []struct {
		name          string
		f             deskFacts
		wayland       bool
		keysErr       error
		title, once   string
		want, notWant []string
	}{
		{"GNOME: no icon, no portal", deskFacts{tray: false, keys: false}, true, nil,
			"imagecx is running without a tray icon", "", []string{"AppIndicator", "no GlobalShortcuts portal", "`imagecx capture region`", "without the tray app"}, []string{"hotkeys still work", "tray menu"}},
		{"X11 without a tray host", deskFacts{tray: false, keys: true}, false, nil,
			"imagecx is running without a tray icon", "", []string{"The hotkeys still work."}, []string{"GlobalShortcuts"}},
		{"sway: an icon, no portal", deskFacts{tray: true, keys: false}, true, nil,
			"Hotkeys on Wayland", "wayland-hint", []string{"The tray menu works as it is.", "`imagecx capture full`"}, nil},
		{"no hotkeys, an icon", deskFacts{tray: true, keys: false}, false, noGrab,
			"No global hotkeys", "", []string{"refused the grab", "Use the tray menu"}, nil},
		{"no hotkeys, no icon", deskFacts{tray: false, keys: false}, false, noGrab,
			"imagecx is running without a tray icon", "", []string{"refused the grab", "`imagecx capture region`"}, []string{"tray menu", "still work"}},
		{"KDE: both", deskFacts{tray: true, keys: true}, true, nil, "", "", nil, nil},
	}
	for _, c := range cases {
		notes := deskNotes(c.f, c.wayland, c.keysErr)
		if c.title == "" {
			if len(notes) != 0 {
				t.Errorf("%s: %+v", c.name, notes)
			}
			continue
		}
		if len(notes) != 1 || notes[0].note.Title != c.title || notes[0].once != c.once {
			t.Errorf("%s: %+v", c.name, notes)
			continue
		}
		body := notes[0].note.Body
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: %q lacks %q", c.name, body, w)
			}
		}
		for _, w := range c.notWant {
			if strings.Contains(body, w) {
				t.Errorf("%s: %q says %q", c.name, body, w)
			}
		}
	}
}
