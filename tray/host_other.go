//go:build !linux

package tray

import "context"

// HostAvailable is always true where the OS draws the tray itself.
func HostAvailable(context.Context) bool { return true }

// NoHostHelp explains a missing tray icon.
const NoHostHelp = "The system tray is not available."
