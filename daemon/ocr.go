package daemon

import (
	"context"
	"errors"
	"image"

	"imagecx/i18n"
	"imagecx/ocr"
)

// readText reads the text of a region on a goroutine of its own (a
// second or a few: the menu and the hotkeys are served meanwhile), then
// puts it on the clipboard and shows it in a notification.
func (d *Daemon) readText(ctx context.Context, img *image.RGBA) {
	find := d.deps.OCR
	wanted := ocr.Wanted(i18n.Current())
	d.go_(ctx, func(ctx context.Context) {
		var e ocr.Engine
		err := ocr.ErrNoEngine
		if find != nil {
			e, err = find()
		}
		var text string
		var missing []ocr.Missing
		if err == nil {
			text, missing, err = ocr.Text(ctx, e, img, wanted)
		}
		d.post(ctx, func(d *Daemon) { d.textRead(text, missing, err) })
	})
}

// textRead copies the text read, or says why there is none.
func (d *Daemon) textRead(text string, missing []ocr.Missing, err error) {
	if err == nil {
		err = d.deps.Clip.SetText(text)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return
	case err != nil:
		d.log.Warn("no text read", "err", err)
		d.say(ocr.FailedNote(err))
		return
	}
	d.log.Info("text read and copied", "characters", len([]rune(text)))
	note := ocr.CopiedNote(text)
	for _, m := range missing { // once: what would be read with its data installed
		if d.deps.Hints == nil || !d.deps.Hints.Seen("ocr-"+m.Lang) {
			note.Body += "\n\n" + m.Explain()
			if d.deps.Hints != nil {
				d.deps.Hints.Saw("ocr-" + m.Lang)
			}
		}
	}
	d.say(note)
}
