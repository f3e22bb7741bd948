//go:build linux

// Package desktoptest is what the tests' real desktop sessions (GNOME,
// KDE) share: a home and a runtime folder of their own, a system and a
// session bus of their own, and programs started in process groups that
// end with the test.
package desktoptest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Base is a session's folders, buses and environment.
type Base struct {
	// Env is a person's environment in the session.
	Env map[string]string
	// Dir holds the session's folders, configuration and logs.
	Dir string
}

// New makes the folders, then starts the buses with env (the desktop's own
// variables, which the session bus hands to the services it starts) on
// top of the session's folders.
func New(t testing.TB, env map[string]string) *Base {
	t.Helper()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	run := filepath.Join(dir, "run")
	os.MkdirAll(filepath.Join(home, ".config"), 0o700)
	os.Mkdir(run, 0o700)
	// xdg-document-portal mounts a FUSE file system at run/doc; left
	// mounted when the session is killed, it would keep the test's
	// folder from being removed.
	t.Cleanup(func() { unmountDoc(filepath.Join(run, "doc")) })
	b := &Base{Dir: dir, Env: map[string]string{
		"HOME": home, "XDG_RUNTIME_DIR": run, "XDG_SESSION_TYPE": "wayland",
		"XDG_CONFIG_HOME": filepath.Join(home, ".config"), "XDG_DATA_HOME": filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME": filepath.Join(home, ".cache"), "XDG_STATE_HOME": filepath.Join(home, ".local", "state"),
		"PATH": os.Getenv("PATH"), "LANG": "C.UTF-8",
	}}
	for k, v := range env {
		b.Env[k] = v
	}
	// A system bus of its own: the desktop asks it for logind, accounts
	// and the network, and must not reach the machine's.
	b.Env["DBUS_SYSTEM_BUS_ADDRESS"] = b.bus(t, "system", fmt.Sprintf(`<busconfig><type>system</type>
<listen>unix:path=%s</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/><allow user="*"/></policy>
</busconfig>`, filepath.Join(dir, "system_bus")))
	// The session bus starts the portals and the desktop's services with
	// the environment it was started in.
	b.Env["DBUS_SESSION_BUS_ADDRESS"] = b.bus(t, "session", fmt.Sprintf(`<busconfig><type>session</type>
<listen>unix:path=%s</listen><auth>EXTERNAL</auth><standard_session_servicedirs/>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`, filepath.Join(dir, "session_bus")))
	return b
}

// Environ is Env as a process's environment, with extra ("NAME=value").
func (b *Base) Environ(extra ...string) []string {
	var env []string
	for k, v := range b.Env {
		env = append(env, k+"="+v)
	}
	return append(env, extra...)
}

// Start starts a program of the session with its environment and extra,
// its output kept in a log (the end of it shown when the test fails), in
// a process group killed with the test.
func (b *Base) Start(t testing.TB, extra []string, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = b.Environ(extra...)
	log, err := os.Create(filepath.Join(b.Dir, filepath.Base(name)+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	Group(t, cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		log.Close()
		if t.Failed() {
			data, _ := os.ReadFile(log.Name())
			out := string(data)
			if len(out) > 4000 {
				out = out[len(out)-4000:]
			}
			t.Logf("%s's output (the end):\n%s", filepath.Base(name), out)
		}
	})
	return cmd
}

// Group runs cmd in a process group of its own, killed with everything in
// it (the services a bus started, Xwayland) when the test ends; and when
// the test binary dies without cleaning up (Pdeathsig).
func Group(t testing.TB, cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	t.Cleanup(func() {
		if cmd.Process != nil {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			cmd.Wait()
		}
	})
}

// bus starts a dbus-daemon with config and returns its address.
func (b *Base) bus(t testing.TB, name, config string) string {
	t.Helper()
	conf := filepath.Join(b.Dir, name+".conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">`+"\n"+config), 0o644)
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	cmd.Env = b.Environ()
	Group(t, cmd)
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

// unmountDoc takes away the document portal's FUSE mount, if there is one.
func unmountDoc(dir string) {
	for _, cmd := range [][]string{{"fusermount3", "-u", "-z", dir}, {"fusermount", "-u", "-z", dir}, {"umount", "-l", dir}} {
		if exec.Command(cmd[0], cmd[1:]...).Run() == nil {
			return
		}
	}
}
