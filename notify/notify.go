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
	"image"
	"strings"
	"time"

	"imagecx/i18n"
)

// ErrUnsupported is returned where notifications cannot be shown.
var ErrUnsupported error = i18n.Errorf("desktop notifications are not supported here")

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
	// Image is shown in the notification (a capture's thumbnail) where
	// the server shows images.
	Image *image.RGBA
	// Actions are buttons, where the server offers them (the text must
	// say everything without them); the one with key DefaultAction is a
	// click on the notification itself.
	Actions []Action
	// Tag names the notification for Invoked.
	Tag string
	// Replace, when set, makes this note take the place of the last one
	// shown with the same Replace (a batch's progress, then its outcome)
	// where the server can; elsewhere it is shown as a new one.
	Replace string
}

// Action is a button of a notification.
type Action struct {
	Key, Label string
}

// DefaultAction is the key of a click on the notification itself.
const DefaultAction = "default"

// Invoked is an action the person chose: the note's Tag and the action's
// Key.
type Invoked struct {
	Tag, Key string
}

// Notifier shows notifications.
type Notifier interface {
	Notify(ctx context.Context, n Note) error
	// Invoked delivers the actions chosen; nil where there are none.
	Invoked() <-chan Invoked
	Close() error
}

// escapeMarkup makes text safe for servers that render body markup.
func escapeMarkup(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
