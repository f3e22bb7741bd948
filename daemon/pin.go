package daemon

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"

	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/notify"
)

// pin keeps a region on the screen: `imagecx pin` in a process of its
// own (the tray app holds none of the pins' images), handed the region
// in a private file it removes once read, placed where the region was.
func (d *Daemon) pin(ctx context.Context, img *image.RGBA, r image.Rectangle) {
	start := d.deps.StartPin
	dir := d.deps.PrivateDir
	d.go_(ctx, func(ctx context.Context) {
		err := func() error {
			if start == nil {
				return i18n.Errorf("pinning is not available on this desktop")
			}
			f, err := os.CreateTemp(dir, "imagecx-pin-*.png") // 0600
			if err != nil {
				return err
			}
			enc := png.Encoder{CompressionLevel: png.BestSpeed}
			if err := enc.Encode(f, img); err != nil {
				f.Close()
				os.Remove(f.Name())
				return err
			}
			if err := f.Close(); err != nil {
				os.Remove(f.Name())
				return err
			}
			args := []string{"--remove"}
			if !r.Empty() {
				args = append(args, "--at", fmt.Sprintf("%d,%d", r.Min.X, r.Min.Y))
			}
			if err := start(append(args, f.Name())...); err != nil {
				os.Remove(f.Name())
				return err
			}
			return nil
		}()
		if err != nil {
			d.post(ctx, func(d *Daemon) {
				d.log.Warn("not pinned", "err", err)
				d.say(notify.Note{Title: i18n.T("Not pinned"), Body: explain.Error(err), Urgency: notify.Critical})
			})
		}
	})
}
