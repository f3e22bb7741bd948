// Package tray is imagecx's tray icon and menu (fyne.io/systray): on Linux
// a StatusNotifierItem with a com.canonical.dbusmenu menu, shown by KDE,
// xfce4-panel, GNOME with the AppIndicator extension and others.
//
// The tray only displays state and reports clicks: the daemon owns the
// state and calls Set from its one event loop.
package tray

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"

	"fyne.io/systray"

	"imagecx/action"
	"imagecx/assets"
)

// Click is one menu click: an action's item, a recent link's, or Quit.
type Click struct {
	Action action.ID // an action's item
	Recent int       // Recent uploads: the link's number, from 1; 0 for other items
	Quit   bool
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

	recentMenu, recentNone *systray.MenuItem
	recent                 [MaxRecent]*systray.MenuItem
	quitOnce               sync.Once
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

// build makes the menu: the actions section by section, the recent
// uploads before the app's own items, and Quit.
func (t *Icon) build() {
	systray.SetIcon(iconBytes(assets.Idle))
	systray.SetTitle("imagecx")
	systray.SetTooltip("imagecx — ready")
	addActions := func(sec action.Section) {
		for _, a := range action.All {
			if a.Section == sec {
				t.forward(systray.AddMenuItem(a.Label, a.Description), Click{Action: a.ID})
			}
		}
	}
	addActions(action.Capture)
	systray.AddSeparator()
	addActions(action.Upload)
	systray.AddSeparator()
	t.recentMenu = systray.AddMenuItem("Recent uploads", "Click a link to copy it again")
	t.recentNone = t.recentMenu.AddSubMenuItem("(nothing uploaded yet)", "")
	t.recentNone.Disable()
	for i := range t.recent {
		t.recent[i] = t.recentMenu.AddSubMenuItem("", "Copy this link")
		t.recent[i].Hide()
		t.forward(t.recent[i], Click{Recent: i + 1})
	}
	systray.AddSeparator()
	addActions(action.App)
	t.forward(systray.AddMenuItem("Quit", "Quit imagecx"), Click{Quit: true})
}

// forward sends item's clicks to Clicks. systray drops a click when nobody
// is receiving, so every item has a reader at all times; each forwards into
// one channel until Stop.
func (t *Icon) forward(item *systray.MenuItem, c Click) {
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

// Clicks delivers menu clicks.
func (t *Icon) Clicks() <-chan Click { return t.clicks }

// Set shows s. Call it from one goroutine (the daemon's loop).
func (t *Icon) Set(s State) {
	if s.Icon == "" {
		s.Icon = assets.Idle
	}
	systray.SetIcon(iconBytes(s.Icon))
	status := Tooltip(s.Status)
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

// maxTooltip is the longest tooltip, in UTF-16 units: Windows keeps 127.
const maxTooltip = 127

// Tooltip is the icon's tooltip for status: "imagecx — " and the status,
// cut with "…" to what every tray shows whole.
func Tooltip(status string) string {
	if status == "" {
		status = "ready"
	}
	s := "imagecx — " + status
	if len(utf16.Encode([]rune(s))) <= maxTooltip {
		return s
	}
	r := []rune(s)
	for len(utf16.Encode(r)) > maxTooltip-1 {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ,;:") + "…"
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
