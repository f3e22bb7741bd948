//go:build linux

// Package kde runs a real KDE Plasma 5.27 session on Wayland for the
// end-to-end tests: a headless KWin (its virtual backend) with Xwayland,
// kded5 (the tray's StatusNotifierWatcher) and plasmashell (the tray,
// notifications), xdg-desktop-portal-kde, on session and system buses of
// their own. Notifications are recorded by monitoring the bus.
package kde

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/dbustest"
	"imagecx/internal/poll"
	"imagecx/internal/xvfb"
)

// Socket is the Wayland socket's name in the session's runtime folder.
const Socket = "kwin-test"

// Session is a running Plasma session.
type Session struct {
	// Env is a person's environment in the session.
	Env map[string]string
	// Notes records the notifications sent in the session.
	Notes *dbustest.Notifications

	dir  string
	conn *dbus.Conn
}

// Start runs KWin on a w×h virtual output, then kded5 and plasmashell.
func Start(t testing.TB, w, h int) *Session {
	t.Helper()
	xvfb.Need(t, "kwin_wayland", "kded5", "plasmashell", "dbus-daemon")
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	run := filepath.Join(dir, "run")
	for _, d := range []string{filepath.Join(home, "Pictures"), filepath.Join(home, ".config")} {
		os.MkdirAll(d, 0o700)
	}
	os.Mkdir(run, 0o700)
	// xdg-document-portal mounts a FUSE file system at run/doc; left
	// mounted when the session is killed, it would keep the test's
	// folder from being removed.
	t.Cleanup(func() { unmountDoc(filepath.Join(run, "doc")) })
	// No screen locker to wait for.
	os.WriteFile(filepath.Join(home, ".config", "kscreenlockerrc"), []byte("[Daemon]\nAutolock=false\nLockOnResume=false\n"), 0o600)
	s := &Session{dir: dir, Env: map[string]string{
		"HOME": home, "XDG_RUNTIME_DIR": run, "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE",
		"KDE_FULL_SESSION": "true", "KDE_SESSION_VERSION": "5", "QT_QPA_PLATFORM": "wayland",
		"XDG_CONFIG_HOME": filepath.Join(home, ".config"), "XDG_DATA_HOME": filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME": filepath.Join(home, ".cache"), "XDG_STATE_HOME": filepath.Join(home, ".local", "state"),
		"PATH": os.Getenv("PATH"), "LANG": "C.UTF-8",
	}}
	s.Env["DBUS_SYSTEM_BUS_ADDRESS"] = s.bus(t, "system", fmt.Sprintf(`<busconfig><type>system</type>
<listen>unix:path=%s</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/><allow user="*"/></policy>
</busconfig>`, filepath.Join(dir, "system_bus")))
	s.Env["DBUS_SESSION_BUS_ADDRESS"] = s.bus(t, "session", fmt.Sprintf(`<busconfig><type>session</type>
<listen>unix:path=%s</listen><auth>EXTERNAL</auth><standard_session_servicedirs/>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`, filepath.Join(dir, "session_bus")))
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
	kwinCopy := filepath.Join(dir, "kwin_wayland")
	if data, err := os.ReadFile(kwinPath); err != nil || os.WriteFile(kwinCopy, data, 0o755) != nil {
		t.Fatalf("copy kwin_wayland: %v", err)
	}
	kwin := s.Run(t, nil, kwinCopy, "--virtual", "--width", strconv.Itoa(w), "--height", strconv.Itoa(h),
		"--xwayland", "--no-lockscreen", "--socket", Socket)
	s.Env["WAYLAND_DISPLAY"] = Socket
	poll.Until(t, 60*time.Second, "KWin and its Xwayland", func() bool {
		return s.findXwayland(kwin.Process.Pid)
	})
	if err := s.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.UpdateActivationEnvironment", map[string]string{
		"WAYLAND_DISPLAY": Socket, "DISPLAY": s.Env["DISPLAY"], "QT_QPA_PLATFORM": "wayland", "XDG_CURRENT_DESKTOP": "KDE"}).Err; err != nil {
		t.Fatalf("the bus's activation environment: %v", err)
	}
	s.Run(t, nil, "kded5")
	s.Run(t, nil, "plasmashell", "--no-respawn")
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

// environ is Env as a process's environment, with extra.
func (s *Session) environ(extra []string) []string {
	var env []string
	for k, v := range s.Env {
		env = append(env, k+"="+v)
	}
	return append(env, extra...)
}

// Run starts a program of the session with its environment and extra
// ("NAME=value"), in a process group killed with the test (Pdeathsig:
// also when the test binary dies without cleaning up).
func (s *Session) Run(t testing.TB, extra []string, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = s.environ(extra)
	log, err := os.Create(filepath.Join(s.dir, filepath.Base(name)+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		log.Close()
		if t.Failed() {
			data, _ := os.ReadFile(log.Name())
			out := string(data)
			if len(out) > 2000 {
				out = out[len(out)-2000:]
			}
			t.Logf("%s's output (the end):\n%s", filepath.Base(name), out)
		}
	})
	return cmd
}

// bus starts a dbus-daemon with config and returns its address.
func (s *Session) bus(t testing.TB, name, config string) string {
	t.Helper()
	conf := filepath.Join(s.dir, name+".conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">`+"\n"+config), 0o644)
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	cmd.Env = s.environ(nil)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("%s bus: %v", name, err)
	}
	return strings.TrimSpace(addr)
}

// Tool runs a tool (xdotool, wl-paste) in the session and returns its
// output.
func (s *Session) Tool(t testing.TB, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = s.environ(nil)
	out, _ := cmd.Output() // a search that finds nothing yet fails: the caller polls
	return string(out)
}

// unmountDoc takes away the document portal's FUSE mount, if there is one.
func unmountDoc(dir string) {
	for _, cmd := range [][]string{{"fusermount3", "-u", "-z", dir}, {"fusermount", "-u", "-z", dir}, {"umount", "-l", dir}} {
		if exec.Command(cmd[0], cmd[1:]...).Run() == nil {
			return
		}
	}
}
