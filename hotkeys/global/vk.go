package global

// virtualKeys are Windows' virtual-key codes for the key names hotkeys.Parse
// produces (the US layout's punctuation keys: the OEM codes).
var virtualKeys = map[string]uint16{
	"Print": 0x2C, "Pause": 0x13, "Scroll_Lock": 0x91, "Escape": 0x1B, "Return": 0x0D,
	"space": 0x20, "Tab": 0x09, "BackSpace": 0x08, "Insert": 0x2D, "Delete": 0x2E,
	"Home": 0x24, "End": 0x23, "Prior": 0x21, "Next": 0x22,
	"Left": 0x25, "Up": 0x26, "Right": 0x27, "Down": 0x28,
	"minus": 0xBD, "equal": 0xBB, "comma": 0xBC, "period": 0xBE, "slash": 0xBF, "backslash": 0xDC,
	"semicolon": 0xBA, "apostrophe": 0xDE, "grave": 0xC0, "bracketleft": 0xDB, "bracketright": 0xDD,
}

// virtualKey is the virtual-key code of a key name from hotkeys.Parse.
func virtualKey(key string) (uint16, bool) {
	if vk, ok := virtualKeys[key]; ok {
		return vk, true
	}
	if len(key) == 1 {
		switch c := key[0]; {
		case c >= 'a' && c <= 'z':
			return uint16(c - 'a' + 'A'), true
		case c >= '0' && c <= '9':
			return uint16(c), true
		}
	}
	if len(key) >= 2 && key[0] == 'F' {
		n := 0
		for _, c := range key[1:] {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		if n >= 1 && n <= 24 {
			return uint16(0x70 + n - 1), true
		}
	}
	return 0, false
}
