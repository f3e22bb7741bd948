//go:build linux

// Package kde runs a real KDE Plasma 5.27 session on Wayland for the
// end-to-end tests: a headless KWin (its virtual backend) with Xwayland,
// kded5 (the tray's StatusNotifierWatcher) and plasmashell (the tray,
// notifications), xdg-desktop-portal-kde, on session and system buses of
// their own. Notifications are recorded by monitoring the bus.
package kde

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/desktoptest"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
)

// Socket is the Wayland socket's name in the session's runtime folder.
const Socket = "kwin-test"

// Session is a running Plasma session.
type Session struct {
	// Base's Env is a person's environment in the session.
	*desktoptest.Base
	// Notes records the notifications sent in the session.
	Notes *dbustest.Notifications

	conn *dbus.Conn
}

// Start runs KWin on a w×h virtual output, then kded5 and plasmashell.
func Start(t testing.TB, w, h int) *Session {
	t.Helper()
	xvfb.Need(t, "kwin_wayland", "kded5", "plasmashell", "dbus-daemon")
	s := &Session{Base: desktoptest.New(t, map[string]string{
		"XDG_CURRENT_DESKTOP": "KDE", "KDE_FULL_SESSION": "true", "KDE_SESSION_VERSION": "5", "QT_QPA_PLATFORM": "wayland",
	})}
	home := s.Env["HOME"]
	os.MkdirAll(filepath.Join(home, "Pictures"), 0o700)
	// No screen locker to wait for.
	os.WriteFile(filepath.Join(home, ".config", "kscreenlockerrc"), []byte("[Daemon]\nAutolock=false\nLockOnResume=false\n"), 0o600)
	var err error
	if s.conn, err = dbus.Connect(s.Env["DBUS_SESSION_BUS_ADDRESS"]); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.conn.Close() })
	s.Notes = dbustest.MonitorNotifications(t, s.Env["DBUS_SESSION_BUS_ADDRESS"])

	// The installed kwin_wayland carries the file capability
	// cap_sys_resource; where the bounding set lacks it (a container),
	// exec fails: a copy has none.
	kwinPath, err := exec.LookPath("kwin_wayland")
	if err != nil {
		t.Fatal(err)
	}
	kwinCopy := filepath.Join(s.Dir, "kwin_wayland")
	if data, err := os.ReadFile(kwinPath); err != nil || os.WriteFile(kwinCopy, data, 0o755) != nil {
		t.Fatalf("copy kwin_wayland: %v", err)
	}
	kwin := s.Start(t, nil, kwinCopy, "--virtual", "--width", strconv.Itoa(w), "--height", strconv.Itoa(h),
		"--xwayland", "--no-lockscreen", "--socket", Socket)
	s.Env["WAYLAND_DISPLAY"] = Socket
	poll.Until(t, 60*time.Second, "KWin and its Xwayland", func() bool {
		return s.findXwayland(kwin.Process.Pid)
	})
	if err := s.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.UpdateActivationEnvironment", map[string]string{
		"WAYLAND_DISPLAY": Socket, "DISPLAY": s.Env["DISPLAY"], "QT_QPA_PLATFORM": "wayland", "XDG_CURRENT_DESKTOP": "KDE"}).Err; err != nil {
		t.Fatalf("the bus's activation environment: %v", err)
	}
	s.Start(t, nil, "kded5")
	s.Start(t, nil, "plasmashell", "--no-respawn")
	poll.Until(t, 60*time.Second, "plasmashell's tray and notifications", func() bool {
		var has bool
		for _, name := range []string{"org.kde.StatusNotifierWatcher", "org.freedesktop.Notifications"} {
			if s.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", name).Store(&has) != nil || !has {
				return false
			}
		}
		return true
	})
	return s
}

// findXwayland finds the Xwayland KWin started (its child).
func (s *Session) findXwayland(kwin int) bool {
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range procs {
		data, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(data), "(Xwayland)") {
			continue
		}
		f := strings.Fields(string(data)[strings.LastIndex(string(data), ")")+1:])
		if len(f) < 2 || f[1] != strconv.Itoa(kwin) {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "cmdline"))
		args := strings.Split(string(cmd), "\x00")
		if len(args) > 1 && strings.HasPrefix(args[1], ":") {
			s.Env["DISPLAY"] = args[1]
			return true
		}
	}
	return false
}

// call calls a method on the session bus, bounded in time.
func (s *Session) call(dest string, path dbus.ObjectPath, method string, args ...any) *dbus.Call {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.conn.Object(dest, path).CallWithContext(ctx, method, 0, args...)
}

// InvokeShortcut fires the shortcut name of kglobalaccel's component, as
// its keys would.
func (s *Session) InvokeShortcut(t testing.TB, component, name string) {
	t.Helper()
	if err := s.call("org.kde.kglobalaccel", dbus.ObjectPath("/component/"+component), "org.kde.kglobalaccel.Component.invokeShortcut", name).Err; err != nil {
		t.Fatalf("invoke %s/%s: %v", component, name, err)
	}
}

// Shortcuts lists the shortcut names of kglobalaccel's component.
func (s *Session) Shortcuts(component string) []string {
	var names []string
	s.call("org.kde.kglobalaccel", dbus.ObjectPath("/component/"+component), "org.kde.kglobalaccel.Component.shortcutNames").Store(&names)
	return names
}

// TrayItems lists the StatusNotifierItems Plasma's watcher knows.
func (s *Session) TrayItems() []string {
	var v dbus.Variant
	s.call("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher", "org.freedesktop.DBus.Properties.Get", "org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems").Store(&v)
	items, _ := v.Value().([]string)
	return items
}

// Tool runs a tool (xdotool, wl-paste) in the session and returns its
// output.
func (s *Session) Tool(t testing.TB, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = s.Environ()
	out, _ := cmd.Output() // a search that finds nothing yet fails: the caller polls
	return string(out)
}
