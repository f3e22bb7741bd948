package shot

import (
	"context"
	"errors"
	"image"
	"time"

	"imagecx/capture"
	"imagecx/region"
)

// Picker lets the person choose what to capture, and returns its pixels
// as they were when Pick was called.
type Picker interface {
	// Pick returns the chosen rectangle in screen coordinates (empty when
	// the desktop does not say where it was), its pixels, and whether the
	// person asked for the editor. Not interactive takes the whole screen
	// without asking (the desktop's screenshot dialog only).
	// capture.ErrCancelled means the person cancelled; a
	// *region.ColourPicked that they picked a colour instead.
	Pick(ctx context.Context, interactive bool) (region.Chosen, error)
}

// Overlay is the X11 region overlay (package region) as a Picker.
type Overlay struct {
	// Shown, if set, is called once the overlay is on the screen, with the
	// time it took.
	Shown func(after time.Duration)
	// Hint is the line of hints' catalog key ("" is region.Hint).
	Hint string
}

// ToRecord is the overlay saying that the region is to be recorded.
func (o Overlay) ToRecord() Picker {
	o.Hint = region.RecordHint
	return o
}

// ToPin is the overlay saying that the region is to be pinned.
func (o Overlay) ToPin() Picker {
	o.Hint = region.PinHint
	return o
}

// ToRead is the overlay saying that the region's text is to be read.
func (o Overlay) ToRead() Picker {
	o.Hint = region.TextHint
	return o
}

// Pick shows the overlay; it is always interactive.
func (o Overlay) Pick(ctx context.Context, _ bool) (region.Chosen, error) {
	start := time.Now()
	opts := region.Options{Hint: o.Hint}
	if o.Shown != nil {
		opts.Shown = func() { o.Shown(time.Since(start)) }
	}
	return region.Select(ctx, opts)
}

// Desktop reads the screen through the desktop (the Screenshot portal,
// or grim and slurp on wlroots) as a Picker: the way to read the screen on
// Wayland.
type Desktop struct {
	Portal *capture.Portal
	// Overlay selects a region with imagecx's own overlay, on a
	// screenshot the portal takes without asking, in a full-screen
	// Xwayland window: one step, as on X11, where the portal's own
	// dialog takes three (GNOME). The portal's dialog is the fallback.
	Overlay bool
	// Shown, if set, is called once the overlay is on the screen.
	Shown func(after time.Duration)
	// Fallback, if set, is told why the overlay could not be used.
	Fallback func(err error)
	// Hint is the overlay's line of hints' catalog key ("" is region.Hint).
	Hint string
}

// ToRecord is the desktop's overlay saying that the region is to be
// recorded.
func (d Desktop) ToRecord() Picker {
	d.Hint = region.RecordHint
	return d
}

// ToRead is the desktop's overlay saying that the region's text is to be
// read.
func (d Desktop) ToRead() Picker {
	d.Hint = region.TextHint
	return d
}

// Pick asks the desktop; the rectangle is known only when the overlay
// chose it.
func (d Desktop) Pick(ctx context.Context, interactive bool) (region.Chosen, error) {
	if interactive && d.Overlay {
		start := time.Now()
		screen, err := d.Portal.Screenshot(ctx, false)
		if err != nil {
			return region.Chosen{}, err
		}
		opts := region.Options{Frozen: screen, Hint: d.Hint}
		if d.Shown != nil {
			opts.Shown = func() { d.Shown(time.Since(start)) }
		}
		ch, err := region.Select(ctx, opts)
		if !errors.Is(err, region.ErrUnsupported) {
			ch.On = screen.Rect.Size()
			return ch, err
		}
		if d.Fallback != nil {
			d.Fallback(err)
		}
	}
	img, err := d.Portal.Screenshot(ctx, interactive)
	return region.Chosen{Image: img}, err
}

// RememberRegion keeps r in the state folder for "repeat last region";
// a failure only costs the repeat.
func RememberRegion(stateDir string, r image.Rectangle) error {
	if stateDir == "" || r.Empty() {
		return nil
	}
	return region.SaveLast(stateDir, r)
}

// LastRegion is the rectangle RememberRegion kept, or region.ErrNoLast.
func LastRegion(stateDir string) (image.Rectangle, error) {
	if stateDir == "" {
		return image.Rectangle{}, region.ErrNoLast
	}
	return region.LoadLast(stateDir)
}
