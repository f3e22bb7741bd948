package daemon

import (
	"context"
	"errors"
	"time"

	"imagecx/action"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/hotkeys"
	"imagecx/hotkeys/global"
	"imagecx/i18n"
	"imagecx/notify"
	"imagecx/programs"
	"imagecx/settings"
	"imagecx/tray"
)

// applied puts the current snapshot to work: the hotkeys (grabbed again on
// the screen worker), and what there is to say about the settings. At the
// first apply it also binds the desktop's shortcuts (Wayland) and opens
// the settings window when no key is stored.
func (d *Daemon) applied(ctx context.Context, first bool) {
	s := d.snap
	if s.Lang != "" {
		i18n.Use(s.Lang) // the menu, the tooltip and what is said from now on
	}
	var corrupt *settings.CorruptError
	var kept *settings.KeptError
	switch {
	case errors.As(s.ConfigErr, &corrupt):
		d.log.Warn("settings file moved aside; defaults used", "err", s.ConfigErr)
		d.say(notify.Note{Title: i18n.T("Settings reset"), Body: explain.Error(s.ConfigErr), Urgency: notify.Critical})
	case errors.As(s.ConfigErr, &kept):
		d.log.Warn("settings file unusable; the settings in use are kept", "err", s.ConfigErr)
		d.say(notify.Note{Title: i18n.T("Settings not applied"), Body: explain.Error(s.ConfigErr), Urgency: notify.Critical})
	case s.ConfigErr != nil:
		d.log.Warn("settings unreadable; defaults used", "err", s.ConfigErr)
		d.say(notify.Note{Title: i18n.T("Settings not read"), Body: explain.Error(s.ConfigErr) + " " + i18n.T("imagecx uses the default settings."), Urgency: notify.Critical})
	}
	if s.KeyErr != nil {
		d.log.Warn("API key unreadable", "err", s.KeyErr)
	}
	switch {
	case s.ClientErr != nil && s.Config.Upload.Destination != "":
		d.log.Warn("custom uploader unusable", "uploader", s.Config.Upload.Destination, "err", s.ClientErr)
		d.say(notify.Note{Title: i18n.T("Uploads cannot start"), Body: explain.Error(s.ClientErr) + " " +
			i18n.T("Captures are saved and wait; `imagecx uploader default image.cx` sends them to image.cx instead."), Urgency: notify.Critical})
	case s.ClientErr != nil:
		d.log.Warn("endpoint unusable", "err", s.ClientErr)
		d.say(notify.Note{Title: i18n.T("Uploads cannot start"), Body: explain.Error(s.ClientErr) + " " + i18n.T("Change it in Settings… (General)."), Urgency: notify.Critical})
	}
	if s.Destination != "" {
		d.log.Info("captures go to a custom uploader", "uploader", s.Destination)
	}
	if d.deps.Hotkeys != nil && d.paused == nil { // else they are taken back with the new ones
		d.grab(ctx, s.Config.Hotkeys, s.ConfigPath)
	}
	d.show()
	if !first {
		return
	}
	switch {
	case d.deps.BindShortcuts != nil:
		d.bind(ctx, s.Config.Hotkeys)
	case d.deps.HotkeysErr != nil:
		d.log.Warn("no global hotkeys", "err", d.deps.HotkeysErr)
		d.learnKeys(false)
	default:
		d.learnKeys(d.deps.Hotkeys != nil)
	}
	d.historyTrouble(ctx)
	if s.NoKey && s.KeyErr == nil && d.deps.Settings != nil {
		d.log.Info("no API key: opening the settings")
		d.openSettings(ctx)
	}
}

// reload reads the settings again on a goroutine (the keyring may take a
// moment) and applies them.
func (d *Daemon) reload(ctx context.Context) {
	d.go_(ctx, func(ctx context.Context) {
		snap := d.deps.Load(ctx)
		d.post(ctx, func(d *Daemon) {
			d.log.Info("settings reloaded")
			d.snap = snap
			d.applied(ctx, false)
		})
	})
}

// planned is one hotkey to register.
type planned struct {
	id    action.ID
	combo string // as written; "" for none
	key   hotkeys.Hotkey
	err   error // the combination could not be read
}

// hotkeyPlan reads the configured hotkeys, in menu order.
func hotkeyPlan(h settings.Hotkeys) []planned {
	var plan []planned
	for _, a := range action.All {
		p := planned{id: a.ID, combo: h[a.ID]}
		if p.combo != "" {
			p.key, p.err = hotkeys.Parse(p.combo)
		}
		plan = append(plan, p)
	}
	return plan
}

// grab registers the configured hotkeys on the screen worker (X round
// trips), then tells the person about those that could not be had; the
// settings window shows them beside their rows (instance.HotkeyStatus).
func (d *Daemon) grab(ctx context.Context, h settings.Hotkeys, configPath string) {
	keys := d.deps.Hotkeys
	plan := hotkeyPlan(h)
	// Only what changed is let go and taken again: a reload that changes
	// no hotkey (the settings window closed) must not leave a moment in
	// which a press of an unchanged one goes nowhere.
	held := d.held
	var change []planned
	for _, p := range plan {
		if c, ok := held[p.id]; !ok || c != p.combo || d.failures[p.id] != "" {
			change = append(change, p)
		}
	}
	d.held = nil // known again when the grabs are done
	d.submit(ctx, d.screen, "", func(ctx context.Context) event {
		failed := map[action.ID]error{}
		// Every old grab that changes goes first: two actions that swap
		// their keys would otherwise each find its new key still held by
		// the other.
		for _, p := range change {
			keys.Unregister(string(p.id))
		}
		for _, p := range change {
			if p.combo == "" {
				continue
			}
			err := p.err
			if err == nil {
				err = keys.Register(string(p.id), p.key)
			}
			if err != nil {
				d.log.Warn("hotkey not registered", "action", string(p.id), "hotkey", p.combo, "err", err)
				failed[p.id] = err
				continue
			}
			d.log.Info("hotkey registered", "action", string(p.id), "hotkey", p.key.String())
		}
		return func(d *Daemon) {
			d.failures = map[action.ID]string{}
			d.held = map[action.ID]string{}
			for _, p := range plan {
				if err, ok := failed[p.id]; ok {
					d.failures[p.id] = explain.Error(err)
					d.say(hotkeyNote(p.id, err, configPath))
					continue
				}
				d.held[p.id] = p.combo
			}
			d.show()
		}
	})
}

// shortcutList is the hotkeys as the desktop's portal takes them.
func (d *Daemon) shortcutList(h settings.Hotkeys) []global.Shortcut {
	var list []global.Shortcut
	for _, p := range hotkeyPlan(h) {
		if p.err != nil {
			d.log.Warn("hotkey not understood", "action", string(p.id), "hotkey", p.combo, "err", p.err)
		}
		a, _ := action.Get(p.id)
		list = append(list, global.Shortcut{Name: string(p.id), Description: a.Description, Hotkey: p.key})
	}
	return list
}

// rebind binds the hotkeys through the portal again after the session
// ended (the session bus was restarted), trying until it works or the
// app quits.
func (d *Daemon) rebind(ctx context.Context) {
	if d.shortcuts == nil {
		return
	}
	d.shortcuts.Close()
	d.shortcuts = nil
	d.log.Warn("the desktop's shortcut session ended; binding the hotkeys again")
	list := d.shortcutList(d.snap.Config.Hotkeys)
	d.go_(ctx, func(ctx context.Context) {
		for wait := time.Second; ; wait = min(2*wait, 30*time.Second) {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			s, err := d.deps.BindShortcuts(ctx, list)
			if err != nil {
				d.log.Info("hotkeys not bound yet", "err", err)
				continue
			}
			if !d.post(ctx, func(d *Daemon) { d.log.Info("hotkeys bound through the portal again"); d.shortcuts = s }) {
				s.Close()
			}
			return
		}
	})
}

// bind asks the desktop for the hotkeys (Wayland's GlobalShortcuts
// portal); it may ask the person first, so it runs on a goroutine.
func (d *Daemon) bind(ctx context.Context, h settings.Hotkeys) {
	list := d.shortcutList(h)
	d.go_(ctx, func(ctx context.Context) {
		s, err := d.deps.BindShortcuts(ctx, list)
		posted := d.post(ctx, func(d *Daemon) {
			if err != nil {
				d.log.Info("hotkeys not bound through the portal", "err", err)
				if !errors.Is(err, hotkeys.ErrUnsupported) {
					d.desk.keysErr = err // a portal that bound less than asked
				}
				d.learnKeys(false)
				return
			}
			d.log.Info("hotkeys bound through the portal")
			d.shortcuts = s
			d.learnKeys(true)
		})
		if !posted && err == nil {
			s.Close() // quitting before the loop took it
		}
	})
}

// openSettings starts the settings window (a program of its own: a second
// one brings the first forward); when it closes, the settings are applied.
func (d *Daemon) openSettings(ctx context.Context) {
	if d.deps.Settings == nil {
		d.say(failureNote(action.OpenSettings, i18n.Errorf("the settings window is not available here")))
		return
	}
	d.go_(ctx, func(ctx context.Context) {
		err := d.deps.Settings(ctx)
		if ctx.Err() != nil {
			return // quitting: the window saves on its own
		}
		if err != nil {
			d.log.Error("settings not opened", "err", err)
			d.say(failureNote(action.OpenSettings, err))
			return
		}
		d.post(ctx, func(d *Daemon) { d.reload(ctx) })
	})
}

// checkTrayHost finds out whether anything shows tray icons.
func (d *Daemon) checkTrayHost(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	host := d.deps.TrayHost(cctx)
	if ctx.Err() != nil {
		return
	}
	if !host {
		d.log.Warn("no tray host")
	}
	d.post(ctx, func(d *Daemon) {
		d.desk.trayKnown, d.desk.tray = true, host
		d.tellDesk()
	})
}

// deskFacts is what the desktop gives the app, learnt at the start: an
// icon in a tray, and hotkeys. The notes about them wait for both, so
// they say only what is true.
type deskFacts struct {
	trayKnown, tray bool
	keysKnown, keys bool
	keysErr         error // why the desktop's portal gave no hotkeys, when it has one
	told            bool
}

// learnKeys records whether the hotkeys work.
func (d *Daemon) learnKeys(work bool) {
	d.desk.keysKnown, d.desk.keys = true, work
	d.tellDesk()
	d.show() // the menu shows the hotkeys that work
}

// shortcutAdvice is what to do where imagecx cannot set hotkeys itself.
func shortcutAdvice() string {
	return i18n.T("In your desktop's keyboard settings, bind a key to `imagecx capture region` and one to `imagecx capture full` (on GNOME, `imagecx shortcuts add` does it): each captures, uploads, copies the link and notifies, with or without the tray app.")
}

// tellDesk says, once both are known, what is missing: no tray icon, no
// hotkeys, or both, and what to do instead.
func (d *Daemon) tellDesk() {
	f := &d.desk
	if f.told || !f.trayKnown || !f.keysKnown {
		return
	}
	f.told = true
	wayland := d.deps.BindShortcuts != nil
	keysErr := d.deps.HotkeysErr
	if f.keysErr != nil {
		keysErr = f.keysErr
	}
	for _, h := range deskNotes(*f, wayland, keysErr) {
		if h.once == "" {
			d.say(h.note)
			continue
		}
		if d.deps.Hints != nil && d.deps.Hints.Seen(h.once) {
			continue
		}
		hints, name := d.deps.Hints, h.once
		d.sayThen(h.note, func() {
			if hints != nil {
				hints.Saw(name) // only once it was shown
			}
		})
	}
}

// deskNote is a note about the desktop; once names a hint shown once.
type deskNote struct {
	note notify.Note
	once string
}

// deskNotes are the notes for what the desktop gives: every start when
// there is no icon (the app is otherwise invisible), once for Wayland's
// hotkeys.
func deskNotes(f deskFacts, wayland bool, keysErr error) []deskNote {
	var out []deskNote
	switch {
	case !f.tray:
		body := tray.NoHostHelp()
		switch {
		case f.keys:
			body += " " + i18n.T("The hotkeys still work.")
		case keysErr != nil:
			body += " " + i18n.T("Nor are there global hotkeys: {{.why}}", "why", explain.Lower(explain.Error(keysErr))) + " " + shortcutAdvice()
		case wayland:
			body += " " + i18n.T("Nor does this desktop let applications set hotkeys (it has no GlobalShortcuts portal).") + " " + shortcutAdvice()
		}
		out = append(out, deskNote{note: notify.Note{Title: i18n.T("imagecx is running without a tray icon"), Body: body}})
	case !f.keys && keysErr != nil:
		out = append(out, deskNote{note: notify.Note{Title: i18n.T("No global hotkeys"), Body: explain.Error(keysErr) + " " + i18n.T("Use the tray menu, or:") + " " + shortcutAdvice()}})
	case !f.keys && wayland:
		out = append(out, deskNote{once: "wayland-hint", note: notify.Note{Title: i18n.T("Hotkeys on Wayland"),
			Body: i18n.T("Wayland lets only the desktop grab keys, and this desktop offers applications no way to ask (no GlobalShortcuts portal).") + " " + shortcutAdvice() + " " + i18n.T("The tray menu works as it is.")}})
	}
	return out
}

// historyTrouble tells the person what was wrong with the history file at
// the start; a damaged one was started afresh, and the captures folder
// fills it again.
func (d *Daemon) historyTrouble(ctx context.Context) {
	err := d.deps.HistoryErr
	var corrupt *history.CorruptError
	switch {
	case err == nil:
	case errors.As(err, &corrupt):
		d.log.Warn("history rebuilt", "err", err)
		dir := d.snap.Setup.Dir
		d.submit(ctx, d.books, "", func(ctx context.Context) event {
			n, rerr := d.deps.History.Recover(ctx, dir)
			return func(d *Daemon) {
				body := explain.Error(err)
				if rerr != nil {
					body += " " + i18n.T("Reading the captures folder failed: {{.why}}", "why", explain.Lower(explain.Error(rerr)))
				} else {
					body += " " + i18n.N(n, "1 capture was found there; upload it again from the history.", "{{.n}} captures were found there; upload any again from the history.")
				}
				d.say(notify.Note{Title: i18n.T("Upload history rebuilt"), Body: body, Urgency: notify.Critical})
			}
		})
	default:
		d.log.Error("history unavailable; kept in memory", "err", err)
		d.say(notify.Note{Title: i18n.T("Upload history unavailable"), Body: explain.Error(err) + " " + i18n.T("Uploads work, but what waits is not kept if imagecx stops."), Urgency: notify.Critical})
	}
}

// openHistory starts the history window (a program of its own: a second
// one brings the first forward).
func (d *Daemon) openHistory(ctx context.Context) {
	if d.deps.History == nil || d.deps.OpenWindow == nil {
		d.say(failureNote(action.OpenHistory, i18n.Errorf("the history window is not available here")))
		return
	}
	d.go_(ctx, func(ctx context.Context) {
		if err := d.deps.OpenWindow(ctx, programs.History); err != nil && ctx.Err() == nil {
			d.log.Error("history not opened", "err", err)
			d.say(failureNote(action.OpenHistory, err))
		}
	})
}
