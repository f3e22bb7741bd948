//go:build linux

// Package gnome runs a real GNOME Shell for the end-to-end tests: headless
// on Wayland (a virtual monitor), with Xwayland, xdg-desktop-portal-gnome
// and the shell's own notifications, on session and system buses of its
// own. Input comes through mutter's RemoteDesktop (the headless seat has
// no keyboard or pointer of its own), the screen is read back through
// the shell's Screenshot service, and notifications are recorded by
// monitoring the bus, so the shell still shows them.
package gnome

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/dbustest"
	"imagecx/internal/poll"
	"imagecx/internal/xvfb"
)

// Session is a running GNOME Shell.
type Session struct {
	// Env is a person's environment in the session: HOME, the XDG
	// folders, the session bus, Wayland, and Xwayland's DISPLAY and
	// XAUTHORITY.
	Env  map[string]string
	W, H int

	t    testing.TB
	dir  string
	conn *dbus.Conn // on the session bus

	rdMu sync.Mutex
	rd   dbus.BusObject // the RemoteDesktop session, made at the first input
	at   image.Point    // where the pointer is, as far as we moved it

	// Notes records the notifications sent in the session (the shell
	// shows them too).
	Notes *dbustest.Notifications
}

// Start runs GNOME Shell on a w×h virtual monitor with wallpaper as the
// background (scaled to fill it; give it at w×h to have it pixel for
// pixel). It is stopped when the test ends.
func Start(t testing.TB, w, h int, wallpaper image.Image) *Session {
	t.Helper()
	xvfb.Need(t, "gnome-shell", "dbus-daemon", "gsettings", "xclip")
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	run := filepath.Join(dir, "run")
	os.MkdirAll(home, 0o700)
	os.Mkdir(run, 0o700)
	// xdg-document-portal mounts a FUSE file system at run/doc; left
	// mounted when the session is killed, it would keep the test's
	// folder from being removed.
	t.Cleanup(func() { unmountDoc(filepath.Join(run, "doc")) })
	s := &Session{t: t, dir: dir, W: w, H: h, Env: map[string]string{
		"HOME": home, "XDG_RUNTIME_DIR": run, "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME",
		"XDG_CONFIG_HOME": filepath.Join(home, ".config"), "XDG_DATA_HOME": filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME": filepath.Join(home, ".cache"), "XDG_STATE_HOME": filepath.Join(home, ".local", "state"),
		"PATH": os.Getenv("PATH"), "LANG": "C.UTF-8", "NO_AT_BRIDGE": "1", "GSETTINGS_BACKEND": "dconf",
	}}
	// A system bus of its own: the shell asks it for logind, accounts
	// and the network, and must not reach the machine's.
	s.Env["DBUS_SYSTEM_BUS_ADDRESS"] = s.bus(t, "system", fmt.Sprintf(`<busconfig><type>system</type>
<listen>unix:path=%s</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/><allow user="*"/></policy>
</busconfig>`, filepath.Join(dir, "system_bus")))
	// The session bus activates the portals and the shell's services
	// with the environment it was started in.
	s.Env["DBUS_SESSION_BUS_ADDRESS"] = s.bus(t, "session", fmt.Sprintf(`<busconfig><type>session</type>
<listen>unix:path=%s</listen><auth>EXTERNAL</auth><standard_session_servicedirs/>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`, filepath.Join(dir, "session_bus")))

	var buf bytes.Buffer
	png.Encode(&buf, wallpaper)
	paper := filepath.Join(dir, "wallpaper.png")
	os.WriteFile(paper, buf.Bytes(), 0o644)
	for _, kv := range [][3]string{
		{"org.gnome.desktop.background", "picture-uri", "file://" + paper},
		{"org.gnome.desktop.background", "picture-uri-dark", "file://" + paper},
		{"org.gnome.desktop.background", "picture-options", "stretched"},
		{"org.gnome.desktop.session", "idle-delay", "uint32 0"},
		{"org.gnome.desktop.screensaver", "lock-enabled", "false"},
		{"org.gnome.desktop.interface", "enable-animations", "false"},
	} {
		s.run(t, "gsettings", "set", kv[0], kv[1], kv[2])
	}

	log, err := os.Create(filepath.Join(dir, "gnome-shell.log"))
	if err != nil {
		t.Fatal(err)
	}
	shell := exec.Command("gnome-shell", "--wayland", "--headless", "--virtual-monitor", fmt.Sprintf("%dx%d", w, h))
	shell.Env = s.environ()
	shell.Stdout, shell.Stderr = log, log
	group(t, shell)
	if err := shell.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		log.Close()
		if t.Failed() {
			out, _ := os.ReadFile(log.Name())
			t.Logf("gnome-shell's output (the end):\n%s", tail(string(out), 4000))
		}
	})

	s.conn, err = dbus.Connect(s.Env["DBUS_SESSION_BUS_ADDRESS"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.conn.Close() })
	poll.Until(t, 90*time.Second, "GNOME Shell to start", func() bool {
		var v dbus.Variant
		return s.call("org.gnome.Shell", "/org/gnome/Shell", "org.freedesktop.DBus.Properties.Get", "org.gnome.Shell", "ShellVersion").Store(&v) == nil
	})
	s.Env["WAYLAND_DISPLAY"] = "wayland-0"
	s.findXwayland(t)
	// What gnome-session would tell the bus: the portals it starts from
	// now on find the displays.
	if err := s.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.UpdateActivationEnvironment", map[string]string{
		"WAYLAND_DISPLAY": s.Env["WAYLAND_DISPLAY"], "DISPLAY": s.Env["DISPLAY"], "XAUTHORITY": s.Env["XAUTHORITY"]}).Err; err != nil {
		t.Fatalf("the bus's activation environment: %v", err)
	}
	s.Notes = dbustest.MonitorNotifications(t, s.Env["DBUS_SESSION_BUS_ADDRESS"])
	s.NoOverview(t)
	return s
}

// NoOverview leaves the overview (the shell opens it at the start, a
// moment after it answers on the bus) and waits until it stays closed.
func (s *Session) NoOverview(t testing.TB) {
	t.Helper()
	closed := 0
	poll.Until(t, 30*time.Second, "the overview to stay closed", func() bool {
		var v dbus.Variant
		if err := s.call("org.gnome.Shell", "/org/gnome/Shell", "org.freedesktop.DBus.Properties.Get", "org.gnome.Shell", "OverviewActive").Store(&v); err != nil {
			return false
		}
		if active, _ := v.Value().(bool); active {
			closed = 0
			s.call("org.gnome.Shell", "/org/gnome/Shell", "org.freedesktop.DBus.Properties.Set", "org.gnome.Shell", "OverviewActive", dbus.MakeVariant(false))
			return false
		}
		closed++
		time.Sleep(200 * time.Millisecond)
		return closed >= 10 // two seconds
	})
}

// call calls a method on the session bus, bounded in time: a shell that
// hangs fails the test instead of stopping it.
func (s *Session) call(dest string, path dbus.ObjectPath, method string, args ...any) *dbus.Call {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.conn.Object(dest, path).CallWithContext(ctx, method, 0, args...)
}

// bounded calls method on obj, bounded in time.
func bounded(obj dbus.BusObject, method string, args ...any) *dbus.Call {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return obj.CallWithContext(ctx, method, 0, args...)
}

// group runs cmd in a process group of its own, killed with everything
// in it (the services a bus started, Xwayland) when the test ends.
func group(t testing.TB, cmd *exec.Cmd) {
	// Pdeathsig: a test binary that panics runs no cleanups.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	t.Cleanup(func() {
		if cmd.Process != nil {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			cmd.Wait()
		}
	})
}

// bus starts a dbus-daemon with config and returns its address.
func (s *Session) bus(t testing.TB, name, config string) string {
	t.Helper()
	conf := filepath.Join(s.dir, name+".conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">`+"\n"+config), 0o644)
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	cmd.Env = s.environ()
	group(t, cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("%s bus: %v", name, err)
	}
	return strings.TrimSpace(addr)
}

func (s *Session) environ() []string {
	var env []string
	for k, v := range s.Env {
		env = append(env, k+"="+v)
	}
	return env
}

// Environ is Env as a process's environment.
func (s *Session) Environ() []string { return s.environ() }

func (s *Session) run(t testing.TB, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = s.environ()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// findXwayland finds the Xwayland the shell started for this session:
// its auth file is in the session's runtime folder.
func (s *Session) findXwayland(t testing.TB) {
	t.Helper()
	run := s.Env["XDG_RUNTIME_DIR"]
	poll.Until(t, 30*time.Second, "Xwayland", func() bool {
		procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
		for _, p := range procs {
			data, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			args := strings.Split(strings.TrimRight(string(data), "\x00"), "\x00")
			if len(args) < 2 || filepath.Base(args[0]) != "Xwayland" {
				continue
			}
			for i, a := range args {
				if a == "-auth" && i+1 < len(args) && strings.HasPrefix(args[i+1], run) {
					s.Env["DISPLAY"], s.Env["XAUTHORITY"] = args[1], args[i+1]
					return true
				}
			}
		}
		return false
	})
}

// Screenshot reads the screen through the shell (it answers only names it
// allows, such as org.gnome.Screenshot's).
func (s *Session) Screenshot(t testing.TB) *image.RGBA {
	t.Helper()
	conn, err := dbus.Connect(s.Env["DBUS_SESSION_BUS_ADDRESS"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.RequestName("org.gnome.Screenshot", dbus.NameFlagDoNotQueue); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(s.dir, fmt.Sprintf("screen-%d.png", time.Now().UnixNano()))
	var ok bool
	var used string
	err = bounded(conn.Object("org.gnome.Shell.Screenshot", "/org/gnome/Shell/Screenshot"), "org.gnome.Shell.Screenshot.Screenshot", false, false, file).Store(&ok, &used)
	if err != nil || !ok {
		t.Fatalf("the shell's screenshot: %v", err)
	}
	f, err := os.Open(used)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	return rgba
}

// SaveScreen writes the screen to path (to look at when a test fails).
func (s *Session) SaveScreen(t testing.TB, path string) {
	var buf bytes.Buffer
	png.Encode(&buf, s.Screenshot(t))
	os.WriteFile(path, buf.Bytes(), 0o644)
}

const rdName = "org.gnome.Mutter.RemoteDesktop"

// input is the RemoteDesktop session, started at the first use. Its
// first key press is lost: a Shift is pressed first.
func (s *Session) input(t testing.TB) dbus.BusObject {
	t.Helper()
	s.rdMu.Lock()
	defer s.rdMu.Unlock()
	if s.rd != nil {
		return s.rd
	}
	var path dbus.ObjectPath
	if err := bounded(s.conn.Object(rdName, "/org/gnome/Mutter/RemoteDesktop"), rdName+".CreateSession").Store(&path); err != nil {
		t.Fatalf("remote desktop session: %v", err)
	}
	rd := s.conn.Object(rdName, path)
	if err := bounded(rd, rdName+".Session.Start").Err; err != nil {
		t.Fatalf("remote desktop session: %v", err)
	}
	t.Cleanup(func() { bounded(rd, rdName+".Session.Stop") })
	time.Sleep(500 * time.Millisecond)
	s.rd = rd
	s.key(t, rd, 0xffe1)
	return rd
}

func (s *Session) key(t testing.TB, rd dbus.BusObject, sym uint32) {
	for _, down := range []bool{true, false} {
		if err := bounded(rd, rdName+".Session.NotifyKeyboardKeysym", sym, down).Err; err != nil {
			t.Fatalf("key %#x: %v", sym, err)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// Keys presses and releases each keysym in turn (0xff0d Return, 0xff1b
// Escape, 0xff53 Right).
func (s *Session) Keys(t testing.TB, syms ...uint32) {
	t.Helper()
	rd := s.input(t)
	for _, k := range syms {
		s.key(t, rd, k)
	}
	time.Sleep(100 * time.Millisecond)
}

// Chord holds mods down (0xffe3 Control_L, 0xffe1 Shift_L), presses key
// and lets them go: a keyboard shortcut.
func (s *Session) Chord(t testing.TB, key uint32, mods ...uint32) {
	t.Helper()
	rd := s.input(t)
	press := func(sym uint32, down bool) {
		if err := bounded(rd, rdName+".Session.NotifyKeyboardKeysym", sym, down).Err; err != nil {
			t.Fatalf("key %#x: %v", sym, err)
		}
		time.Sleep(30 * time.Millisecond)
	}
	for _, m := range mods {
		press(m, true)
	}
	press(key, true)
	press(key, false)
	for i := len(mods) - 1; i >= 0; i-- {
		press(mods[i], false)
	}
}

// Run starts a program of the session (gnome-settings-daemon's media
// keys, say) with its environment and extra ("NAME=value"); it is killed
// with the session.
func (s *Session) Run(t testing.TB, extra []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(s.environ(), extra...)
	out, err := os.Create(filepath.Join(s.dir, filepath.Base(name)+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	group(t, cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		out.Close()
		if t.Failed() {
			data, _ := os.ReadFile(out.Name())
			t.Logf("%s's output (the end):\n%s", filepath.Base(name), tail(string(data), 2000))
		}
	})
}

// Drag moves the pointer to from, presses the left button, moves to to
// and releases it. The pointer only moves relatively (no screencast
// stream to be absolute in): it is first pushed into the bottom right
// corner, away from the top left's hot corner.
func (s *Session) Drag(t testing.TB, from, to image.Point) {
	t.Helper()
	rd := s.input(t)
	move := func(dx, dy int) {
		if err := bounded(rd, rdName+".Session.NotifyPointerMotionRelative", float64(dx), float64(dy)).Err; err != nil {
			t.Fatalf("pointer: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	button := func(down bool) {
		const btnLeft = 0x110
		if err := bounded(rd, rdName+".Session.NotifyPointerButton", int32(btnLeft), down).Err; err != nil {
			t.Fatalf("button: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	move(4*s.W, 4*s.H)
	corner := image.Pt(s.W-1, s.H-1)
	move(from.X-corner.X, from.Y-corner.Y)
	button(true)
	mid := from.Add(to).Div(2)
	move(mid.X-from.X, mid.Y-from.Y)
	move(to.X-mid.X, to.Y-mid.Y)
	button(false)
}

// Clipboard is the text on the clipboard, read through Xwayland.
func (s *Session) Clipboard(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xclip", "-o", "-selection", "clipboard")
	cmd.Env = s.environ()
	out, _ := cmd.Output()
	return string(out)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// unmountDoc takes away the document portal's FUSE mount, if there is one.
func unmountDoc(dir string) {
	for _, cmd := range [][]string{{"fusermount3", "-u", "-z", dir}, {"fusermount", "-u", "-z", dir}, {"umount", "-l", dir}} {
		if exec.Command(cmd[0], cmd[1:]...).Run() == nil {
			return
		}
	}
}
