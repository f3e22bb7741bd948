// Package autostart starts the tray app when the user logs in.
//
// Windows: the value "imagecx" in the per-user Run key (windows.go).
//
// Linux and other freedesktop systems: a desktop entry in
// $XDG_CONFIG_HOME/autostart (~/.config/autostart/imagecx.desktop) whose
// Exec line is the tray app's absolute path. macOS (a LaunchAgent) is not
// written yet: New returns ErrUnsupported there.
package autostart

import "imagecx/i18n"

// ErrUnsupported is returned where starting at login is not written yet.
var ErrUnsupported error = i18n.Errorf("starting imagecx at login is not supported on this system yet")
