package daemon

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/draw"
	"os"

	"imagecx/action"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/notify"
	"imagecx/outbox"
	"imagecx/pin"
	"imagecx/quick"
)

// thumbnail shows the quick-access thumbnail of a capture on a goroutine
// of its own, in place of the last capture's, and does what the person
// chose on it.
func (d *Daemon) thumbnail(ctx context.Context, j outbox.Job) {
	show := d.deps.Quick
	if d.thumbStop != nil {
		d.thumbStop() // the newer capture's takes its place
	}
	tctx, stop := context.WithCancel(ctx)
	d.thumbStop = stop
	d.go_(ctx, func(ctx context.Context) {
		defer stop()
		choice, err := show(tctx, quick.Thumb{Image: j.Thumb, File: j.File})
		if errors.Is(err, context.Canceled) {
			return
		}
		if err != nil {
			d.log.Warn("no thumbnail", "err", err)
			return
		}
		d.log.Info("thumbnail closed", "choice", int(choice))
		// The editor needs the image, and so does a pin when the file
		// is gone: decoded here, off the loop.
		var img *image.RGBA
		if _, statErr := os.Stat(j.File); choice == quick.Edit || (choice == quick.Pin && (j.File == "" || statErr != nil)) {
			if img, err = decodeRGBA(j.Data); err != nil {
				d.say(notify.Note{Title: i18n.T("The capture could not be read"), Body: explain.Error(err), Urgency: notify.Critical})
				return
			}
		}
		d.post(ctx, func(d *Daemon) { d.onThumbnail(ctx, choice, j, img) })
	})
}

// onThumbnail does what was chosen on a capture's thumbnail: copy the
// image, edit it (a new capture; img is the capture), pin it (its file,
// or img when the file is gone), open its link or ask before deleting it
// from the site.
func (d *Daemon) onThumbnail(ctx context.Context, choice quick.Choice, j outbox.Job, img *image.RGBA) {
	switch choice {
	case quick.Copy:
		d.chooseImage(j.ID)
		clip := d.deps.Clip
		d.go_(ctx, func(ctx context.Context) {
			if err := clip.SetImage(j.MIME, j.Data); err != nil {
				d.say(notify.Note{Title: i18n.T("The image was not copied"), Body: explain.Error(err), Urgency: notify.Critical})
				return
			}
			d.say(notify.Note{Title: i18n.T("Image copied"), Body: i18n.T("The capture is on the clipboard."), Urgency: notify.Low})
		})
	case quick.Edit:
		d.edit(ctx, action.RegionEdit, history.FromHotkey, d.snap.Setup, img)
	case quick.Pin:
		if img != nil {
			d.pin(ctx, img, image.Rectangle{})
			return
		}
		start := d.deps.StartPin
		d.go_(ctx, func(ctx context.Context) { // the capture's own file: nothing to write
			err := pin.ErrUnsupported
			if start != nil {
				err = start(j.File)
			}
			if err != nil {
				d.say(notify.Note{Title: i18n.T("Not pinned"), Body: explain.Error(err), Urgency: notify.Critical})
			}
		})
	case quick.Open:
		d.onUpload(ctx, j.ID, notify.DefaultAction)
	case quick.Delete:
		d.onUpload(ctx, j.ID, actDelete)
	}
}

// decodeRGBA decodes an encoded capture.
func decodeRGBA(data []byte) (*image.RGBA, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if m, ok := img.(*image.RGBA); ok {
		return m, nil
	}
	m := image.NewRGBA(img.Bounds())
	draw.Draw(m, m.Rect, img, m.Rect.Min, draw.Src)
	return m, nil
}
