// Package dbustest gives tests a private D-Bus session bus and the desktop
// services imagecx talks to on it: a notification server that records what
// it is asked to show, a StatusNotifierWatcher (the tray host's side) that
// reads and clicks a tray menu over com.canonical.dbusmenu, and a real
// gnome-keyring Secret Service.
package dbustest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
)

// Bus is a private session bus. Its configuration has no service
// directories, so nothing is auto-started: a test decides what runs
// (StartActivating lets the bus start some services itself, as a
// desktop's does).
type Bus struct {
	Addr string // unix:path=…, the same after Restart

	conf string
	cmd  *exec.Cmd
	env  []string // the activated services' environment

	mu     sync.Mutex
	portal *dbus.Conn // owns org.freedesktop.portal.Desktop, once a fake portal runs
}

// Start runs a bus for the length of the test.
func Start(t testing.TB) *Bus {
	t.Helper()
	return start(t, nil, nil)
}

// StartActivating runs a bus that starts the named services itself when
// they are first called, from the machine's own service files (as a
// desktop session's bus starts gnome-keyring), with env (HOME, the XDG
// folders, DISPLAY) as their environment.
func StartActivating(t testing.TB, env map[string]string, names ...string) *Bus {
	t.Helper()
	return start(t, env, names)
}

func start(t testing.TB, env map[string]string, services []string) *Bus {
	t.Helper()
	xvfb.Need(t, "dbus-daemon")
	dir := t.TempDir()
	b := &Bus{Addr: "unix:path=" + filepath.Join(dir, "bus"), conf: filepath.Join(dir, "session.conf")}
	servicedir := ""
	if len(services) > 0 {
		sd := filepath.Join(dir, "services")
		os.Mkdir(sd, 0o700)
		for _, name := range services {
			data, err := os.ReadFile(filepath.Join("/usr/share/dbus-1/services", name+".service"))
			if err != nil {
				t.Fatalf("the service %s: %v", name, err)
			}
			os.WriteFile(filepath.Join(sd, name+".service"), data, 0o600)
		}
		servicedir = "<servicedir>" + sd + "</servicedir>"
		for k, v := range env {
			b.env = append(b.env, k+"="+v)
		}
		b.env = append(b.env, "DBUS_SESSION_BUS_ADDRESS="+b.Addr)
	}
	os.WriteFile(b.conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
  <auth>EXTERNAL</auth>
  `+servicedir+`
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	b.run(t)
	t.Cleanup(b.Stop)
	return b
}

// run starts the bus daemon and waits until it listens.
func (b *Bus) run(t testing.TB) {
	t.Helper()
	cmd := exec.Command("dbus-daemon", "--config-file="+b.conf, "--print-address=1", "--nofork", "--nopidfile")
	if b.env != nil {
		cmd.Env = b.env
		ownGroup(cmd) // what it starts stops with it
	}
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("dbus-daemon: %v", err)
	}
	b.cmd = cmd
}

// Stop stops the bus, as a crash of the session's bus would (and the
// services it started).
func (b *Bus) Stop() {
	if b.env != nil {
		killGroup(b.cmd)
	}
	b.cmd.Process.Kill()
	b.cmd.Wait()
	os.Remove(strings.TrimPrefix(b.Addr, "unix:path="))
	b.mu.Lock()
	b.portal = nil
	b.mu.Unlock()
}

// Restart stops the bus and starts a new one at the same address.
// Everything on the old one is gone: record notifications and watch the
// tray again.
func (b *Bus) Restart(t testing.TB) {
	t.Helper()
	b.Stop()
	b.run(t)
}

// Conn is a new private connection, closed when the test ends.
func (b *Bus) Conn(t testing.TB) *dbus.Conn {
	t.Helper()
	c, err := dbus.Connect(b.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// HasOwner reports whether name is owned on the bus now.
func (b *Bus) HasOwner(t testing.TB, name string) bool {
	t.Helper()
	var has bool
	if err := b.Conn(t).BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has); err != nil {
		t.Fatal(err)
	}
	return has
}

// WaitName waits until name has an owner.
func (b *Bus) WaitName(t testing.TB, name string, within time.Duration) {
	t.Helper()
	c := b.Conn(t)
	poll.Until(t, within, name+" on the bus", func() bool {
		var has bool
		err := c.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
		return err == nil && has
	})
}

// StartKeyring runs a real gnome-keyring Secret Service on b for a user
// whose environment is env (HOME, XDG dirs); it sets env's bus address.
func (b *Bus) StartKeyring(t testing.TB, env map[string]string) {
	t.Helper()
	xvfb.Need(t, "gnome-keyring-daemon")
	env["DBUS_SESSION_BUS_ADDRESS"] = b.Addr
	cmd := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader("test-password")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	b.WaitName(t, "org.freedesktop.secrets", 10*time.Second)
}

// Note is one recorded Notify call.
type Note struct {
	ID uint32
	// Replaces is the id the call asked to replace (0: a new note); a
	// replaced note keeps its id, as a desktop's server does.
	Replaces               uint32
	App, Icon, Title, Body string
	Actions                []string // key, label, key, label…
	Hints                  map[string]dbus.Variant
}

// Notifications is a notification server that records every Notify call,
// and offers actions and images as a desktop's does.
type Notifications struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	notes []Note
	last  uint32 // the last id given
	ch    chan struct{}
}

// RecordNotifications owns org.freedesktop.Notifications on b.
func (b *Bus) RecordNotifications(t testing.TB) *Notifications {
	t.Helper()
	c := b.Conn(t)
	n := &Notifications{ch: make(chan struct{}, 1), conn: c}
	if err := c.Export(notifyServer{n}, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if r, err := c.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.freedesktop.Notifications: %v %v", r, err)
	}
	return n
}

type notifyServer struct{ n *Notifications }

func (s notifyServer) Notify(app string, replaces uint32, icon, title, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.n.mu.Lock()
	s.n.last++
	id := s.n.last
	if replaces != 0 && replaces < id {
		id = replaces
		s.n.last--
	}
	s.n.notes = append(s.n.notes, Note{ID: id, Replaces: replaces, App: app, Icon: icon, Title: title, Body: body, Actions: actions, Hints: hints})
	s.n.mu.Unlock()
	select {
	case s.n.ch <- struct{}{}:
	default:
	}
	return id, nil
}

func (s notifyServer) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"body", "actions", "body-images", "icon-static"}, nil
}

// Invoke chooses the action key of note, as a click on its button (or,
// for "default", on the note) would.
func (n *Notifications) Invoke(t testing.TB, note Note, key string) {
	t.Helper()
	has := false
	for i := 0; i+1 < len(note.Actions); i += 2 {
		has = has || note.Actions[i] == key
	}
	if !has {
		t.Fatalf("the notification %q has no action %q: %q", note.Title, key, note.Actions)
	}
	if err := n.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", note.ID, key); err != nil {
		t.Fatal(err)
	}
}

func (s notifyServer) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "recorder", "imagecx tests", "1", "1.2", nil
}

func (s notifyServer) CloseNotification(uint32) *dbus.Error { return nil }

// All returns every note so far.
func (n *Notifications) All() []Note {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Note(nil), n.notes...)
}

// Wait returns the first note from index from on that matches, or fails
// the test after within.
func (n *Notifications) Wait(t testing.TB, from int, within time.Duration, match func(Note) bool) Note {
	t.Helper()
	deadline := time.After(within)
	for {
		notes := n.All()
		for _, note := range notes[min(from, len(notes)):] {
			if match(note) {
				return note
			}
		}
		select {
		case <-n.ch:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no matching notification within %v; got %s", within, describe(notes))
		}
	}
}

func describe(notes []Note) string {
	var b strings.Builder
	for _, n := range notes {
		fmt.Fprintf(&b, "\n  %q: %q", n.Title, n.Body)
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// MonitorNotifications records the Notify calls made on the bus at addr
// by monitoring it, while the desktop's own notification server (a real
// shell's) shows them. Invoke does not work on what it records.
func MonitorNotifications(t testing.TB, addr string) *Notifications {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	msgs := make(chan *dbus.Message, 64)
	t.Cleanup(func() {
		conn.Eavesdrop(nil) // godbus 5.2.4 closes the channel on Close but may still send to it
		conn.Close()
		close(msgs)
	})
	rule := "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"
	if err := conn.BusObject().Call("org.freedesktop.DBus.Monitoring.BecomeMonitor", 0, []string{rule}, uint32(0)).Err; err != nil {
		t.Fatalf("monitor the session bus: %v", err)
	}
	n := &Notifications{ch: make(chan struct{}, 1)}
	conn.Eavesdrop(msgs)
	go func() {
		for m := range msgs {
			if len(m.Body) < 5 {
				continue
			}
			app, _ := m.Body[0].(string)
			icon, _ := m.Body[2].(string)
			title, _ := m.Body[3].(string)
			body, _ := m.Body[4].(string)
			n.mu.Lock()
			n.notes = append(n.notes, Note{App: app, Icon: icon, Title: title, Body: body})
			n.mu.Unlock()
			select {
			case n.ch <- struct{}{}:
			default:
			}
		}
	}()
	return n
}
