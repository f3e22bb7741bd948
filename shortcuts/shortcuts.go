// Package shortcuts binds imagecx's capture commands to keys in the
// desktop's own keyboard settings: the way to have hotkeys where imagecx
// cannot take keys itself (GNOME on Wayland before the GlobalShortcuts
// portal). The command run by such a key does what the tray app would:
// it hands the capture to the tray app, or copies the link and notifies
// itself.
package shortcuts

import (
	"fmt"
	"sort"
	"strings"

	"imagecx/action"
	"imagecx/hotkeys"
	"imagecx/settings"
)

// Binding is one command on one key.
type Binding struct {
	Action  action.ID
	Name    string // as the desktop lists it: "imagecx: Capture region"
	Command string // the program and its arguments
	Accel   string // GTK's form: "<Control><Shift>2"
	Hotkey  string // as people write it: "Ctrl+Shift+2"
}

// For is the bindings of the capture actions that have a hotkey in hk,
// running exe (imagecx's path).
func For(exe string, hk settings.Hotkeys) ([]Binding, error) {
	var out []Binding
	for _, a := range action.All {
		if !(strings.HasPrefix(a.Verb, "capture ") || a.Verb == "ocr" || a.Verb == "pin") || hk[a.ID] == "" {
			continue
		}
		h, err := hotkeys.Parse(hk[a.ID])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Title(), err)
		}
		out = append(out, Binding{Action: a.ID, Name: "imagecx: " + a.Title(), Command: quote(exe) + " " + a.Verb, Accel: Accel(h), Hotkey: h.String()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out, nil
}

// Accel is h as GTK writes an accelerator: "<Control><Shift>2".
func Accel(h hotkeys.Hotkey) string {
	var b strings.Builder
	for _, m := range []struct {
		mod  hotkeys.Mod
		name string
	}{{hotkeys.Ctrl, "<Control>"}, {hotkeys.Shift, "<Shift>"}, {hotkeys.Alt, "<Alt>"}, {hotkeys.Super, "<Super>"}} {
		if h.Mods&m.mod != 0 {
			b.WriteString(m.name)
		}
	}
	b.WriteString(h.Key)
	return b.String()
}

// quote quotes a path for a desktop's command line when it needs it.
func quote(s string) string {
	if !strings.ContainsAny(s, " \t'\"\\$`") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
