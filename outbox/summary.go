package outbox

import (
	"context"
	"time"

	"imagecx/uploader"
)

// Books is what the tray shows from the outbox.
type Books struct {
	Recent  []string // formatted links, newest first
	Failed  int      // failed entries: "Retry failed uploads (N)"
	Waiting int      // passing failures planned to be tried again
	Next    time.Time
	Planned bool  // Next is set
	Err     error // the recent links could not be read
}

// Summary reads the history for the tray: the n most recent links in
// format, what failed and what waits.
func (o *Outbox) Summary(ctx context.Context, n int, format uploader.LinkFormat) Books {
	var b Books
	h := o.History
	if h == nil {
		return b
	}
	recent, err := h.Recent(ctx, n)
	for _, e := range recent {
		b.Recent = append(b.Recent, uploader.FormatLink(e.Result(), format))
	}
	b.Failed, _ = h.Failed(ctx)
	b.Waiting, _ = h.Waiting(ctx)
	b.Next, b.Planned, _ = h.NextTry(ctx)
	b.Err = err
	return b
}
