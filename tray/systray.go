//go:build !linux

package tray

import (
	"sync"

	"fyne.io/systray"

	"imagecx/action"
	"imagecx/assets"
)

// Icon is the running tray icon and its menu (fyne.io/systray).
type Icon struct {
	clicks chan Click
	done   chan struct{}
	wg     sync.WaitGroup

	recent   []*systray.MenuItem // the Recent uploads submenu's items, as recentEntries lists them
	retry    *systray.MenuItem   // Retry failed uploads
	cancel   *systray.MenuItem   // Cancel the rest
	stopItem *systray.MenuItem   // Stop recording
	actions  map[action.ID]*systray.MenuItem
	labels   map[action.ID]string // as shown, with the hotkey after a tab
	// others are the items of neither an action nor a link (Recent
	// uploads, Quit), by their place in menu(), with their labels.
	others   map[int]*systray.MenuItem
	shown    map[int]string
	quitOnce sync.Once
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

// build makes the menu from the model.
func (t *Icon) build() {
	systray.SetIcon(iconBytes(assets.Idle))
	systray.SetTitle("imagecx")
	systray.SetTooltip(Tooltip(""))
	t.actions, t.labels = map[action.ID]*systray.MenuItem{}, map[action.ID]string{}
	t.others, t.shown = map[int]*systray.MenuItem{}, map[int]string{}
	for i, e := range menu() {
		if e.Separator {
			systray.AddSeparator()
			continue
		}
		item := systray.AddMenuItem(e.Label, e.Tip)
		if e.Click.Action == "" && !e.retry && !e.cancel && !e.stop {
			t.others[i], t.shown[i] = item, e.Label
		}
		if e.retry {
			t.retry = item
			t.show(item, e)
		}
		if e.cancel {
			t.cancel = item
			t.show(item, e)
		}
		if e.stop {
			t.stopItem = item
			t.show(item, e)
		}
		if e.recent {
			for _, c := range e.Children {
				sub := item.AddSubMenuItem(c.Label, c.Tip)
				t.show(sub, c)
				if c.Click != (Click{}) {
					t.forward(sub, c.Click)
				}
				t.recent = append(t.recent, sub)
			}
			continue
		}
		if e.Click.Action != "" {
			t.actions[e.Click.Action], t.labels[e.Click.Action] = item, e.Label
		}
		t.forward(item, e.Click)
	}
}

// label is an action item's title: the hotkey after a tab, which Windows
// menus show right-aligned.
func label(e string, hotkey string) string {
	if hotkey == "" {
		return e
	}
	return e + "\t" + hotkey
}

// show gives item e's label and state.
func (t *Icon) show(item *systray.MenuItem, e entry) {
	item.SetTitle(e.Label)
	if e.Disabled {
		item.Disable()
	}
	if e.Hidden {
		item.Hide()
	} else {
		item.Show()
	}
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
	for i, e := range recentEntries(s.Recent) {
		t.show(t.recent[i], e)
	}
	t.show(t.retry, retryEntry(s.Failed))
	t.show(t.cancel, cancelEntry(s.Batch))
	t.show(t.stopItem, stopEntry(s.Recording))
	for i, a := range menu() { // the labels now, in the language now
		id := a.Click.Action
		if item := t.actions[id]; item != nil {
			if l := label(a.Label, s.Hotkeys[id]); l != t.labels[id] {
				item.SetTitle(l)
				item.SetTooltip(a.Tip)
				t.labels[id] = l
			}
		}
		if item := t.others[i]; item != nil && t.shown[i] != a.Label {
			item.SetTitle(a.Label)
			item.SetTooltip(a.Tip)
			t.shown[i] = a.Label
		}
	}
}

// Stop ends the click forwarding and removes the tray; Run returns.
func (t *Icon) Stop() {
	t.quitOnce.Do(func() {
		close(t.done)
		t.wg.Wait()
		systray.Quit()
	})
}
