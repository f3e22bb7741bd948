// Package tray is imagecx's tray icon and menu (fyne.io/systray): on Linux
// a StatusNotifierItem with a com.canonical.dbusmenu menu, shown by KDE,
// xfce4-panel, GNOME with the AppIndicator extension and others.
//
// The tray only displays state and reports clicks: the daemon owns the
// state and calls Set from its one event loop.
package tray

import (
	"fmt"
	"sync"

	"fyne.io/systray"

	"imagecx/assets"
)

// Action is a menu command.
type Action int

const (
	CaptureFull Action = iota
	CaptureRegion
	RepeatRegion
	UploadClipboard
	CopyRecent // Click.Index says which
	OpenSettings
	Quit
)

// Click is one menu click.
type Click struct {
	Action Action
	Index  int
}

// MaxRecent is how many recent links the menu lists.
const MaxRecent = 10

// State is everything the tray shows.
type State struct {
	Icon   assets.State
	Status string   // tooltip and title, e.g. "imagecx — uploading…"
	Recent []string // links, newest first
}

// Icon is the running tray icon and its menu.
type Icon struct {
	clicks chan Click
	done   chan struct{}
	wg     sync.WaitGroup

	full, region, repeat, clip, settings, quit *systray.MenuItem
	recentMenu, recentNone                     *systray.MenuItem
	recent                                     [MaxRecent]*systray.MenuItem
	quitOnce                                   sync.Once
}

// Run shows the tray and blocks until Stop is called; it must run on the
// main goroutine (macOS needs the main thread). ready runs once the menu
// exists, on its own goroutine; exit runs when the tray is gone.
func Run(ready func(*Icon), exit func()) {
	t := &Icon{clicks: make(chan Click, 16), done: make(chan struct{})}
	systray.Run(func() {
		t.build()
		ready(t)
	}, func() {
		if exit != nil {
			exit()
		}
	})
}

func (t *Icon) build() {
	systray.SetIcon(assets.Icon(assets.Idle, 64))
	systray.SetTitle("imagecx")
	systray.SetTooltip("imagecx — ready")
	t.full = systray.AddMenuItem("Capture full screen", "Capture every monitor and upload it")
	t.region = systray.AddMenuItem("Capture region", "Drag a rectangle to capture and upload")
	t.repeat = systray.AddMenuItem("Repeat last region", "Capture the previous rectangle again")
	t.clip = systray.AddMenuItem("Upload clipboard image", "Upload the image or image files on the clipboard")
	systray.AddSeparator()
	t.recentMenu = systray.AddMenuItem("Recent uploads", "Click a link to copy it again")
	t.recentNone = t.recentMenu.AddSubMenuItem("(nothing uploaded yet)", "")
	t.recentNone.Disable()
	for i := range t.recent {
		t.recent[i] = t.recentMenu.AddSubMenuItem("", "Copy this link")
		t.recent[i].Hide()
	}
	systray.AddSeparator()
	t.settings = systray.AddMenuItem("Settings…", "API key, hotkeys and upload options")
	t.quit = systray.AddMenuItem("Quit", "Quit imagecx")

	// systray drops a click when nobody is receiving, so every item has a
	// reader at all times; each forwards into one channel.
	forward := func(item *systray.MenuItem, c Click) {
		t.wg.Add(1)
		go func() {
			defer t.wg.Done()
			for {
				select {
				case <-item.ClickedCh:
					select {
					case t.clicks <- c:
					case <-t.done:
						return
					}
				case <-t.done:
					return
				}
			}
		}()
	}
	forward(t.full, Click{Action: CaptureFull})
	forward(t.region, Click{Action: CaptureRegion})
	forward(t.repeat, Click{Action: RepeatRegion})
	forward(t.clip, Click{Action: UploadClipboard})
	forward(t.settings, Click{Action: OpenSettings})
	forward(t.quit, Click{Action: Quit})
	for i, item := range t.recent {
		forward(item, Click{Action: CopyRecent, Index: i})
	}
}

// Clicks delivers menu clicks.
func (t *Icon) Clicks() <-chan Click { return t.clicks }

// Set shows s. Call it from one goroutine (the daemon's loop).
func (t *Icon) Set(s State) {
	if s.Icon == "" {
		s.Icon = assets.Idle
	}
	systray.SetIcon(assets.Icon(s.Icon, 64))
	status := "imagecx — " + s.Status
	if s.Status == "" {
		status = "imagecx — ready"
	}
	systray.SetTooltip(status)
	systray.SetTitle(status)
	for i, item := range t.recent {
		if i < len(s.Recent) {
			item.SetTitle(RecentLabel(i, s.Recent[i]))
			item.Show()
		} else {
			item.Hide()
		}
	}
	if len(s.Recent) == 0 {
		t.recentNone.Show()
	} else {
		t.recentNone.Hide()
	}
}

// RecentLabel is a menu label for a link: numbered, and shortened in the
// middle when long so the host and the file name both stay visible.
func RecentLabel(i int, link string) string {
	const max = 60
	r := []rune(link)
	if len(r) > max {
		link = string(r[:30]) + "…" + string(r[len(r)-(max-31):])
	}
	// Underscores are mnemonics in dbusmenu labels.
	return fmt.Sprintf("%d. %s", i+1, escapeMnemonic(link))
}

func escapeMnemonic(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '_' {
			out = append(out, '_')
		}
		out = append(out, r)
	}
	return string(out)
}

// Stop ends the click forwarding and removes the tray; Run returns.
func (t *Icon) Stop() {
	t.quitOnce.Do(func() {
		close(t.done)
		t.wg.Wait()
		systray.Quit()
	})
}
