// Package hotkeys is what a key combination is: parsing "Ctrl+Shift+1",
// its canonical form, and the Registry interface the global hotkey
// backends (hotkeys/global) implement. It links no X11 or D-Bus code, so
// the settings window can check combinations without them.
package hotkeys

import (
	"fmt"
	"strconv"
	"strings"

	"imagecx/i18n"
)

// Mod is a set of modifier keys.
type Mod uint8

const (
	Ctrl Mod = 1 << iota
	Shift
	Alt
	Super
)

// Hotkey is one combination: modifiers and a key named as an X keysym
// ("1", "a", "F9", "Print").
type Hotkey struct {
	Mods Mod
	Key  string
}

// ErrUnsupported is returned where global hotkeys are not available.
var ErrUnsupported error = i18n.Errorf("global hotkeys are not supported on this desktop")

// TakenError says another program holds the combination.
type TakenError struct{ Hotkey Hotkey }

// takenKey is TakenError's catalog key.
var takenKey = i18n.Mark("{{.hotkey}} is already used by another program")

func (e *TakenError) Error() string { return i18n.In(i18n.English, takenKey, "hotkey", e.Hotkey) }

// Explain says it in the person's language.
func (e *TakenError) Explain() string { return i18n.T(takenKey, "hotkey", e.Hotkey) }

var modNames = map[string]Mod{
	"ctrl": Ctrl, "control": Ctrl, "ctl": Ctrl,
	"shift": Shift,
	"alt":   Alt, "option": Alt, "opt": Alt, "meta": Alt,
	"super": Super, "win": Super, "windows": Super, "cmd": Super, "command": Super, "logo": Super,
}

// keyNames maps what people type (lower case) to X keysym names.
var keyNames = map[string]string{
	"print": "Print", "prtsc": "Print", "printscreen": "Print", "prtscr": "Print", "sysrq": "Print",
	"esc": "Escape", "escape": "Escape", "enter": "Return", "return": "Return", "space": "space",
	"tab": "Tab", "backspace": "BackSpace", "insert": "Insert", "ins": "Insert", "delete": "Delete", "del": "Delete",
	"home": "Home", "end": "End", "pageup": "Prior", "pgup": "Prior", "pagedown": "Next", "pgdn": "Next",
	"up": "Up", "down": "Down", "left": "Left", "right": "Right", "pause": "Pause", "scrolllock": "Scroll_Lock",
	"minus": "minus", "-": "minus", "equal": "equal", "=": "equal", "comma": "comma", ",": "comma",
	"period": "period", ".": "period", "slash": "slash", "/": "slash", "backslash": "backslash", "\\": "backslash",
	"semicolon": "semicolon", ";": "semicolon", "apostrophe": "apostrophe", "'": "apostrophe",
	"grave": "grave", "`": "grave", "bracketleft": "bracketleft", "[": "bracketleft", "bracketright": "bracketright", "]": "bracketright",
}

// Parse reads "Ctrl+Shift+1", "Alt+Print", "Super+F9" (any case, "+" or
// "-" between parts, spaces ignored). It wants at least one modifier unless
// the key is Print, Pause or a function key, which work alone.
func Parse(s string) (Hotkey, error) {
	orig := s
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return Hotkey{}, i18n.Errorf("empty hotkey")
	}
	// "+" and "-" both separate; a trailing separator is the key itself ("Ctrl++").
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if (s[i] == '+' || s[i] == '-') && i > start {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	parts = append(parts, s[start:])
	var h Hotkey
	for _, p := range parts[:len(parts)-1] {
		m, ok := modNames[strings.ToLower(p)]
		if !ok {
			return Hotkey{}, i18n.Errorf("hotkey {{.hotkey}}: {{.part}} is not a modifier (use Ctrl, Shift, Alt or Super)", "hotkey", strconv.Quote(orig), "part", strconv.Quote(p))
		}
		if h.Mods&m != 0 {
			return Hotkey{}, i18n.Errorf("hotkey {{.hotkey}}: {{.part}} appears twice", "hotkey", strconv.Quote(orig), "part", p)
		}
		h.Mods |= m
	}
	key, err := keyName(parts[len(parts)-1])
	if err != nil {
		return Hotkey{}, fmt.Errorf("hotkey %q: %w", orig, err)
	}
	h.Key = key
	if h.Mods == 0 && !standsAlone(key) {
		return Hotkey{}, i18n.Errorf("hotkey {{.hotkey}}: add a modifier such as Ctrl+Shift, or every {{.key}} typed would be taken", "hotkey", strconv.Quote(orig), "key", key)
	}
	return h, nil
}

func keyName(k string) (string, error) {
	if k == "" || k == "+" {
		return "", i18n.Errorf("no key after the modifiers")
	}
	low := strings.ToLower(k)
	if _, isMod := modNames[low]; isMod {
		return "", i18n.Errorf("{{.key}} is a modifier; a key must follow it", "key", k)
	}
	if name, ok := keyNames[low]; ok {
		return name, nil
	}
	for _, name := range keyNames { // the keysym names themselves ("Prior", "BackSpace")
		if strings.EqualFold(name, k) {
			return name, nil
		}
	}
	if len(k) == 1 && (k[0] >= 'a' && k[0] <= 'z' || k[0] >= 'A' && k[0] <= 'Z' || k[0] >= '0' && k[0] <= '9') {
		return strings.ToLower(k), nil
	}
	if low[0] == 'f' {
		var n int
		if _, err := fmt.Sscanf(low, "f%d", &n); err == nil && n >= 1 && n <= 24 && fmt.Sprintf("f%d", n) == low {
			return fmt.Sprintf("F%d", n), nil
		}
	}
	return "", i18n.Errorf("{{.key}} is not a key name (examples: 1, A, F9, Print, Space)", "key", strconv.Quote(k))
}

func standsAlone(key string) bool {
	return key == "Print" || key == "Pause" || (len(key) > 1 && key[0] == 'F')
}

// String is the canonical form, "Ctrl+Shift+1".
func (h Hotkey) String() string {
	var b strings.Builder
	for _, m := range []struct {
		m    Mod
		name string
	}{{Ctrl, "Ctrl"}, {Shift, "Shift"}, {Alt, "Alt"}, {Super, "Super"}} {
		if h.Mods&m.m != 0 {
			b.WriteString(m.name + "+")
		}
	}
	key := h.Key
	if len(key) == 1 {
		key = strings.ToUpper(key)
	}
	b.WriteString(key)
	return b.String()
}

// Registry holds registered hotkeys and delivers their presses.
type Registry interface {
	// Register grabs hk under name, replacing what name had. A
	// combination held by another program gives *TakenError.
	Register(name string, hk Hotkey) error
	Unregister(name string)
	// Events delivers presses until Close.
	Events() <-chan Event
	// Close releases every grab.
	Close() error
}

// Event is a hotkey press: the name it was registered under.
type Event struct {
	Name string
	// Missed counts presses before this one that were dropped because
	// the program was behind (the Events channel was full).
	Missed int
}
