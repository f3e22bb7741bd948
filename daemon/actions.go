package daemon

import (
	"cmp"
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/notify"
	"imagecx/tray"
	"imagecx/uploader"
)

// Launcher opens links and folders (package launch).
type Launcher interface {
	URL(link string) error
	Folder(file string) error // the folder that holds file
	Dir(dir string) error     // the folder dir itself
}

// Notification actions. A note's tag says what it is about: "up:ID" an
// upload, "fail:ID,ID" failed ones, "del:ID" the question before a
// delete; the key says what the person chose.
const (
	actCopy     = "copy"
	actFolder   = "folder"
	actDelete   = "delete"
	actDeleteOK = "delete-yes"
	actKeep     = "keep"
	actRetry    = "retry"
	actSettings = "settings"
	actAllow    = "allow"
	actCancel   = "cancel" // the rest of a batch
	actStop     = "stop"   // the recording
	actReedit   = "reedit" // a capture whose editor died
)

// tagAllow is the tag of the note that offers to allow screenshots again.
const tagAllow = "allow"

// tag is a note's tag for kind and the history ids.
func tag(kind string, ids []int64) string {
	var parts []string
	for _, id := range ids {
		if id != 0 {
			parts = append(parts, strconv.FormatInt(id, 10))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return kind + ":" + strings.Join(parts, ",")
}

// untag reads a tag back.
func untag(t string) (string, []int64) {
	kind, list, _ := strings.Cut(t, ":")
	var ids []int64
	for _, p := range strings.Split(list, ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return kind, ids
}

// invoked does what the person chose in a notification.
func (d *Daemon) invoked(ctx context.Context, inv notify.Invoked) {
	if inv.Tag == tagAllow && inv.Key == actAllow {
		d.allowScreenshots(ctx)
		return
	}
	kind, ids := untag(inv.Tag)
	if len(ids) == 0 {
		return
	}
	switch {
	case kind == "batch" && inv.Key == actCancel:
		if b := d.uploading; b != nil && len(b.jobs) > 0 && b.jobs[0].ID == ids[0] {
			d.cancelRest()
		}
	case kind == "reedit" && inv.Key == actReedit:
		d.reedit(ctx, ids[0])
	case kind == "rec" && inv.Key == actStop:
		if d.rec != nil && int64(d.rec.gen) == ids[0] {
			d.stopRecording(ctx)
		}
	case kind == "fail" && inv.Key == actRetry:
		d.drain(ctx, "retry from a notification", func(ctx context.Context) (int, error) { return d.out.Again(ctx, ids...) })
	case inv.Key == actSettings:
		d.openSettings(ctx)
	case kind == "up" || kind == "del":
		d.onUpload(ctx, ids[0], inv.Key)
	}
}

// onUpload does an upload's action: open, copy, show the folder, ask
// before deleting, delete.
func (d *Daemon) onUpload(ctx context.Context, id int64, key string) {
	launch, clip, format := d.deps.Launch, d.deps.Clip, d.snap.Delivery.Link
	d.submit(ctx, d.books, "", func(ctx context.Context) event {
		e, err := d.deps.History.Get(ctx, id)
		if err != nil {
			return d.sayLater(notify.Note{Title: i18n.T("Not in the history any more"), Body: explain.Error(err)})
		}
		link := uploader.FormatLink(e.Result(), format)
		switch key {
		case notify.DefaultAction:
			if launch == nil || e.Link() == "" {
				return nil
			}
			if err := launch.URL(e.Link()); err != nil {
				return d.sayLater(notify.Note{Title: i18n.T("The link could not be opened"), Body: explain.Error(err) + "\n" + e.Link(), Urgency: notify.Critical})
			}
		case actCopy:
			if err := clip.SetText(link); err != nil {
				return d.sayLater(notify.Note{Title: i18n.T("Link not copied"), Body: explain.Error(err) + "\n" + link, Urgency: notify.Critical})
			}
			d.copied(link)
			return d.sayLater(copiedNote(link))
		case actFolder:
			if launch == nil {
				return nil
			}
			if err := launch.Folder(e.File); err != nil {
				return d.sayLater(notify.Note{Title: i18n.T("The folder could not be opened"), Body: explain.Error(err)})
			}
		case actDelete:
			return d.sayLater(deleteQuestion(e))
		case actDeleteOK:
			if err := uploader.Delete(ctx, e.DeleteURL); err != nil {
				return d.sayLater(notify.Note{Title: i18n.T("Not deleted"), Body: explain.Error(err) + "\n" + e.Link(), Urgency: notify.Critical})
			}
			d.deps.History.MarkDeleted(ctx, id)
			sum := d.out.Summary(ctx, tray.MaxRecent, format)
			return func(d *Daemon) {
				d.took(sum)
				d.say(notify.Note{Title: i18n.T("Deleted from {{.host}}", "host", cmp.Or(e.Site(), "image.cx")), Body: i18n.T("{{.link}} no longer exists on the site.", "link", e.Link()), Urgency: notify.Normal})
			}
		}
		return nil
	})
}

// copyLastLink puts the newest upload's link on the clipboard again.
func (d *Daemon) copyLastLink(ctx context.Context) {
	if len(d.recent) == 0 {
		d.say(notify.Note{Title: i18n.T("Nothing uploaded yet"), Body: i18n.T("Capture something first: its link is then the last one.")})
		return
	}
	d.copyLink(ctx, d.recent[0])
}

// copyLink puts a link on the clipboard again (the last one, or one of
// the recent uploads in the menu) and says so.
func (d *Daemon) copyLink(ctx context.Context, link string) {
	clip := d.deps.Clip
	d.go_(ctx, func(ctx context.Context) {
		if err := clip.SetText(link); err != nil {
			d.log.Warn("link not copied", "err", err)
			d.say(notify.Note{Title: i18n.T("Link not copied"), Body: explain.Error(err) + "\n" + link, Urgency: notify.Critical})
			return
		}
		d.copied(link)
		d.say(copiedNote(link))
	})
}

// openFolder opens the captures folder in the file manager (made first
// when no capture was saved yet).
func (d *Daemon) openFolder(ctx context.Context) {
	dir, launch := d.snap.Setup.Dir, d.deps.Launch
	if launch == nil {
		d.say(notify.Note{Title: i18n.T("The folder could not be opened"), Body: i18n.T("Captures are saved in {{.dir}}.", "dir", dir)})
		return
	}
	d.go_(ctx, func(ctx context.Context) {
		os.MkdirAll(dir, 0o700)
		if err := launch.Dir(dir); err != nil {
			d.say(notify.Note{Title: i18n.T("The folder could not be opened"), Body: explain.Error(err) + " " + i18n.T("Captures are saved in {{.dir}}.", "dir", dir)})
		}
	})
}

// allowScreenshots undoes a Deny answered to GNOME's question.
func (d *Daemon) allowScreenshots(ctx context.Context) {
	p := d.deps.Portal
	if p == nil {
		return
	}
	d.go_(ctx, func(ctx context.Context) {
		if err := p.AllowScreenshots(ctx); err != nil {
			d.say(notify.Note{Title: i18n.T("Screenshots not allowed"), Body: explain.Error(err), Urgency: notify.Critical})
			return
		}
		d.log.Info("screenshots allowed again")
		d.say(allowedNote())
	})
}

// sayLater is an event that says n.
func (d *Daemon) sayLater(n notify.Note) event { return func(d *Daemon) { d.say(n) } }

// deleteQuestion asks before an upload is taken down.
func deleteQuestion(e history.Entry) notify.Note {
	return notify.Note{Title: i18n.T("Delete from {{.host}}?", "host", e.Site()), Body: e.Link() + "\n" + i18n.T("It cannot be undone; the copy on this computer stays."),
		Urgency: notify.Critical, Tag: tag("del", []int64{e.ID}), Timeout: 30 * time.Second,
		Actions: []notify.Action{{Key: actDeleteOK, Label: i18n.T("Delete")}, {Key: actKeep, Label: i18n.T("Keep")}}}
}

// uploadActions are the buttons of a single upload's note.
func uploadActions(file string, deleteURL string) []notify.Action {
	acts := []notify.Action{{Key: notify.DefaultAction, Label: i18n.T("Open")}, {Key: actCopy, Label: i18n.T("Copy link")}}
	if file != "" {
		acts = append(acts, notify.Action{Key: actFolder, Label: i18n.T("Open folder")})
	}
	if deleteURL != "" {
		acts = append(acts, notify.Action{Key: actDelete, Label: i18n.T("Delete…")})
	}
	return acts
}

// failureActions are the buttons of a failed delivery's note.
func failureActions(settings bool) []notify.Action {
	acts := []notify.Action{{Key: actRetry, Label: i18n.T("Retry")}}
	if settings {
		acts = append(acts, notify.Action{Key: actSettings, Label: i18n.T("Open Settings")})
	}
	return acts
}
