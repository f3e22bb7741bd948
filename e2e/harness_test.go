// Package e2e drives the real imagecx binary the way a user does: as a
// subprocess with its own HOME, against a fake image.cx (cxtest), with real
// D-Bus, keyring, X server and clipboard tools where a test needs them.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "imagecx-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "imagecx")
	build := exec.Command("go", "build", "-o", binary, "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build imagecx:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// need skips when a tool is missing on a developer's machine, and fails in
// CI, which installs them all (`make test` does too).
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed; .ci/run must install it", tool)
			}
			t.Skipf("%s is not installed (run `make test`, which installs it)", tool)
		}
	}
}

// user is one person's environment: a private HOME and XDG folders, and
// nothing from the developer's own session.
type user struct {
	t    *testing.T
	home string
	env  map[string]string
}

func newUser(t *testing.T) *user {
	home := t.TempDir()
	u := &user{t: t, home: home, env: map[string]string{
		"HOME":            home,
		"PATH":            os.Getenv("PATH"),
		"XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"XDG_DATA_HOME":   filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME":  filepath.Join(home, ".local", "state"),
		"XDG_CACHE_HOME":  filepath.Join(home, ".cache"),
		"XDG_RUNTIME_DIR": filepath.Join(home, "run"),
		// No bus unless a test starts one: keyring calls fail fast.
		"DBUS_SESSION_BUS_ADDRESS": "unix:path=" + filepath.Join(home, "no-bus"),
		"LANG":                     "C.UTF-8",
	}}
	os.MkdirAll(u.env["XDG_RUNTIME_DIR"], 0o700)
	return u
}

func (u *user) configDir() string { return filepath.Join(u.env["XDG_CONFIG_HOME"], "imagecx") }

type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// run runs imagecx to completion with stdin and a one-minute limit.
func (u *user) run(stdin string, args ...string) result {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = u.environ()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		u.t.Fatalf("run imagecx %v: %v", args, err)
	}
	return r
}

func (u *user) environ() []string {
	var env []string
	for k, v := range u.env {
		env = append(env, k+"="+v)
	}
	return env
}

// bus is a private D-Bus session bus. Its configuration has no service
// directories, so nothing is auto-started: a test decides what runs on it.
type bus struct {
	addr string
}

func startBus(t *testing.T) *bus {
	t.Helper()
	need(t, "dbus-daemon")
	dir := t.TempDir()
	conf := filepath.Join(dir, "session.conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+dir+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--print-address=1", "--nofork", "--nopidfile")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	return &bus{addr: strings.TrimSpace(line)}
}

func (b *bus) conn(t *testing.T) *dbus.Conn {
	t.Helper()
	c, err := dbus.Connect(b.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// waitName waits until name has an owner on the bus.
func (b *bus) waitName(t *testing.T, name string, within time.Duration) {
	t.Helper()
	c := b.conn(t)
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var has bool
		if err := c.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has); err == nil && has {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not appear on the bus within %v", name, within)
}

// startKeyring runs a real gnome-keyring Secret Service for u on b.
func startKeyring(t *testing.T, u *user, b *bus) {
	t.Helper()
	need(t, "gnome-keyring-daemon")
	u.env["DBUS_SESSION_BUS_ADDRESS"] = b.addr
	cmd := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets", "--foreground")
	cmd.Env = u.environ()
	cmd.Stdin = strings.NewReader("test-password")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	b.waitName(t, "org.freedesktop.secrets", 10*time.Second)
}
