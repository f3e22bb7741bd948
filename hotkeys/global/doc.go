// Package global registers hotkeys that work whatever window has the
// focus.
//
// X11: our own passive grabs on the root window (xgb), one per lock
// variant (none, CapsLock, NumLock, both) so NumLock/CapsLock do not stop
// the hotkeys; a combination another program grabbed first is reported as
// *hotkeys.TakenError and the rest keep working. Events are matched on
// keycode and modifier state. (golang.design/x/hotkey is not used on X11:
// it fires on any key while the root window has focus, and its init panics
// without a display.)
//
// Windows: RegisterHotKey on a thread of our own that waits in
// GetMessage; a combination another program registered first is
// *hotkeys.TakenError too (windows.go).
//
// Wayland: the GlobalShortcuts portal where the desktop has it
// (BindPortal); elsewhere the desktop's own shortcut settings can run
// `imagecx capture …`. macOS: Open returns hotkeys.ErrUnsupported for now.
package global
