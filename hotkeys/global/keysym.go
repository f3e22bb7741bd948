//go:build linux || freebsd || openbsd || netbsd

package global

import "github.com/jezek/xgb/xproto"

var namedKeysyms = map[string]xproto.Keysym{
	"Print": 0xff61, "Pause": 0xff13, "Scroll_Lock": 0xff14, "Escape": 0xff1b, "Return": 0xff0d,
	"space": 0x20, "Tab": 0xff09, "BackSpace": 0xff08, "Insert": 0xff63, "Delete": 0xffff,
	"Home": 0xff50, "End": 0xff57, "Prior": 0xff55, "Next": 0xff56,
	"Left": 0xff51, "Up": 0xff52, "Right": 0xff53, "Down": 0xff54,
	"minus": 0x2d, "equal": 0x3d, "comma": 0x2c, "period": 0x2e, "slash": 0x2f, "backslash": 0x5c,
	"semicolon": 0x3b, "apostrophe": 0x27, "grave": 0x60, "bracketleft": 0x5b, "bracketright": 0x5d,
}

// keysymFor is the X keysym of a key name produced by hotkeys.Parse.
func keysymFor(key string) (xproto.Keysym, bool) {
	if s, ok := namedKeysyms[key]; ok {
		return s, true
	}
	if len(key) == 1 && (key[0] >= 'a' && key[0] <= 'z' || key[0] >= '0' && key[0] <= '9') {
		return xproto.Keysym(key[0]), true
	}
	var n int
	if len(key) >= 2 && key[0] == 'F' {
		for _, c := range key[1:] {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		if n >= 1 && n <= 24 {
			return xproto.Keysym(0xffbe + n - 1), true
		}
	}
	return 0, false
}
