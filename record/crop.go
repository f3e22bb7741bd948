package record

import (
	"fmt"
	"image"

	"imagecx/i18n"
	"imagecx/internal/wlglobals"
)

// ErrRegionOffMonitor is a region outside the monitor the desktop shares.
var ErrRegionOffMonitor error = i18n.Errorf("the region is not on the monitor the desktop shares: choose that monitor, or drag the region on it")

// castCrop is ffmpeg's crop filter that cuts area (in the desktop's
// layout, logical pixels) out of the frames of a screen cast of monitor
// (its place and size in the layout; empty when the desktop does not say
// them). The frames have the monitor's own pixels, more than its logical
// size where it is scaled, so the cut is made in proportions of the
// frame (iw, ih), in integers, with an even width and height (H.264's
// 4:2:0). An empty area is the whole frame.
func castCrop(monitor, area image.Rectangle) (string, error) {
	if area.Empty() {
		return "crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0", nil
	}
	if monitor.Empty() { // unknown: the layout is taken as the frame's pixels
		a := even(area)
		return fmt.Sprintf("crop=%d:%d:%d:%d:exact=1", a.Dx(), a.Dy(), a.Min.X, a.Min.Y), nil
	}
	a := area.Intersect(monitor)
	if a.Empty() {
		return "", ErrRegionOffMonitor
	}
	a = a.Sub(monitor.Min)
	w, h := monitor.Dx(), monitor.Dy()
	return fmt.Sprintf("crop=trunc(iw*%d/%d/2)*2:trunc(ih*%d/%d/2)*2:trunc(iw*%d/%d):trunc(ih*%d/%d):exact=1",
		a.Dx(), w, a.Dy(), h, a.Min.X, w, a.Min.Y, h), nil
}

// castMonitor is the place and size in the layout of the monitor a
// screen cast shows, for cutting area out of it: what the portal reported
// (reported), checked against the compositor's outputs where they are
// known. The region's monitor is the output holding most of it; the cast
// is that monitor when the portal reported its logical place and size,
// or, as xdg-desktop-portal-wlr before 0.7.1 does, (0, 0) and its pixels.
func castMonitor(reported image.Rectangle, outs []wlglobals.Output, area image.Rectangle) (image.Rectangle, error) {
	if len(outs) == 0 || area.Empty() {
		return reported, nil
	}
	best, most := -1, 0
	for i, o := range outs {
		in := area.Intersect(o.Logical)
		if n := in.Dx() * in.Dy(); n > most {
			best, most = i, n
		}
	}
	if best < 0 {
		return image.Rectangle{}, ErrRegionOffMonitor
	}
	o := outs[best]
	switch {
	case reported.Empty(), reported == o.Logical:
	case reported.Min == image.Point{} && reported.Size() == o.Pixels:
	default:
		return image.Rectangle{}, ErrRegionOffMonitor
	}
	return o.Logical, nil
}

// CastArea is what to record of a screen cast.
type CastArea struct {
	// Rect is the region, in the desktop's layout (logical pixels), or
	// in the pixels of a screenshot of it (On); empty for all of the cast.
	Rect image.Rectangle
	// On is the size of the screenshot Rect was chosen on, when it was
	// (imagecx's overlay on GNOME and KDE): a scaled monitor's screenshot
	// has its own pixels, more than the layout's.
	On image.Point
	// Outputs are the compositor's, where it says them (wlroots).
	Outputs []wlglobals.Output
}

// layout is Rect in the layout, given the monitor the portal reported:
// a screenshot of that one monitor (its size a multiple of the monitor's,
// alike in both directions) is scaled to it; any other is taken as the
// layout's own pixels (several monitors, or none said).
func (a CastArea) layout(monitor image.Rectangle) image.Rectangle {
	on, m := a.On, monitor.Size()
	if a.Rect.Empty() || on.X <= 0 || on.Y <= 0 || m.X <= 0 || m.Y <= 0 || on == m || on.X*m.Y != on.Y*m.X {
		return a.Rect
	}
	scale := func(v, of, to int) int { return v * to / of }
	return image.Rect(scale(a.Rect.Min.X, on.X, m.X), scale(a.Rect.Min.Y, on.Y, m.Y), scale(a.Rect.Max.X, on.X, m.X), scale(a.Rect.Max.Y, on.Y, m.Y)).Add(monitor.Min)
}
