//go:build !linux

package tray

import (
	"context"

	"imagecx/i18n"
)

// HostAvailable is always true where the OS draws the tray itself.
func HostAvailable(context.Context) bool { return true }

// NoHostHelp explains a missing tray icon.
func NoHostHelp() string { return i18n.T("The system tray is not available.") }
