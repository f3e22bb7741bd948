// Package e2e drives the real imagecx binary the way a user does: as a
// subprocess with its own HOME, against a fake image.cx (cxtest), with real
// D-Bus, keyring, X server and clipboard tools where a test needs them.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "imagecx-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "imagecx")
	for _, b := range [][2]string{{binary, ".."}, {filepath.Join(dir, "imagecx-settings"), "../cmd/imagecx-settings"}, {filepath.Join(dir, "imagecx-history"), "../cmd/imagecx-history"}, {filepath.Join(dir, "imagecx-editor"), "../cmd/imagecx-editor"}} {
		// As the packages build them (scripts/package.sh): the tests run
		// what ships, and `make package` in TestPackages compiles nothing
		// again.
		build := exec.Command("go", "build", "-trimpath", "-buildmode=pie", "-o", b[0], b[1])
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "build:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// user is one person's environment: a private HOME and XDG folders, and
// nothing from the developer's own session.
type user struct {
	t    testing.TB
	home string
	env  map[string]string
}

func newUser(t testing.TB) *user {
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
		// Nor the machine's system bus: a test gives a NetworkManager.
		"DBUS_SYSTEM_BUS_ADDRESS": "unix:path=" + filepath.Join(home, "no-system-bus"),
		"LANG":                    "C.UTF-8",
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
	return u.runFor(time.Minute, stdin, args...)
}

// runFor is run with another limit.
func (u *user) runFor(limit time.Duration, stdin string, args ...string) result {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
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
