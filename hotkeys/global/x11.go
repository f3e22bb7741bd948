//go:build linux || freebsd || openbsd || netbsd

package global

import (
	"errors"
	"fmt"
	"sync"

	"imagecx/hotkeys"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/internal/xconn"
)

// Open connects to the X display (e.g. ":0"; "" means $DISPLAY).
func Open(display string) (hotkeys.Registry, error) {
	conn, err := xconn.Dial(display, hotkeys.ErrUnsupported)
	if err != nil {
		return nil, err
	}
	x := &x11{conn: conn, root: xproto.Setup(conn).DefaultScreen(conn).Root, grabs: map[string]grab{},
		events: make(chan hotkeys.Event, 8), done: make(chan struct{})}
	if err := x.readMapping(); err != nil {
		conn.Close()
		return nil, err
	}
	go x.loop()
	return x, nil
}

type grab struct {
	hk   hotkeys.Hotkey
	code xproto.Keycode
	mods uint16
}

type x11 struct {
	conn *xgb.Conn
	root xproto.Window

	keymap   *xconn.Keymap
	numLock  uint16
	alt      uint16
	super    uint16
	relevant uint16 // modifier bits that must match exactly

	regMu  sync.Mutex // one registration at a time
	mu     sync.Mutex // guards grabs and closed
	grabs  map[string]grab
	events chan hotkeys.Event
	done   chan struct{}
	closed bool
}

var _ hotkeys.Registry = (*x11)(nil)

func (x *x11) readMapping() error {
	var err error
	if x.keymap, err = xconn.ReadKeymap(x.conn); err != nil {
		return err
	}
	// Which ModN carries NumLock, Alt and Super differs between keyboards.
	x.numLock, x.alt, x.super = xproto.ModMask2, xproto.ModMask1, xproto.ModMask4
	mm, err := xproto.GetModifierMapping(x.conn).Reply()
	if err == nil && mm.KeycodesPerModifier > 0 {
		per := int(mm.KeycodesPerModifier)
		for mod := 0; mod < 8; mod++ {
			for _, kc := range mm.Keycodes[mod*per : (mod+1)*per] {
				switch x.keymap.Keysym(kc) {
				case 0xff7f: // Num_Lock
					x.numLock = 1 << mod
				case 0xffe9, 0xffe7: // Alt_L, Meta_L
					if mod >= 3 {
						x.alt = 1 << mod
					}
				case 0xffeb: // Super_L
					if mod >= 3 {
						x.super = 1 << mod
					}
				}
			}
		}
	}
	x.relevant = xproto.ModMaskShift | xproto.ModMaskControl | x.alt | x.super
	return nil
}

func (x *x11) mask(m hotkeys.Mod) uint16 {
	var v uint16
	if m&hotkeys.Ctrl != 0 {
		v |= xproto.ModMaskControl
	}
	if m&hotkeys.Shift != 0 {
		v |= xproto.ModMaskShift
	}
	if m&hotkeys.Alt != 0 {
		v |= x.alt
	}
	if m&hotkeys.Super != 0 {
		v |= x.super
	}
	return v
}

// lockVariants are the extra modifier states a grab must also cover.
func (x *x11) lockVariants() []uint16 {
	return []uint16{0, xproto.ModMaskLock, x.numLock, xproto.ModMaskLock | x.numLock}
}

func (x *x11) Register(name string, hk hotkeys.Hotkey) error {
	sym, ok := keysymFor(hk.Key)
	if !ok {
		return fmt.Errorf("%s: unknown key %q", hk, hk.Key)
	}
	code, ok := x.keymap.Keycode(sym)
	if !ok {
		return fmt.Errorf("%s: this keyboard has no %s key", hk, hk.Key)
	}
	g := grab{hk: hk, code: code, mods: x.mask(hk.Mods)}
	// regMu keeps registrations in order; mu only guards the map, briefly,
	// so the event loop never waits behind the X round trips below.
	x.regMu.Lock()
	defer x.regMu.Unlock()
	x.mu.Lock()
	closed := x.closed
	old, had := x.grabs[name]
	delete(x.grabs, name)
	conflict := false
	for _, other := range x.grabs {
		conflict = conflict || (other.code == g.code && other.mods == g.mods)
	}
	x.mu.Unlock()
	if closed {
		return errors.New("hotkeys are closed")
	}
	if had {
		x.ungrab(old)
	}
	if conflict {
		return fmt.Errorf("%s is already assigned to another action", hk)
	}
	for i, lock := range x.lockVariants() {
		err := xproto.GrabKeyChecked(x.conn, true, x.root, g.mods|lock, g.code, xproto.GrabModeAsync, xproto.GrabModeAsync).Check()
		if err != nil {
			for _, done := range x.lockVariants()[:i] {
				xproto.UngrabKey(x.conn, g.code, x.root, g.mods|done)
			}
			var access xproto.AccessError
			if errors.As(err, &access) {
				return &hotkeys.TakenError{Hotkey: hk}
			}
			return fmt.Errorf("grab %s: %w", hk, err)
		}
	}
	x.mu.Lock()
	x.grabs[name] = g
	x.mu.Unlock()
	return nil
}

func (x *x11) ungrab(g grab) {
	for _, lock := range x.lockVariants() {
		xproto.UngrabKeyChecked(x.conn, g.code, x.root, g.mods|lock).Check()
	}
}

func (x *x11) Unregister(name string) {
	x.regMu.Lock()
	defer x.regMu.Unlock()
	x.mu.Lock()
	g, ok := x.grabs[name]
	delete(x.grabs, name)
	closed := x.closed
	x.mu.Unlock()
	if ok && !closed {
		x.ungrab(g)
	}
}

func (x *x11) Events() <-chan hotkeys.Event { return x.events }

func (x *x11) Close() error {
	x.regMu.Lock()
	defer x.regMu.Unlock()
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		return nil
	}
	x.closed = true
	grabs := x.grabs
	x.grabs = map[string]grab{}
	x.mu.Unlock()
	for _, g := range grabs {
		x.ungrab(g)
	}
	x.conn.Close()
	<-x.done
	return nil
}

func (x *x11) loop() {
	defer close(x.done)
	defer close(x.events)
	released := map[xproto.Keycode]xproto.Timestamp{}
	missed := 0
	for {
		ev, err := x.conn.WaitForEvent()
		if ev == nil && err == nil {
			return // connection closed
		}
		var press xproto.KeyPressEvent
		switch e := ev.(type) {
		case xproto.KeyReleaseEvent:
			released[e.Detail] = e.Time
			continue
		case xproto.KeyPressEvent:
			press = e
		default:
			continue
		}
		// A key held down repeats as a release and a press with the same
		// time: one press is one capture, however long it is held.
		if t, ok := released[press.Detail]; ok && t == press.Time {
			continue
		}
		x.mu.Lock()
		var name string
		for n, g := range x.grabs {
			if g.code == press.Detail && press.State&x.relevant == g.mods {
				name = n
			}
		}
		x.mu.Unlock()
		if name == "" {
			continue
		}
		select {
		case x.events <- hotkeys.Event{Name: name, Missed: missed}:
			missed = 0
		default: // the program is far behind: counted, and said with the next press
			missed++
		}
	}
}
