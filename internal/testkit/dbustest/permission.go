package dbustest

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"imagecx/internal/portal"
	"imagecx/internal/testkit/xvfb"
)

const permissionStore = "/usr/libexec/xdg-permission-store"

// StartPermissionStore runs the real xdg-permission-store (from
// xdg-desktop-portal) on b, keeping its tables under dataHome.
func (b *Bus) StartPermissionStore(t testing.TB, dataHome string) {
	t.Helper()
	xvfb.Need(t, permissionStore)
	cmd := exec.Command(permissionStore, "--replace")
	cmd.Env = []string{"DBUS_SESSION_BUS_ADDRESS=" + b.Addr, "XDG_DATA_HOME=" + dataHome, "HOME=" + filepath.Dir(dataHome)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	b.WaitName(t, "org.freedesktop.impl.portal.PermissionStore", 10*time.Second)
}

// AskLikeGNOME makes the portal keep GNOME's answer in the permission
// store (StartPermissionStore) as xdg-desktop-portal does: a kept Deny
// fails at once with no dialog; with nothing kept, the "dialog" is
// answered with answer ("allow" or "deny"), which is kept.
func (p *Portal) AskLikeGNOME(answer string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ask = answer
}

// permission decides a request as GNOME would: true to go on.
func (p *Portal) permission(ask string) bool {
	if ask == "" {
		return true
	}
	perm, err := portal.ScreenshotPermission(context.Background(), p.conn)
	if err != nil {
		return false
	}
	switch perm {
	case portal.Allowed:
		return true
	case portal.Denied:
		return false
	}
	keep := portal.Denied
	if ask == "allow" {
		keep = portal.Allowed
	}
	p.conn.Object("org.freedesktop.impl.portal.PermissionStore", "/org/freedesktop/impl/portal/PermissionStore").
		Call("org.freedesktop.impl.portal.PermissionStore.SetPermission", 0, "screenshot", true, "screenshot", "", []string{keep})
	p.mu.Lock()
	p.asked++
	p.mu.Unlock()
	return keep == portal.Allowed
}

// Asked is how many times the "dialog" was shown.
func (p *Portal) Asked() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.asked
}
