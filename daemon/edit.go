package daemon

import (
	"context"
	"errors"
	"image"
	"time"

	"imagecx/action"
	"imagecx/editing"
	"imagecx/encode"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/notify"
	"imagecx/shot"
)

// edit opens the editor on a picked image, on a goroutine of its own (the
// person may take minutes), and does what they choose: upload the result
// through the same pipeline as any capture, copy it, or nothing. If the
// editor cannot run, nothing the person has not seen is uploaded: the
// capture is saved and they are told where.
func (d *Daemon) edit(ctx context.Context, id action.ID, src history.Source, setup shot.Setup, img *image.RGBA) {
	if d.deps.Edit == nil {
		d.saveOnly(ctx, id, setup, img, i18n.Errorf("the editor is not available in this build"))
		return
	}
	d.go_(ctx, func(ctx context.Context) {
		start := time.Now()
		choice, edited, err := d.deps.Edit(ctx, img)
		var died *editing.DiedError
		d.post(ctx, func(d *Daemon) {
			switch {
			case ctx.Err() != nil:
			case errors.As(err, &died) && died.Shown:
				// The person may have hidden parts of the capture in the
				// editor: the original is written nowhere, kept here a
				// while for them to open the editor on it again.
				d.log.Error("editor died", "err", err)
				d.keepForEditor(ctx, id, src, setup, img, err)
			case err != nil:
				d.log.Error("editor failed", "err", err)
				d.saveOnly(ctx, id, setup, img, err)
			default:
				d.log.Info("editor closed", "choice", choice.String(), "after", time.Since(start).Round(time.Millisecond))
				switch choice {
				case editing.Upload:
					d.keep(ctx, id, src, setup, image.Rectangle{}, edited) // the region is remembered already
				case editing.Copy:
					d.copyImage(ctx, id, edited)
				}
			}
		})
	})
}

// unsavedEdit is a capture whose editor died after it was shown: kept in
// memory, nowhere else, until it is edited again or keptFor has passed.
type unsavedEdit struct {
	id    action.ID
	src   history.Source
	setup shot.Setup
	img   *image.RGBA
	gen   int
	drop  Timer
}

// keptFor is how long a capture whose editor died is kept for "Open the
// editor again".
const keptFor = 15 * time.Minute

// keepForEditor keeps img for "Open the editor again" and says what
// happened: nothing saved, nothing uploaded.
func (d *Daemon) keepForEditor(ctx context.Context, id action.ID, src history.Source, setup shot.Setup, img *image.RGBA, why error) {
	if d.unsaved != nil && d.unsaved.drop != nil {
		d.unsaved.drop.Stop()
	}
	d.edits++
	u := &unsavedEdit{id: id, src: src, setup: setup, img: img, gen: d.edits}
	u.drop = d.clock.AfterFunc(keptFor, func() {
		d.post(ctx, func(d *Daemon) {
			if d.unsaved == u {
				d.unsaved = nil
			}
		})
	})
	d.unsaved = u
	d.say(notify.Note{Title: i18n.T("The editor closed unexpectedly"),
		Body:    explain.Error(why) + " " + i18n.T("Nothing was saved or uploaded: the capture may show what you were hiding. It is kept for {{.time}} to edit again.", "time", explain.Duration(keptFor)),
		Urgency: notify.Critical, Tag: tag("reedit", []int64{int64(u.gen)}), Timeout: keptFor,
		Actions: []notify.Action{{Key: actReedit, Label: i18n.T("Open the editor again")}}})
}

// reedit opens the editor again on the capture whose editor died.
func (d *Daemon) reedit(ctx context.Context, gen int64) {
	u := d.unsaved
	if u == nil || int64(u.gen) != gen {
		d.say(notify.Note{Title: i18n.T("Nothing to edit"), Body: i18n.T("That capture is no longer kept.")})
		return
	}
	d.unsaved = nil
	u.drop.Stop()
	d.edit(ctx, u.id, u.src, u.setup, u.img)
}

// saveOnly saves a capture the editor could not show, without uploading
// it, and says why and where it is.
func (d *Daemon) saveOnly(ctx context.Context, id action.ID, setup shot.Setup, img *image.RGBA, why error) {
	d.submit(ctx, d.screen, id, func(ctx context.Context) event {
		job, err := d.deps.Pipe.Encode(setup, img, "")
		if err == nil {
			job = d.deps.Pipe.Save(setup, job)
		}
		return func(d *Daemon) {
			body := explain.Error(why) + " "
			if err == nil && job.File != "" {
				body += i18n.T("Nothing was uploaded; the capture is saved as {{.file}}.", "file", job.File)
			} else {
				body += i18n.T("Nothing was uploaded, and the capture could not be saved.")
			}
			d.say(notify.Note{Title: i18n.T("The editor did not open"), Body: body, Urgency: notify.Critical})
		}
	})
}

// copyImage puts an edited image on the clipboard, as PNG.
func (d *Daemon) copyImage(ctx context.Context, id action.ID, img *image.RGBA) {
	d.submit(ctx, d.screen, id, func(ctx context.Context) event {
		data, err := encode.PNG(img, encode.PNGOptions{})
		if err == nil {
			err = d.deps.Clip.SetImage("image/png", data)
		}
		return func(d *Daemon) {
			if err != nil {
				d.say(notify.Note{Title: i18n.T("The image was not copied"), Body: explain.Error(err), Urgency: notify.Critical})
				return
			}
			d.say(notify.Note{Title: i18n.T("Image copied"), Body: i18n.T("The edited image is on the clipboard; nothing was uploaded."), Urgency: notify.Low})
		}
	})
}

// copyColour puts a colour picked on the overlay (C) on the clipboard, as
// #RRGGBB.
func (d *Daemon) copyColour(hex string) {
	d.log.Info("colour picked", "colour", hex)
	if err := d.deps.Clip.SetText(hex); err != nil {
		d.say(notify.Note{Title: i18n.T("The colour was not copied"), Body: explain.Error(err), Urgency: notify.Critical})
		return
	}
	d.say(notify.Note{Title: i18n.T("Colour copied"), Body: i18n.T("{{.colour}} is on the clipboard.", "colour", hex), Urgency: notify.Low, Timeout: 3 * time.Second})
}
