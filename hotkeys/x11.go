//go:build linux || freebsd || openbsd || netbsd

package hotkeys

import (
	"errors"
	"fmt"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"imagecx/internal/xconn"
)

// Open connects to the X display (e.g. ":0"; "" means $DISPLAY).
func Open(display string) (Registry, error) {
	conn, err := xconn.Dial(display, ErrUnsupported)
	if err != nil {
		return nil, err
	}
	x := &x11{conn: conn, root: xproto.Setup(conn).DefaultScreen(conn).Root, grabs: map[string]grab{},
		events: make(chan Event, 8), done: make(chan struct{})}
	if err := x.readMapping(); err != nil {
		conn.Close()
		return nil, err
	}
	go x.loop()
	return x, nil
}

type grab struct {
	hk   Hotkey
	code xproto.Keycode
	mods uint16
}

type x11 struct {
	conn *xgb.Conn
	root xproto.Window

	minCode  xproto.Keycode
	perCode  int
	keysyms  []xproto.Keysym
	numLock  uint16
	alt      uint16
	super    uint16
	relevant uint16 // modifier bits that must match exactly

	mu     sync.Mutex
	grabs  map[string]grab
	events chan Event
	done   chan struct{}
	closed bool
}

var _ Registry = (*x11)(nil)

func (x *x11) readMapping() error {
	setup := xproto.Setup(x.conn)
	x.minCode = setup.MinKeycode
	n := byte(setup.MaxKeycode-setup.MinKeycode) + 1
	km, err := xproto.GetKeyboardMapping(x.conn, setup.MinKeycode, n).Reply()
	if err != nil {
		return fmt.Errorf("read the keyboard mapping: %w", err)
	}
	x.perCode, x.keysyms = int(km.KeysymsPerKeycode), km.Keysyms
	// Which ModN carries NumLock, Alt and Super differs between keyboards.
	x.numLock, x.alt, x.super = xproto.ModMask2, xproto.ModMask1, xproto.ModMask4
	mm, err := xproto.GetModifierMapping(x.conn).Reply()
	if err == nil && mm.KeycodesPerModifier > 0 {
		per := int(mm.KeycodesPerModifier)
		for mod := 0; mod < 8; mod++ {
			for _, kc := range mm.Keycodes[mod*per : (mod+1)*per] {
				switch x.keysymOf(kc) {
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

func (x *x11) keysymOf(kc xproto.Keycode) xproto.Keysym {
	i := int(kc-x.minCode) * x.perCode
	if kc < x.minCode || i >= len(x.keysyms) {
		return 0
	}
	return x.keysyms[i]
}

// keycode finds the key that types sym, preferring an unshifted position.
func (x *x11) keycode(sym xproto.Keysym) (xproto.Keycode, bool) {
	for col := 0; col < x.perCode; col++ {
		for i := col; i < len(x.keysyms); i += x.perCode {
			if x.keysyms[i] == sym {
				return x.minCode + xproto.Keycode(i/x.perCode), true
			}
		}
	}
	return 0, false
}

func (x *x11) mask(m Mod) uint16 {
	var v uint16
	if m&Ctrl != 0 {
		v |= xproto.ModMaskControl
	}
	if m&Shift != 0 {
		v |= xproto.ModMaskShift
	}
	if m&Alt != 0 {
		v |= x.alt
	}
	if m&Super != 0 {
		v |= x.super
	}
	return v
}

// lockVariants are the extra modifier states a grab must also cover.
func (x *x11) lockVariants() []uint16 {
	return []uint16{0, xproto.ModMaskLock, x.numLock, xproto.ModMaskLock | x.numLock}
}

func (x *x11) Register(name string, hk Hotkey) error {
	sym, ok := keysymFor(hk.Key)
	if !ok {
		return fmt.Errorf("%s: unknown key %q", hk, hk.Key)
	}
	code, ok := x.keycode(sym)
	if !ok {
		return fmt.Errorf("%s: this keyboard has no %s key", hk, hk.Key)
	}
	g := grab{hk: hk, code: code, mods: x.mask(hk.Mods)}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return errors.New("hotkeys are closed")
	}
	if old, ok := x.grabs[name]; ok {
		x.ungrab(old)
		delete(x.grabs, name)
	}
	for _, other := range x.grabs {
		if other.code == g.code && other.mods == g.mods {
			return fmt.Errorf("%s is already assigned to another action", hk)
		}
	}
	for i, lock := range x.lockVariants() {
		err := xproto.GrabKeyChecked(x.conn, true, x.root, g.mods|lock, g.code, xproto.GrabModeAsync, xproto.GrabModeAsync).Check()
		if err != nil {
			for _, done := range x.lockVariants()[:i] {
				xproto.UngrabKey(x.conn, g.code, x.root, g.mods|done)
			}
			var access xproto.AccessError
			if errors.As(err, &access) {
				return &TakenError{Hotkey: hk}
			}
			return fmt.Errorf("grab %s: %w", hk, err)
		}
	}
	x.grabs[name] = g
	return nil
}

func (x *x11) ungrab(g grab) {
	for _, lock := range x.lockVariants() {
		xproto.UngrabKeyChecked(x.conn, g.code, x.root, g.mods|lock).Check()
	}
}

func (x *x11) Unregister(name string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if g, ok := x.grabs[name]; ok && !x.closed {
		x.ungrab(g)
		delete(x.grabs, name)
	}
}

func (x *x11) Events() <-chan Event { return x.events }

func (x *x11) Close() error {
	x.mu.Lock()
	if x.closed {
		x.mu.Unlock()
		return nil
	}
	for name, g := range x.grabs {
		x.ungrab(g)
		delete(x.grabs, name)
	}
	x.closed = true
	x.mu.Unlock()
	x.conn.Close()
	<-x.done
	return nil
}

func (x *x11) loop() {
	defer close(x.done)
	defer close(x.events)
	for {
		ev, err := x.conn.WaitForEvent()
		if ev == nil && err == nil {
			return // connection closed
		}
		press, ok := ev.(xproto.KeyPressEvent)
		if !ok {
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
		case x.events <- Event{Name: name}:
		default: // the consumer is far behind; a key held down is not a queue
		}
	}
}
