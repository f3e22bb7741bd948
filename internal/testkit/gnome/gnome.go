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

	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/desktoptest"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
)

// Session is a running GNOME Shell.
type Session struct {
	// Base's Env is a person's environment in the session: HOME, the
	// XDG folders, the buses, Wayland, and Xwayland's DISPLAY and
	// XAUTHORITY.
	*desktoptest.Base
	W, H int

	t    testing.TB
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
	s := &Session{t: t, W: w, H: h, Base: desktoptest.New(t, map[string]string{
		"XDG_CURRENT_DESKTOP": "GNOME", "NO_AT_BRIDGE": "1", "GSETTINGS_BACKEND": "dconf",
	})}
	dir := s.Dir

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

	var err error
	s.conn, err = dbus.Connect(s.Env["DBUS_SESSION_BUS_ADDRESS"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.conn.Close() })
	// It answers in about 5 s; once in a while here it never did: a
	// shell that has not answered in a minute is started again, once.
	started := func(within time.Duration) bool {
		return poll.Wait(within, func() bool {
			var v dbus.Variant
			return s.call("org.gnome.Shell", "/org/gnome/Shell", "org.freedesktop.DBus.Properties.Get", "org.gnome.Shell", "ShellVersion").Store(&v) == nil
		})
	}
	shell := func() *exec.Cmd {
		return s.Start(t, nil, "gnome-shell", "--wayland", "--headless", "--virtual-monitor", fmt.Sprintf("%dx%d", w, h))
	}
	if first := shell(); !started(time.Minute) {
		t.Logf("GNOME Shell did not answer in a minute: started again")
		syscall.Kill(-first.Process.Pid, syscall.SIGKILL)
		first.Wait()
		shell()
		if !started(90 * time.Second) {
			t.Fatal("GNOME Shell did not start")
		}
	}
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

// StartPipeWire starts PipeWire and WirePlumber in the session, as a
// desktop's user services do: screen casts go through them.
func (s *Session) StartPipeWire(t testing.TB) {
	t.Helper()
	xvfb.Need(t, "pipewire", "wireplumber")
	s.Start(t, nil, "pipewire")
	poll.Until(t, 15*time.Second, "PipeWire's socket", func() bool {
		_, err := os.Stat(filepath.Join(s.Env["XDG_RUNTIME_DIR"], "pipewire-0"))
		return err == nil
	})
	s.Start(t, nil, "wireplumber")
}

// NoOverview leaves the overview (the shell opens it at the start, a
// moment after it answers on the bus) and waits until it stays closed:
// up to two minutes (a run here once had not settled after 30 s, and a
// loaded CI run not after 60 s). It is told to close once every 3 s at
// most: told again while it animates, a loaded shell may never settle.
func (s *Session) NoOverview(t testing.TB) {
	t.Helper()
	closed := 0
	var told time.Time
	poll.Until(t, 2*time.Minute, "the overview to stay closed", func() bool {
		var v dbus.Variant
		if err := s.call("org.gnome.Shell", "/org/gnome/Shell", "org.freedesktop.DBus.Properties.Get", "org.gnome.Shell", "OverviewActive").Store(&v); err != nil {
			return false
		}
		if active, _ := v.Value().(bool); active {
			closed = 0
			if time.Since(told) > 3*time.Second {
				told = time.Now()
				s.call("org.gnome.Shell", "/org/gnome/Shell", "org.freedesktop.DBus.Properties.Set", "org.gnome.Shell", "OverviewActive", dbus.MakeVariant(false))
			}
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

func (s *Session) run(t testing.TB, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = s.Environ()
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
	file := filepath.Join(s.Dir, fmt.Sprintf("screen-%d.png", time.Now().UnixNano()))
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
	cmd.Env = s.Environ()
	out, _ := cmd.Output()
	return string(out)
}
