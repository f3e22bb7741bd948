//go:build linux || freebsd || openbsd || netbsd

package xconn

import (
	"fmt"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// Keymap is the server's keyboard mapping: which keysyms each keycode
// types.
type Keymap struct {
	min  xproto.Keycode
	per  int // keysyms per keycode
	syms []xproto.Keysym
}

// ReadKeymap asks the server for its keyboard mapping.
func ReadKeymap(conn *xgb.Conn) (*Keymap, error) {
	setup := xproto.Setup(conn)
	km, err := xproto.GetKeyboardMapping(conn, setup.MinKeycode, byte(setup.MaxKeycode-setup.MinKeycode)+1).Reply()
	if err != nil {
		return nil, fmt.Errorf("read the keyboard mapping: %w", err)
	}
	return &Keymap{min: setup.MinKeycode, per: int(km.KeysymsPerKeycode), syms: km.Keysyms}, nil
}

// Keysym is what code types without modifiers; 0 when it types nothing.
func (k *Keymap) Keysym(code xproto.Keycode) xproto.Keysym {
	i := int(code-k.min) * k.per
	if code < k.min || i >= len(k.syms) {
		return 0
	}
	return k.syms[i]
}

// Keycode finds a key that types sym, preferring one that types it
// without Shift.
func (k *Keymap) Keycode(sym xproto.Keysym) (xproto.Keycode, bool) {
	for col := 0; col < k.per; col++ {
		for i := col; i < len(k.syms); i += k.per {
			if k.syms[i] == sym {
				return k.min + xproto.Keycode(i/k.per), true
			}
		}
	}
	return 0, false
}
