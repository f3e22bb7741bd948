// Package daemon is the tray app: `imagecx` with no arguments.
//
// One loop owns the state (the settings snapshot, the upload queue, the
// recent links, what the tray shows) and only dispatches; everything that
// waits runs elsewhere, on goroutines the daemon owns and stops at Quit:
//
//   - the screen worker: captures, encoding, saving (fsync), hotkey grabs;
//   - the clipboard worker: reading the clipboard (its owner may be slow);
//   - the upload worker: one batch at a time, then the links to the
//     clipboard; a capture during an upload waits in the queue;
//   - the notifier: notifications in order, each bounded in time;
//   - one goroutine per region overlay (or desktop screenshot dialog),
//     per settings window, per reload (the keyring may take a moment).
//
// Workers hand their results back as events that run on the loop. What to
// tell the person and what the tray shows are pure functions (notes.go);
// what a delivery came to is said in the outbox's words (Outcome.Note),
// the same a desktop shortcut's `imagecx capture` shows.
//
// Time comes from one Clock (Deps.Clock): the next planned try, the note
// for a burst of dropped presses, the hotkeys' pause and the release of
// capture buffers are its timers, each posting an event to the loop when
// it fires. The daemon counts the work in hand (events, tasks, notes, the
// goroutines of one action), so tests wait for it to come to rest and
// move a fake clock instead of sleeping.
//
// The way from a hotkey to the link, each package crossed once, and the
// work on three goroutines (the loop, the screen worker, the upload
// worker):
//
//	hotkeys/global  the X11 grab (or the GlobalShortcuts portal) sees the press
//	daemon          the loop takes the action (act); the screen worker runs:
//	shot              Capture: the screen is read by
//	capture             (internal/xconn: MIT-SHM strips) and, as the rows
//	encode              arrive, encoded as PNG; Save writes it to the
//	                    captures folder;
//	outbox            Add records it in the history (the queue);
//	daemon          the loop queues it (captured, enqueue); the upload
//	                worker runs:
//	outbox            Send fits it to the host's limit, paces it, sends it
//	uploader            with the host's client and records Done (or Fail
//	                    and the next try); Copy puts the link on
//	clipboard           the clipboard; Summary reads what the tray shows;
//	daemon          the loop takes the outcome (delivered) and decides what
//	notify          to say: the notification, and
//	tray            the icon, the tooltip and the recent links.
//
// The settings are read once at start and again when they change (the
// settings window sends instance.Saved, `imagecx key set` instance.Reload),
// so a hotkey press reads nothing from disk before the capture starts.
//
// Other imagecx processes hand commands to the running one over the
// instance socket: the actions' verbs (`imagecx capture region` bound to a
// desktop shortcut), instance.Status (ready), instance.Reload and Saved,
// instance.HotkeyStatus (the hotkeys that could not be had, for the
// settings window), PauseHotkeys and ResumeHotkeys (while the settings
// window records one), Retry and Queue.
package daemon
