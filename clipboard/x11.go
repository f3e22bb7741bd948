//go:build linux || freebsd || openbsd || netbsd

package clipboard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/i18n"
	"imagecx/internal/xconn"
)

// maxRead bounds what Read accepts (a 4K screenshot as BMP is 33 MB).
const maxRead = 96 << 20

// Open connects to the X display ("" means $DISPLAY) with a window of its
// own that owns and receives selections.
func Open(display string) (Conn, error) {
	conn, err := xconn.Dial(display, ErrUnsupported)
	if err != nil {
		return nil, err
	}
	setup := xproto.Setup(conn)
	scr := setup.DefaultScreen(conn)
	win, err := xproto.NewWindowId(conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := xproto.CreateWindowChecked(conn, scr.RootDepth, win, scr.Root, -10, -10, 1, 1, 0,
		xproto.WindowClassInputOutput, scr.RootVisual, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange}).Check(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("create the clipboard window: %w", err)
	}
	c := &x11{conn: conn, win: win, atoms: map[string]xproto.Atom{}, names: map[xproto.Atom]string{},
		transfers: map[transferKey]*transfer{}, incoming: make(chan xgb.Event, 256), stamps: make(chan xproto.Timestamp, 1), done: make(chan struct{})}
	c.chunk = min(256<<10, int(setup.MaximumRequestLength)*4-64)
	for _, name := range []string{"CLIPBOARD", "TARGETS", "TIMESTAMP", "MULTIPLE", "INCR", "ATOM", "INTEGER",
		"UTF8_STRING", "STRING", "TEXT", "text/plain", "text/plain;charset=utf-8", "text/uri-list",
		"x-special/gnome-copied-files", "IMAGECX_SELECTION", "IMAGECX_TIMESTAMP", "CLIPBOARD_MANAGER", "SAVE_TARGETS", "IMAGECX_SAVED"} {
		if _, err := c.atom(name); err != nil {
			conn.Close()
			return nil, err
		}
	}
	go c.loop()
	return c, nil
}

type transferKey struct {
	win  xproto.Window
	prop xproto.Atom
}

// transfer is one outgoing INCR transfer.
type transfer struct {
	typ  xproto.Atom
	data []byte
	off  int
	last time.Time
}

type x11 struct {
	conn  *xgb.Conn
	win   xproto.Window
	chunk int

	atomMu sync.Mutex
	atoms  map[string]xproto.Atom
	names  map[xproto.Atom]string

	mu        sync.Mutex
	owned     map[xproto.Atom][]byte // target → data while we own CLIPBOARD
	ownedAt   xproto.Timestamp
	lost      chan struct{} // closed when another program takes what we own
	transfers map[transferKey]*transfer

	readMu   sync.Mutex // one Read at a time
	incoming chan xgb.Event

	stampMu sync.Mutex // one timestamp at a time (never behind a Read)
	stamps  chan xproto.Timestamp

	done chan struct{}
}

var _ Conn = (*x11)(nil)

// Lost is closed when another program takes the clipboard from us, or
// the connection ends; nil when we own nothing.
func (c *x11) Lost() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lost
}

func (c *x11) atom(name string) (xproto.Atom, error) {
	c.atomMu.Lock()
	defer c.atomMu.Unlock()
	if a, ok := c.atoms[name]; ok {
		return a, nil
	}
	r, err := xproto.InternAtom(c.conn, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0, fmt.Errorf("intern atom %s: %w", name, err)
	}
	c.atoms[name], c.names[r.Atom] = r.Atom, name
	return r.Atom, nil
}

func (c *x11) a(name string) xproto.Atom {
	a, _ := c.atom(name)
	return a
}

func (c *x11) atomName(a xproto.Atom) string {
	c.atomMu.Lock()
	n, ok := c.names[a]
	c.atomMu.Unlock()
	if ok {
		return n
	}
	r, err := xproto.GetAtomName(c.conn, a).Reply()
	if err != nil {
		return ""
	}
	c.atomMu.Lock()
	c.names[a], c.atoms[r.Name] = r.Name, a
	c.atomMu.Unlock()
	return r.Name
}

func (c *x11) SetText(text string) error {
	data := []byte(text)
	return c.own(map[string][]byte{"UTF8_STRING": data, "text/plain;charset=utf-8": data, "STRING": data, "TEXT": data, "text/plain": data})
}

func (c *x11) SetImage(mime string, data []byte) error {
	if !slices.Contains(imageTargets, mime) {
		return i18n.Errorf("clipboard: {{.type}} is not an image type", "type", mime)
	}
	return c.own(map[string][]byte{mime: data})
}

// own takes the CLIPBOARD selection with these targets.
func (c *x11) own(targets map[string][]byte) error {
	owned := map[xproto.Atom][]byte{}
	for name, data := range targets {
		a, err := c.atom(name)
		if err != nil {
			return err
		}
		owned[a] = data
	}
	ts, err := c.timestamp()
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.owned, c.ownedAt = owned, ts
	if c.lost == nil {
		c.lost = make(chan struct{})
	}
	c.mu.Unlock()
	if err := xproto.SetSelectionOwnerChecked(c.conn, c.win, c.a("CLIPBOARD"), ts).Check(); err != nil {
		return fmt.Errorf("take the clipboard: %w", err)
	}
	r, err := xproto.GetSelectionOwner(c.conn, c.a("CLIPBOARD")).Reply()
	if err != nil || r.Owner != c.win {
		return i18n.Errorf("take the clipboard: another program kept it")
	}
	return nil
}

// timestamp gets the server time by touching a property of our window, as
// ICCCM asks instead of CurrentTime. Its property and its channel are its
// own, so taking the clipboard never waits for a Read of someone else's.
func (c *x11) timestamp() (xproto.Timestamp, error) {
	c.stampMu.Lock()
	defer c.stampMu.Unlock()
	select {
	case <-c.stamps: // a late answer to an earlier request
	default:
	}
	xproto.ChangeProperty(c.conn, xproto.PropModeAppend, c.win, c.a("IMAGECX_TIMESTAMP"), c.a("INTEGER"), 32, 0, nil)
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	select {
	case ts := <-c.stamps:
		return ts, nil
	case <-t.C:
		return xproto.TimeCurrentTime, nil
	case <-c.done:
		return 0, errors.New("clipboard closed")
	}
}

// Close hands what the clipboard holds of ours (the last link, an image)
// to the clipboard manager, where one runs, so it outlives the app; then
// it closes the connection.
func (c *x11) Close() error {
	select {
	case <-c.done:
		return nil
	default:
	}
	c.handOver(3 * time.Second)
	c.conn.Close()
	<-c.done
	return nil
}

// handOver asks the clipboard manager (the owner of CLIPBOARD_MANAGER)
// to save what we own (freedesktop's ClipboardManager: SAVE_TARGETS),
// and waits up to within for it to say it has, serving its requests
// meanwhile.
func (c *x11) handOver(within time.Duration) {
	c.mu.Lock()
	owned := c.owned
	c.mu.Unlock()
	if owned == nil {
		return
	}
	mgr, err := xproto.GetSelectionOwner(c.conn, c.a("CLIPBOARD_MANAGER")).Reply()
	if err != nil || mgr.Owner == xproto.WindowNone {
		return
	}
	c.readMu.Lock()
	defer c.readMu.Unlock()
	c.drain()
	xproto.ConvertSelection(c.conn, c.win, c.a("CLIPBOARD_MANAGER"), c.a("SAVE_TARGETS"), c.a("IMAGECX_SAVED"), xproto.TimeCurrentTime)
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		ev, err := c.next(ctx)
		if err != nil {
			return // the manager did not answer in time: the link goes with us
		}
		if n, ok := ev.(xproto.SelectionNotifyEvent); ok && n.Selection == c.a("CLIPBOARD_MANAGER") {
			return
		}
	}
}

// loop serves requests for what we own and forwards the rest to Read.
func (c *x11) loop() {
	defer close(c.done)
	defer func() {
		c.mu.Lock()
		if c.lost != nil {
			close(c.lost)
			c.lost = nil
		}
		c.mu.Unlock()
	}()
	for {
		ev, err := c.conn.WaitForEvent()
		if ev == nil && err == nil {
			return
		}
		switch e := ev.(type) {
		case xproto.SelectionRequestEvent:
			c.serve(e)
		case xproto.SelectionClearEvent:
			c.mu.Lock()
			if e.Selection == c.a("CLIPBOARD") && e.Time >= c.ownedAt {
				c.owned = nil
				if c.lost != nil {
					close(c.lost)
					c.lost = nil
				}
			}
			c.mu.Unlock()
		case xproto.PropertyNotifyEvent:
			switch {
			case e.Window != c.win:
				c.advance(e)
			case e.Atom == c.a("IMAGECX_TIMESTAMP"):
				select {
				case c.stamps <- e.Time:
				default:
				}
			default:
				c.forward(e)
			}
		case xproto.SelectionNotifyEvent:
			c.forward(e)
		}
	}
}

func (c *x11) forward(ev xgb.Event) {
	select {
	case c.incoming <- ev:
	default: // nobody is reading; stale events are dropped
	}
}

func (c *x11) serve(e xproto.SelectionRequestEvent) {
	prop := e.Property
	if prop == xproto.AtomNone { // obsolete requestors
		prop = e.Target
	}
	reply := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target, Property: prop}
	c.mu.Lock()
	owned := c.owned
	c.mu.Unlock()
	data, ok := owned[e.Target]
	switch {
	case e.Selection != c.a("CLIPBOARD") || owned == nil:
		reply.Property = xproto.AtomNone
	case e.Target == c.a("TARGETS"):
		list := []xproto.Atom{c.a("TARGETS"), c.a("TIMESTAMP")}
		for a := range owned {
			list = append(list, a)
		}
		buf := make([]byte, 4*len(list))
		for i, a := range list {
			xgb.Put32(buf[i*4:], uint32(a))
		}
		xproto.ChangeProperty(c.conn, xproto.PropModeReplace, e.Requestor, prop, c.a("ATOM"), 32, uint32(len(list)), buf)
	case e.Target == c.a("TIMESTAMP"):
		buf := make([]byte, 4)
		xgb.Put32(buf, uint32(c.ownedAt))
		xproto.ChangeProperty(c.conn, xproto.PropModeReplace, e.Requestor, prop, c.a("INTEGER"), 32, 1, buf)
	case !ok:
		reply.Property = xproto.AtomNone
	case len(data) > c.chunk:
		// INCR: announce the size, then send a chunk each time the
		// requestor deletes the property.
		xproto.ChangeWindowAttributes(c.conn, e.Requestor, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange})
		buf := make([]byte, 4)
		xgb.Put32(buf, uint32(len(data)))
		c.mu.Lock()
		c.expireTransfers()
		c.transfers[transferKey{e.Requestor, prop}] = &transfer{typ: e.Target, data: data, last: time.Now()}
		c.mu.Unlock()
		xproto.ChangeProperty(c.conn, xproto.PropModeReplace, e.Requestor, prop, c.a("INCR"), 32, 1, buf)
	default:
		typ := e.Target
		if typ == c.a("TEXT") {
			typ = c.a("UTF8_STRING")
		}
		xproto.ChangeProperty(c.conn, xproto.PropModeReplace, e.Requestor, prop, typ, 8, uint32(len(data)), data)
	}
	xproto.SendEvent(c.conn, false, e.Requestor, xproto.EventMaskNoEvent, string(reply.Bytes()))
}

// advance sends the next INCR chunk when a requestor deleted the last one.
func (c *x11) advance(e xproto.PropertyNotifyEvent) {
	if e.State != xproto.PropertyDelete {
		return
	}
	key := transferKey{e.Window, e.Atom}
	c.mu.Lock()
	t, ok := c.transfers[key]
	if !ok {
		c.mu.Unlock()
		return
	}
	n := min(c.chunk, len(t.data)-t.off)
	chunk := t.data[t.off : t.off+n]
	t.off += n
	t.last = time.Now()
	if n == 0 {
		delete(c.transfers, key)
	}
	c.mu.Unlock()
	xproto.ChangeProperty(c.conn, xproto.PropModeReplace, e.Window, e.Atom, t.typ, 8, uint32(n), chunk)
	if n == 0 {
		xproto.ChangeWindowAttributes(c.conn, e.Window, xproto.CwEventMask, []uint32{xproto.EventMaskNoEvent})
	}
}

// expireTransfers forgets transfers whose requestor went quiet (or died).
func (c *x11) expireTransfers() {
	for k, t := range c.transfers {
		if time.Since(t.last) > 30*time.Second {
			delete(c.transfers, k)
		}
	}
}

func (c *x11) drain() {
	for {
		select {
		case <-c.incoming:
		default:
			return
		}
	}
}

func (c *x11) next(ctx context.Context) (xgb.Event, error) {
	select {
	case ev := <-c.incoming:
		return ev, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.done:
		return nil, errors.New("clipboard closed")
	}
}

// Read returns the clipboard's most useful content: an image, else copied
// files, else text. It waits at most until ctx ends.
func (c *x11) Read(ctx context.Context) (Content, error) {
	// What we own ourselves is answered without a round trip (and without
	// waiting for our own event loop).
	owner, err := xproto.GetSelectionOwner(c.conn, c.a("CLIPBOARD")).Reply()
	if err != nil {
		return Content{}, fmt.Errorf("read the clipboard: %w", err)
	}
	if owner.Owner == xproto.WindowNone {
		return Content{Kind: Empty}, nil
	}
	if owner.Owner == c.win {
		return c.ownContent(), nil
	}
	c.readMu.Lock()
	defer c.readMu.Unlock()
	targets, err := c.targets(ctx)
	if err != nil {
		return Content{}, err
	}
	return readBest(ctx, targets, c.fetch)
}

func (c *x11) ownContent() Content {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range imageTargets {
		if d, ok := c.owned[c.a(t)]; ok {
			return Content{Kind: Image, Image: d, MIME: t}
		}
	}
	if d, ok := c.owned[c.a("UTF8_STRING")]; ok {
		return Content{Kind: Text, Text: string(d)}
	}
	return Content{Kind: Empty}
}

// targets asks the owner what it offers ("" list when it will not say).
func (c *x11) targets(ctx context.Context) ([]string, error) {
	data, typ, err := c.convert(ctx, "TARGETS")
	if err != nil || typ != c.a("ATOM") {
		return nil, err
	}
	var out []string
	for i := 0; i+4 <= len(data); i += 4 {
		if n := c.atomName(xproto.Atom(xgb.Get32(data[i:]))); n != "" {
			out = append(out, n)
		}
	}
	return out, nil
}

func (c *x11) fetch(ctx context.Context, target string) ([]byte, error) {
	data, _, err := c.convert(ctx, target)
	return data, err
}

// convert asks the owner for target and reads the answer, following INCR.
func (c *x11) convert(ctx context.Context, target string) ([]byte, xproto.Atom, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	t, err := c.atom(target)
	if err != nil {
		return nil, 0, err
	}
	prop := c.a("IMAGECX_SELECTION")
	c.drain()
	xproto.DeleteProperty(c.conn, c.win, prop)
	xproto.ConvertSelection(c.conn, c.win, c.a("CLIPBOARD"), t, prop, xproto.TimeCurrentTime)
	for {
		ev, err := c.next(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("the clipboard owner did not answer: %w", err)
		}
		sn, ok := ev.(xproto.SelectionNotifyEvent)
		if !ok || sn.Target != t {
			continue
		}
		if sn.Property == xproto.AtomNone {
			return nil, 0, nil // refused: no such target
		}
		break
	}
	data, typ, err := c.takeProperty(prop)
	if err != nil || typ != c.a("INCR") {
		return data, typ, err
	}
	// INCR: the owner sends chunks; each delete of ours asks for the next.
	var all []byte
	for {
		ev, err := c.next(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("the clipboard owner stopped sending: %w", err)
		}
		pn, ok := ev.(xproto.PropertyNotifyEvent)
		if !ok || pn.Atom != prop || pn.State != xproto.PropertyNewValue {
			continue
		}
		chunk, ctyp, err := c.takeProperty(prop)
		if err != nil {
			return nil, 0, err
		}
		if len(chunk) == 0 {
			return all, ctyp, nil
		}
		if len(all)+len(chunk) > maxRead {
			return nil, 0, i18n.Errorf("the clipboard holds more than {{.mb}} MB", "mb", maxRead>>20)
		}
		all = append(all, chunk...)
		typ = ctyp
	}
}

// takeProperty reads and deletes our window's property.
func (c *x11) takeProperty(prop xproto.Atom) ([]byte, xproto.Atom, error) {
	r, err := xproto.GetProperty(c.conn, true, c.win, prop, xproto.GetPropertyTypeAny, 0, maxRead/4).Reply()
	if err != nil {
		return nil, 0, fmt.Errorf("read the clipboard data: %w", err)
	}
	if r.BytesAfter > 0 {
		return nil, 0, i18n.Errorf("the clipboard holds more than {{.mb}} MB", "mb", maxRead>>20)
	}
	return r.Value, r.Type, nil
}
