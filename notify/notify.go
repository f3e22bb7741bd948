// Package notify shows desktop notifications.
//
// Linux: org.freedesktop.Notifications over a private session-bus
// connection of its own. (fyne.io/systray closes the shared session bus
// connection when the tray quits; a private one cannot be taken down by
// it, and cannot take the tray down either.) Other platforms return
// ErrUnsupported for now; callers then log the message instead.
package notify

import (
	"context"
	"errors"
	"strings"
	"time"
)

// ErrUnsupported is returned where notifications cannot be shown.
var ErrUnsupported = errors.New("desktop notifications are not supported here")

// Urgency of a notification.
type Urgency byte

const (
	Low Urgency = iota
	Normal
	Critical
)

// Note is one notification.
type Note struct {
	Title   string
	Body    string
	Urgency Urgency
	// Icon is a file path or a freedesktop icon name; "" for the default.
	Icon string
	// Timeout, 0 for the server's default.
	Timeout time.Duration
	// Sound is a freedesktop sound name ("screen-capture") the server
	// plays with the notification; "" means silent.
	Sound string
}

// Notifier shows notifications.
type Notifier interface {
	Notify(ctx context.Context, n Note) error
	Close() error
}

// escapeMarkup makes text safe for servers that render body markup.
func escapeMarkup(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
