package daemon

import (
	"time"

	"errors"
	"strings"

	"imagecx/action"
	"imagecx/assets"
	"imagecx/capture"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/notify"
	"imagecx/outbox"
	"imagecx/region"
	"imagecx/shot"
	"imagecx/uploader"
)

// The decisions of the tray app, as pure functions: what to tell the
// person, and what the tray shows. The loop calls them; tests read them
// as tables.

// unrecordedNote says a capture could not be put in the history.
func unrecordedNote(err error) notify.Note {
	body := i18n.T("The upload history could not record it ({{.why}}). It is uploaded all the same, but not tried again after a restart.",
		"why", explain.Lower(strings.TrimRight(explain.Error(err), ".。")))
	if history.Full(err) {
		body = i18n.T("The disk is full, so the upload history could not record it. It is uploaded all the same; free some space so nothing waits only in memory.")
	}
	return notify.Note{Title: i18n.T("Not in the history"), Body: body, Urgency: notify.Critical}
}

// resultNote is the notification after a delivery (Copy has run): the
// outbox's note, with the tray app's buttons and sound. A success shows
// only when notifications are on (or a copy could not be kept); a failure
// always.
func resultNote(o outbox.Outcome, notifyOn, sound bool) (notify.Note, bool) {
	if errors.Is(o.Err, uploader.ErrNoKey) {
		n := noKeyNote(o.Jobs)
		n.Tag, n.Actions = tag("fail", idsOf(o.Jobs)), []notify.Action{{Key: actSettings, Label: i18n.T("Open Settings")}}
		return n, true
	}
	note := o.Note()
	if o.Err == nil {
		if len(o.Links) == 1 && len(o.Jobs) == 1 {
			j := o.Jobs[0]
			if note.Tag = tag("up", []int64{j.ID}); note.Tag != "" {
				note.Actions = uploadActions(j.File, o.Results[0].DeleteURL)
			}
		}
		if sound {
			note.Sound = "screen-capture"
		}
		return note, notifyOn || o.NotSaved() != ""
	}
	var failed []outbox.Job
	for _, f := range o.Failed {
		failed = append(failed, f.Job)
	}
	if note.Tag = tag("fail", idsOf(failed)); note.Tag != "" {
		note.Actions = failureActions(errors.Is(o.Err, uploader.ErrBadKey) || errors.Is(o.Err, uploader.ErrDenied))
	}
	return note, true
}

// noKeyNote is the first-run notification: no key yet, so a capture went
// to the clipboard as an image.
func noKeyNote(jobs []outbox.Job) notify.Note {
	body := i18n.T("No image.cx API key is set, so nothing was uploaded. Add one with Settings… in the tray menu, or run `imagecx key set`.")
	title := i18n.T("Not uploaded: no API key")
	if len(jobs) == 1 && !jobs[0].FromClipboard {
		title = i18n.T("Screenshot copied as an image")
		if jobs[0].File != "" {
			body += "\n" + i18n.T("Saved at {{.file}}.", "file", jobs[0].File)
		}
	}
	return notify.Note{Title: title, Body: body, Urgency: notify.Normal}
}

// failureNote is the notification for an action that failed before
// anything was uploaded.
func failureNote(id action.ID, err error) notify.Note {
	switch {
	case errors.Is(err, capture.ErrDenied):
		return notify.Note{Title: i18n.T("GNOME refuses screenshots"), Body: explain.Error(err), Urgency: notify.Critical,
			Tag: tagAllow, Actions: []notify.Action{{Key: actAllow, Label: i18n.T("Allow screenshots")}}}
	case id == action.EditClipboard:
		return notify.Note{Title: i18n.T("Nothing to edit"), Body: explain.Error(err)}
	case errors.Is(err, shot.ErrNoImage):
		return notify.Note{Title: i18n.T("Nothing to upload"), Body: explain.Error(err)}
	case id == action.Region || id == action.RegionEdit:
		return notify.Note{Title: i18n.T("Region capture failed"), Body: explain.Error(err), Urgency: notify.Critical}
	case id == action.UploadClipboard:
		return notify.Note{Title: i18n.T("Nothing to upload"), Body: explain.Error(err)}
	case id == action.RepeatRegion && errors.Is(err, region.ErrNoLast):
		return notify.Note{Title: i18n.T("No region to repeat"), Body: explain.Error(err)}
	case id == action.OpenSettings:
		return notify.Note{Title: i18n.T("Settings could not be opened"), Body: explain.Error(err), Urgency: notify.Critical}
	case id == action.OpenHistory:
		return notify.Note{Title: i18n.T("History could not be opened"), Body: explain.Error(err), Urgency: notify.Critical}
	case id == action.RecordScreen || id == action.RecordRegion:
		return notify.Note{Title: i18n.T("Recording failed"), Body: explain.Error(err), Urgency: notify.Critical}
	case id == action.UploadFiles:
		return notify.Note{Title: i18n.T("Files could not be chosen"), Body: explain.Error(err), Urgency: notify.Critical}
	case id == action.UploadLink:
		return notify.Note{Title: i18n.T("The link could not be asked for"), Body: explain.Error(err), Urgency: notify.Critical}
	}
	return notify.Note{Title: i18n.T("Capture failed"), Body: explain.Error(err), Urgency: notify.Critical}
}

// askingNote is said before GNOME asks whether imagecx may take
// screenshots (its dialog has Deny focused).
func askingNote() notify.Note {
	return notify.Note{Title: i18n.T("GNOME asks once"),
		Body: i18n.T("GNOME asks whether applications may take screenshots, once, and keeps the answer: choose Allow. After Deny it refuses every capture until it is allowed again.")}
}

// allowedNote says that screenshots are allowed again.
func allowedNote() notify.Note {
	return notify.Note{Title: i18n.T("Screenshots allowed"), Body: i18n.T("GNOME lets imagecx take screenshots again. Capture as before.")}
}

// droppedNote says that n actions (hotkey presses, mostly) came faster
// than imagecx could take them and were not taken.
func droppedNote(n int) notify.Note {
	return notify.Note{Title: i18n.T("Not every press was taken"),
		Body: i18n.N(n, "1 capture was not taken: the presses came faster than imagecx could capture, with many still waiting. The others go ahead as usual.",
			"{{.n}} captures were not taken: the presses came faster than imagecx could capture, with many still waiting. The others go ahead as usual."),
		Urgency: notify.Normal}
}

// hotkeyNote says a hotkey could not be had and how to pick another.
func hotkeyNote(id action.ID, err error, configPath string) notify.Note {
	a, _ := action.Get(id)
	return notify.Note{
		Title: i18n.T("Hotkey not available"),
		Body: i18n.T("{{.why}} (for {{.action}}). imagecx keeps running; choose another combination in Settings… or in {{.file}}.",
			"why", strings.TrimRight(explain.Error(err), ".。"), "action", a.Name(), "file", configPath),
		Urgency: notify.Normal,
	}
}

// progressNote is a batch's progress, updated in place (replace), with
// Cancel the rest.
func progressNote(p outbox.Progress, replace, tagged string) notify.Note {
	n := p.Note()
	n.Replace, n.Tag = replace, tagged
	if tagged != "" {
		n.Actions = []notify.Action{{Key: actCancel, Label: i18n.T("Cancel the rest")}}
	}
	return n
}

// status is what the tray shows: the icon and its tooltip.
type status struct {
	busy     bool            // an upload is running or waiting
	last     error           // the last delivery's failure; nil when it worked or none ran
	copyErr  error           // the last delivery's links could not be copied
	uploaded bool            // a delivery has finished
	noKey    bool            // no key is stored
	keyErr   error           // the key store could not be read
	uploads  int             // uploads waiting or running
	current  string          // the file being uploaded
	batch    outbox.Progress // the batch being uploaded, when it is one of several files
	// recording is how long the screen has been recorded; saving says it
	// stopped and is being made into the video.
	recording        time.Duration
	recordOn, saving bool
	retrying         int // uploads waiting to be tried again
}

// trayStatus decides the icon and the tooltip's text (after "imagecx — ").
func trayStatus(s status) (assets.State, string) {
	switch {
	case s.saving:
		return assets.Busy, i18n.T("saving the recording…")
	case s.recordOn:
		return assets.Recording, i18n.T("recording {{.time}}: Stop recording in the menu ends it", "time", elapsed(s.recording))
	case s.busy && s.batch.All > 1:
		return assets.Busy, i18n.T("uploading {{.n}} files ({{.percent}} % done)…", "n", s.batch.All, "percent", s.batch.Percent())
	case s.busy && s.uploads > 1:
		return assets.Busy, i18n.T("uploading {{.file}} ({{.n}} more waiting)…", "file", s.current, "n", s.uploads-1)
	case s.busy:
		return assets.Busy, i18n.T("uploading {{.file}}…", "file", s.current)
	case s.last != nil && !errors.Is(s.last, uploader.ErrNoKey) && s.retrying > 0:
		return assets.Error, i18n.T("the last upload failed and is tried again soon ({{.n}} waiting): {{.why}}", "n", s.retrying, "why", explain.Lower(shortReason(s.last)))
	case s.last != nil && !errors.Is(s.last, uploader.ErrNoKey):
		return assets.Error, i18n.T("the last upload failed: {{.why}}", "why", explain.Lower(shortReason(s.last)))
	case s.keyErr != nil:
		return assets.Error, i18n.T("the API key could not be read; captures are saved and copied")
	case s.noKey:
		return assets.Idle, i18n.T("no API key: captures are saved and copied as images; open Settings… to add one")
	case s.uploaded && s.copyErr != nil:
		return assets.Idle, i18n.T("uploaded; the link is in Recent uploads (copying failed)")
	case s.uploaded:
		return assets.Idle, i18n.T("link copied")
	}
	return assets.Idle, i18n.T("ready")
}

// shortReason is an error's first sentence: a tooltip has no room for
// the rest.
func shortReason(err error) string {
	s := explain.Error(err)
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	if i := strings.Index(s, "。"); i > 0 && i+len("。") < len(s) {
		s = s[:i+len("。")]
	}
	return s
}

// idsOf are the history ids of jobs.
func idsOf(jobs []outbox.Job) []int64 {
	var ids []int64
	for _, j := range jobs {
		ids = append(ids, j.ID)
	}
	return ids
}
