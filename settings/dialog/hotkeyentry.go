package dialog

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"imagecx/explain"
	"imagecx/hotkeys"
	"imagecx/i18n"
)

// hotkeyEntry records a key combination: click it (or tab to it), then
// press the keys. Backspace or Delete alone clears it; Esc stops recording.
type hotkeyEntry struct {
	widget.Button
	value     string // canonical, e.g. "Ctrl+Shift+1"; "" for none
	recording bool
	held      map[string]bool // modifiers down: "Ctrl", "Shift", "Alt", "Super"
	onChange  func(string)
	onEscape  func() // Esc when not recording: the window's Cancel
	// onRecording hears when recording starts and ends (the tray app
	// lets go of its hotkeys meanwhile, or pressing one would fire it).
	onRecording func(bool)
}

var _ desktop.Keyable = (*hotkeyEntry)(nil)
var _ fyne.Focusable = (*hotkeyEntry)(nil)

func newHotkeyEntry(value string, onChange func(string), onEscape func()) *hotkeyEntry {
	e := &hotkeyEntry{value: value, held: map[string]bool{}, onChange: onChange, onEscape: onEscape}
	e.ExtendBaseWidget(e)
	e.OnTapped = e.startRecording
	e.show()
	return e
}

func (e *hotkeyEntry) show() {
	switch {
	case e.recording:
		e.SetText(i18n.T("Press the keys…"))
	case e.value == "":
		e.SetText(i18n.T("(none) — click to set"))
	default:
		e.SetText(e.value)
	}
}

// setRecording starts or ends recording, and says so.
func (e *hotkeyEntry) setRecording(on bool) {
	if e.recording == on {
		return
	}
	e.recording = on
	if e.onRecording != nil {
		e.onRecording(on)
	}
}

func (e *hotkeyEntry) startRecording() {
	e.setRecording(true)
	clear(e.held)
	if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
		c.Focus(e)
	}
	e.show()
}

// Value is the recorded combination.
func (e *hotkeyEntry) Value() string { return e.value }

func (e *hotkeyEntry) FocusGained() { e.Button.FocusGained() }

func (e *hotkeyEntry) FocusLost() {
	e.setRecording(false)
	e.Button.FocusLost()
	e.show()
}

func (e *hotkeyEntry) TypedRune(rune) {}

// TypedKey starts recording on Space/Return while focused (keyboard use);
// everything else arrives through KeyDown.
func (e *hotkeyEntry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case e.recording:
	case k.Name == fyne.KeySpace || k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter:
		e.startRecording()
	case k.Name == fyne.KeyEscape && e.onEscape != nil:
		e.onEscape()
	}
}

var modifierKeys = map[fyne.KeyName]string{
	desktop.KeyControlLeft: "Ctrl", desktop.KeyControlRight: "Ctrl",
	desktop.KeyShiftLeft: "Shift", desktop.KeyShiftRight: "Shift",
	desktop.KeyAltLeft: "Alt", desktop.KeyAltRight: "Alt",
	desktop.KeySuperLeft: "Super", desktop.KeySuperRight: "Super",
}

func (e *hotkeyEntry) KeyDown(k *fyne.KeyEvent) {
	if !e.recording {
		return
	}
	if m, ok := modifierKeys[k.Name]; ok {
		e.held[m] = true
		return
	}
	mods := e.mods()
	switch {
	case k.Name == fyne.KeyEscape && mods == "":
		e.setRecording(false)
	case (k.Name == fyne.KeyBackspace || k.Name == fyne.KeyDelete) && mods == "":
		e.set("")
	default:
		combo := string(k.Name)
		if mods != "" {
			combo = mods + "+" + combo
		}
		if hk, err := hotkeys.Parse(combo); err == nil {
			e.set(hk.String())
		} else {
			e.SetText(i18n.T("Not usable: {{.why}}", "why", strings.TrimPrefix(explain.Error(err), "hotkey ")))
			return
		}
	}
	e.show()
}

func (e *hotkeyEntry) KeyUp(k *fyne.KeyEvent) {
	if m, ok := modifierKeys[k.Name]; ok {
		delete(e.held, m)
	}
}

func (e *hotkeyEntry) mods() string {
	var out []string
	for _, m := range []string{"Ctrl", "Shift", "Alt", "Super"} {
		if e.held[m] {
			out = append(out, m)
		}
	}
	return strings.Join(out, "+")
}

func (e *hotkeyEntry) set(v string) {
	e.value = v
	e.setRecording(false)
	clear(e.held)
	if e.onChange != nil {
		e.onChange(v)
	}
}
