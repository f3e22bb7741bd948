package hotkeys

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	ok := map[string]string{
		"Ctrl+Shift+1":          "Ctrl+Shift+1",
		"ctrl+shift+1":          "Ctrl+Shift+1",
		"Shift+Ctrl+1":          "Ctrl+Shift+1",
		" Control - Shift - 2 ": "Ctrl+Shift+2",
		"Alt+Print":             "Alt+Print",
		"Super+F9":              "Super+F9",
		"Win+f12":               "Super+F12",
		"Print":                 "Print",
		"F24":                   "F24",
		"Ctrl+Alt+PrtSc":        "Ctrl+Alt+Print",
		"Ctrl+a":                "Ctrl+A",
		"Ctrl+-":                "Ctrl+minus",
		"Ctrl+Shift+PageUp":     "Ctrl+Shift+Prior",
		"cmd+shift+4":           "Shift+Super+4",
	}
	for in, want := range ok {
		h, err := Parse(in)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if got := h.String(); got != want {
			t.Errorf("Parse(%q) = %s, want %s", in, got, want)
		}
		// The canonical form parses to the same thing.
		if h2, err := Parse(h.String()); err != nil || h2 != h {
			t.Errorf("round trip of %s: %v %v", h, h2, err)
		}
	}
	bad := map[string]string{
		"":            "empty",
		"Ctrl+":       "no key",
		"Ctrl+Shift":  "modifier",
		"Hyper+1":     "not a modifier",
		"Ctrl+Ctrl+1": "twice",
		"Ctrl+Banana": "not a key name",
		"a":           "add a modifier",
		"Ctrl+F25":    "not a key name",
		"Ctrl+1+2":    "not a modifier",
	}
	for in, want := range bad {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error saying %q", in, err, want)
		}
	}
}
