//go:build linux || freebsd || openbsd || netbsd

package notify

import (
	"context"
	"fmt"
	"image"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/sessionbus"
)

const (
	busName = "org.freedesktop.Notifications"
	objPath = "/org/freedesktop/Notifications"
)

// Open connects to the session bus. It does not check that a notification
// server runs: one may start later, and Notify says when none answers.
// appIcon is an image file shown as the application's icon ("" for none).
func Open(appName, appIcon string) (Notifier, error) {
	bus, err := sessionbus.NewKeeper(os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("%w: no D-Bus session (%v)", ErrUnsupported, err)
	}
	d := &dbusNotifier{bus: bus, app: appName, icon: appIcon, invoked: make(chan Invoked, 8), tags: map[uint32]string{}, done: make(chan struct{})}
	d.wg.Add(1)
	go d.listen()
	return d, nil
}

// dbusNotifier talks to the notification server over a connection that is
// made again when the session bus comes back after a restart.
type dbusNotifier struct {
	bus     *sessionbus.Keeper
	app     string
	icon    string
	invoked chan Invoked
	done    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once

	// sending is held from a Notify call until its tag is remembered, so
	// a button pressed at once is not taken for another program's.
	sending sync.Mutex
	mu      sync.Mutex
	askedOn *dbus.Conn // the connection the server's capabilities were read on
	caps    []string
	tags    map[uint32]string // the server's ids of the notes with actions
	order   []uint32          // oldest first, to forget the oldest
	shown   map[string]uint32 // the server's id of the last note of each Replace
}

// maxTags bounds the notifications whose actions are remembered.
const maxTags = 64

func (d *dbusNotifier) Notify(ctx context.Context, n Note) error {
	conn, err := d.bus.Conn()
	if err != nil {
		return fmt.Errorf("show a notification: %w", err)
	}
	obj := conn.Object(busName, objPath)
	d.mu.Lock()
	if d.askedOn != conn { // a new bus may have a new server
		var caps []string
		if err := obj.CallWithContext(ctx, busName+".GetCapabilities", 0).Store(&caps); err == nil {
			d.caps, d.askedOn = caps, conn
		}
	}
	caps := d.caps
	d.mu.Unlock()
	body := n.Body
	if slices.Contains(caps, "body-markup") {
		body = escapeMarkup(body)
	}
	timeout := int32(-1)
	if n.Timeout > 0 {
		timeout = int32(n.Timeout.Milliseconds())
	}
	hints := map[string]dbus.Variant{
		"urgency":       dbus.MakeVariant(byte(n.Urgency)),
		"desktop-entry": dbus.MakeVariant(d.app),
	}
	if n.Sound != "" {
		hints["sound-name"] = dbus.MakeVariant(n.Sound)
	} else {
		hints["suppress-sound"] = dbus.MakeVariant(true)
	}
	if n.Image != nil {
		hints["image-data"] = dbus.MakeVariant(imageData(n.Image))
	}
	actions := []string{}
	if slices.Contains(caps, "actions") {
		for _, a := range n.Actions {
			actions = append(actions, a.Key, a.Label)
		}
	}
	icon := n.Icon
	if icon == "" {
		icon = d.icon
	}
	var id, replaces uint32
	d.sending.Lock()
	defer d.sending.Unlock()
	if n.Replace != "" {
		d.mu.Lock()
		replaces = d.shown[n.Replace]
		d.mu.Unlock()
	}
	err = obj.CallWithContext(ctx, busName+".Notify", 0, d.app, replaces, icon, n.Title, body, actions, hints, timeout).Store(&id)
	if err != nil {
		return fmt.Errorf("show a notification: %w", err)
	}
	if n.Replace != "" {
		d.mu.Lock()
		if d.shown == nil {
			d.shown = map[string]uint32{}
		}
		d.shown[n.Replace] = id
		d.mu.Unlock()
	}
	if len(actions) > 0 && n.Tag != "" {
		d.remember(id, n.Tag)
	}
	return nil
}

// remember keeps the tag of a note whose actions may be chosen.
func (d *dbusNotifier) remember(id uint32, tag string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tags[id] = tag
	d.order = append(d.order, id)
	if len(d.order) > maxTags {
		delete(d.tags, d.order[0])
		d.order = d.order[1:]
	}
}

// imageData is the notification spec's image-data: (iiibiiay), RGBA rows.
type rawImage struct {
	W, H, Stride int32
	Alpha        bool
	Bits, Chans  int32
	Data         []byte
}

func imageData(img *image.RGBA) rawImage {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	data := make([]byte, 0, w*h*4)
	for y := 0; y < h; y++ {
		o := img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y)
		data = append(data, img.Pix[o:o+w*4]...)
	}
	return rawImage{W: int32(w), H: int32(h), Stride: int32(w * 4), Alpha: true, Bits: 8, Chans: 4, Data: data}
}

// listen passes on the actions chosen, following the bus across restarts,
// until Close.
func (d *dbusNotifier) listen() {
	defer d.wg.Done()
	for wait := 500 * time.Millisecond; ; wait = min(2*wait, 10*time.Second) {
		if conn, err := d.bus.Conn(); err == nil && d.follow(conn) {
			wait = 500 * time.Millisecond
		}
		select {
		case <-d.done:
			return
		case <-time.After(wait):
		}
	}
}

// follow reads ActionInvoked and NotificationClosed until the connection
// ends or Close; it reports whether it got to listen.
func (d *dbusNotifier) follow(conn *dbus.Conn) bool {
	if err := conn.AddMatchSignal(dbus.WithMatchInterface(busName), dbus.WithMatchObjectPath(objPath)); err != nil {
		return false
	}
	signals := make(chan *dbus.Signal, 16)
	conn.Signal(signals)
	defer conn.RemoveSignal(signals)
	for {
		select {
		case <-d.done:
			return true
		case sig, ok := <-signals:
			if !ok {
				return true
			}
			if len(sig.Body) < 2 {
				continue
			}
			id, _ := sig.Body[0].(uint32)
			d.sending.Lock() // a note being shown is remembered first
			d.sending.Unlock()
			d.mu.Lock()
			tag, known := d.tags[id]
			d.mu.Unlock()
			if !known {
				continue
			}
			switch sig.Name {
			case busName + ".ActionInvoked":
				key, _ := sig.Body[1].(string)
				select {
				case d.invoked <- Invoked{Tag: tag, Key: key}:
				case <-d.done:
					return true
				}
			case busName + ".NotificationClosed":
				d.mu.Lock()
				delete(d.tags, id)
				d.mu.Unlock()
			}
		}
	}
}

func (d *dbusNotifier) Invoked() <-chan Invoked { return d.invoked }

func (d *dbusNotifier) Close() error {
	d.once.Do(func() { close(d.done) })
	d.wg.Wait()
	return d.bus.Close()
}
