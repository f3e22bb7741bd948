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
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"
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
	// Before the folders go (the cleanups run last first): what the
	// person's imagecx left running — a window closing, a clipboard
	// keeper — ends, so nothing writes in HOME while it is removed.
	t.Cleanup(func() { u.stopLeftovers(5 * time.Second) })
	return u
}

// own lists the imagecx processes of this user's (its HOME) whose
// command line holds name.
func (u *user) own(name string) []int {
	home := []byte("HOME=" + u.home + "\x00")
	var pids []int
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		cmdline, err := os.ReadFile(filepath.Join(p, "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(name)) {
			continue
		}
		if env, err := os.ReadFile(filepath.Join(p, "environ")); err == nil && bytes.Contains(env, home) {
			if pid, err := strconv.Atoi(filepath.Base(p)); err == nil && pid != os.Getpid() {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// stopLeftovers ends the user's imagecx processes still running, and
// waits until they are gone.
func (u *user) stopLeftovers(within time.Duration) {
	for _, pid := range u.own("imagecx") {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	deadline := time.Now().Add(within)
	for len(u.own("imagecx")) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
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

// waitNoProcess waits until no process of this user's whose command
// line holds name runs: a window program can outlive its window for a
// moment, writing in the user's folders.
func (u *user) waitNoProcess(name string, within time.Duration) {
	u.t.Helper()
	poll.Until(u.t, within, "no "+name+" running", func() bool { return len(u.own(name)) == 0 })
}
