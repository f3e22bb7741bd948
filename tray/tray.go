// Package tray is imagecx's tray icon and menu. On Linux it is a
// StatusNotifierItem with a com.canonical.dbusmenu menu (KDE, xfce4-panel,
// GNOME with the AppIndicator extension and others show it), spoken on a
// session bus connection of its own that is made again when the bus comes
// back; elsewhere fyne.io/systray draws it.
//
// The tray only displays state and reports clicks: the daemon owns the
// state and calls Set from its one event loop.
package tray

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"imagecx/action"
	"imagecx/assets"
	"imagecx/hotkeys"
	"imagecx/i18n"
)

// Click is one menu click: an action's item, a recent link's, or Quit.
type Click struct {
	Action action.ID // an action's item
	Recent int       // Recent uploads: the link's number, from 1; 0 for other items
	Retry  bool      // Retry failed uploads
	Cancel bool      // Cancel the rest (of the batch being uploaded)
	Stop   bool      // Stop recording
	Quit   bool
}

// MaxRecent is how many recent links the menu lists.
const MaxRecent = 10

// State is everything the tray shows.
type State struct {
	Icon   assets.State
	Status string   // tooltip and title, e.g. "imagecx — uploading…"
	Recent []string // links, newest first
	Failed int      // failed uploads: "Retry failed uploads (N)" when there are any
	// Hotkeys are the hotkeys that work now ("Ctrl+Shift+1"), shown
	// beside their items; none where the desktop gives no hotkeys.
	Hotkeys map[action.ID]string
	// Batch is set while several files upload as one batch: "Cancel the
	// rest" shows.
	Batch bool
	// Recording is set while the screen is recorded: "Stop recording"
	// shows.
	Recording bool
}

// shortcutKeys is a hotkey as dbusmenu's "shortcut" lists its keys
// (["Control", "Shift", "1"]); nil for none or one it cannot read.
func shortcutKeys(hotkey string) []string {
	h, err := hotkeys.Parse(hotkey)
	if err != nil {
		return nil
	}
	var keys []string
	for _, m := range []struct {
		mod  hotkeys.Mod
		name string
	}{{hotkeys.Ctrl, "Control"}, {hotkeys.Shift, "Shift"}, {hotkeys.Alt, "Alt"}, {hotkeys.Super, "Super"}} {
		if h.Mods&m.mod != 0 {
			keys = append(keys, m.name)
		}
	}
	return append(keys, h.Key)
}

// entry is one item of the menu, as every backend builds it.
type entry struct {
	Label, Tip string
	Shortcut   string // the hotkey shown beside the label, "" for none
	Click      Click  // what a click means; zero for separators and submenus
	Separator  bool
	Disabled   bool
	Hidden     bool
	Children   []entry
	// recent marks the Recent uploads submenu, whose children Set fills;
	// retry the item Set shows with the number of failed uploads, cancel
	// the one it shows during a batch.
	recent, retry, cancel, stop bool
}

// menu is the tray menu: the actions section by section, the recent
// uploads before the app's own items, and Quit.
func menu() []entry {
	var m []entry
	add := func(sec action.Section) {
		for _, a := range action.All {
			if a.Section == sec && a.Here() {
				m = append(m, entry{Label: a.Title(), Tip: a.Tip(), Click: Click{Action: a.ID}})
			}
		}
	}
	add(action.Capture)
	m = append(m, stopEntry(false), entry{Separator: true})
	add(action.Upload)
	m = append(m, cancelEntry(false), retryEntry(0), entry{Separator: true})
	recent := entry{Label: i18n.T("Recent uploads"), Tip: i18n.T("Click a link to copy it again"), recent: true}
	recent.Children = recentEntries(nil)
	m = append(m, recent, entry{Separator: true})
	add(action.App)
	return append(m, entry{Label: i18n.T("Quit"), Tip: i18n.T("Quit imagecx"), Click: Click{Quit: true}})
}

// cancelEntry is "Cancel the rest", shown while a batch uploads.
func cancelEntry(batch bool) entry {
	return entry{Label: i18n.T("Cancel the rest"), Tip: i18n.T("Stop the files of this batch that are not uploaded yet; Retry sends them later"),
		Click: Click{Cancel: true}, Hidden: !batch, cancel: true}
}

// stopEntry is "Stop recording", shown while the screen is recorded.
func stopEntry(recording bool) entry {
	return entry{Label: i18n.T("Stop recording"), Tip: i18n.T("End the recording, then save and upload it"),
		Click: Click{Stop: true}, Hidden: !recording, stop: true}
}

// retryEntry is "Retry failed uploads (N)", hidden while none failed.
func retryEntry(failed int) entry {
	return entry{Label: i18n.T("Retry failed uploads ({{.n}})", "n", failed), Tip: i18n.T("Try every failed upload again now"),
		Click: Click{Retry: true}, Hidden: failed == 0, retry: true}
}

// recentEntries are the Recent uploads submenu's items for links: the
// "nothing yet" line, then MaxRecent slots, those without a link hidden.
func recentEntries(links []string) []entry {
	out := []entry{{Label: i18n.T("(nothing uploaded yet)"), Disabled: true, Hidden: len(links) > 0}}
	for i := range MaxRecent {
		e := entry{Tip: i18n.T("Copy this link"), Click: Click{Recent: i + 1}, Hidden: true}
		if i < len(links) {
			e.Label, e.Hidden = RecentLabel(i, links[i]), false
		}
		out = append(out, e)
	}
	return out
}

// maxTooltip is the longest tooltip, in UTF-16 units: Windows keeps 127.
const maxTooltip = 127

// Tooltip is the icon's tooltip for status: "imagecx — " and the status,
// cut with "…" to what every tray shows whole.
func Tooltip(status string) string {
	if status == "" {
		status = i18n.T("ready")
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
