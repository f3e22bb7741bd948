package portal

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/godbus/dbus/v5"
)

// The permission store (xdg-permission-store) keeps what the person
// answered when the desktop asked whether an application may do
// something. GNOME asks "Allow applications to take screenshots?" once,
// for every application outside a sandbox at once (app ""), and keeps
// the answer in table "screenshot", id "screenshot".
const (
	storeName = "org.freedesktop.impl.portal.PermissionStore"
	storePath = "/org/freedesktop/impl/portal/PermissionStore"
)

// Answers the permission store keeps.
const (
	Allowed  = "yes"
	Denied   = "no"
	NotAsked = ""
)

// ScreenshotPermission is what the person answered GNOME's question for
// applications outside a sandbox: Allowed, Denied, or NotAsked (also
// when no permission store runs).
func ScreenshotPermission(ctx context.Context, conn *dbus.Conn) (string, error) {
	var perms map[string][]string
	var data dbus.Variant
	err := conn.Object(storeName, storePath).CallWithContext(ctx, storeName+".Lookup", 0, "screenshot", "screenshot").Store(&perms, &data)
	var de dbus.Error
	if errors.As(err, &de) && (strings.HasSuffix(de.Name, ".NotFound") || strings.Contains(de.Name, "ServiceUnknown")) {
		return NotAsked, nil
	}
	if err != nil {
		return NotAsked, fmt.Errorf("read the desktop's permissions: %w", err)
	}
	if p := perms[""]; len(p) > 0 {
		return p[0], nil
	}
	return NotAsked, nil
}

// AllowScreenshots records that applications outside a sandbox may take
// screenshots, as the Allow button of GNOME's question would: the person
// asked for it in imagecx.
func AllowScreenshots(ctx context.Context, conn *dbus.Conn) error {
	err := conn.Object(storeName, storePath).CallWithContext(ctx, storeName+".SetPermission", 0, "screenshot", true, "screenshot", "", []string{Allowed}).Err
	if err != nil {
		return fmt.Errorf("allow screenshots in the desktop's permissions: %w", err)
	}
	return nil
}
