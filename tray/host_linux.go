package tray

import (
	"context"
	"os"

	"imagecx/i18n"
	"imagecx/internal/sessionbus"
)

// HostAvailable reports whether a tray host (a StatusNotifierWatcher) runs
// on the session bus; without one the icon is not shown anywhere.
func HostAvailable(ctx context.Context) bool {
	conn, err := sessionbus.Connect(ctx, os.Getenv)
	if err != nil {
		return false
	}
	defer conn.Close()
	var has bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}

// NoHostHelp explains a missing tray icon.
func NoHostHelp() string {
	return i18n.T("This desktop shows no tray icons (no StatusNotifierItem host is running), so imagecx has no icon. " +
		"On GNOME, install the “AppIndicator and KStatusNotifierItem Support” extension; elsewhere add a system tray or status notifier applet to your panel.")
}
