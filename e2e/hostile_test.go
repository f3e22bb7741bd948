package e2e

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
	"imagecx/uploader/cxtest"
)

// The command line in a hostile environment: a FIFO where a file should
// be, a signal while it waits, an output that cannot be written.

func TestUploadOfAFIFOEndsAtOnce(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	fifo := filepath.Join(u.home, "f.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := u.run("", "upload", fifo)
	if r.code != 1 || !strings.Contains(r.stderr, "f.png is a named pipe (FIFO), not a file") || time.Since(start) > 10*time.Second {
		t.Fatalf("after %v:\n%s", time.Since(start), r)
	}
	if len(srv.Requests()) != 0 {
		t.Error("something was sent")
	}
}

func TestSignalsEndTheCommandLine(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	file := writePNG(t, u.home, "a.png", 8, 8, false)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		srv.Script(cxtest.Hang)
		before := len(srv.Requests())
		cmd := exec.Command(binary, "upload", file)
		cmd.Env = u.environ()
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		poll.Until(t, 10*time.Second, "the upload to reach the server", func() bool { return len(srv.Requests()) > before })
		cmd.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%v: imagecx upload still runs 5 s later", sig)
		}
		if cmd.ProcessState.ExitCode() == 0 || !strings.Contains(errb.String(), "cancelled") {
			t.Errorf("%v: exit %d, stderr %q", sig, cmd.ProcessState.ExitCode(), errb.String())
		}
	}
}

func TestOutputThatCannotBeWrittenFails(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	file := writePNG(t, u.home, "a.png", 8, 8, false)
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	cmd := exec.Command(binary, "upload", file)
	cmd.Env = u.environ()
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = full, &errb
	err = cmd.Run()
	// Not lost: the link is on standard error instead.
	if err == nil || !strings.Contains(errb.String(), "standard output could not be written") || !strings.Contains(errb.String(), srv.URL+"/images/") {
		t.Fatalf("err %v, stderr %q", err, errb.String())
	}
}

// With no session bus, nothing starts one: godbus would run dbus-launch
// --autolaunch (with a display to autolaunch on), leaving a dbus-daemon
// and a gnome-keyring-daemon behind at every run.
func TestNoSessionBusIsStarted(t *testing.T) {
	xvfb.Need(t, "dbus-launch")
	x := xvfb.Start(t, 320, 200)
	u := newUser(t)
	u.env["DISPLAY"] = x.Display
	delete(u.env, "DBUS_SESSION_BUS_ADDRESS")
	r := u.run("chv_local_key\n", "key", "set", "--no-test")
	if r.code != 0 || !strings.Contains(r.stdout, "private file") {
		t.Fatalf("key set:\n%s", r)
	}
	r = u.run("", "key", "where")
	if r.code != 0 || !strings.Contains(r.stdout, "api-key") {
		t.Fatalf("key where:\n%s", r)
	}
	if left := processesWithHome(u.home); len(left) > 0 {
		t.Errorf("left running: %s", strings.Join(left, "; "))
	}
}

// processesWithHome lists the processes whose environment has HOME=home:
// whatever the user's imagecx started.
func processesWithHome(home string) []string {
	var out []string
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		env, err := os.ReadFile(filepath.Join("/proc", d.Name(), "environ"))
		if err != nil || !bytes.Contains(env, []byte("\x00HOME="+home+"\x00")) && !bytes.HasPrefix(env, []byte("HOME="+home+"\x00")) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		out = append(out, d.Name()+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
		if pid, err := strconv.Atoi(d.Name()); err == nil {
			syscall.Kill(pid, syscall.SIGKILL) // not left for the next test
		}
	}
	return out
}

// Without XDG_RUNTIME_DIR, the socket is in the user's own cache folder,
// which no other user can make first: a folder another user made in the
// temporary folder (with a socket of theirs in it, answering everything)
// is never asked. A socket folder that others can write to is refused,
// not taken for the running imagecx.
func TestSquattedSocketFolderIsRefused(t *testing.T) {
	u := newUser(t)
	delete(u.env, "XDG_RUNTIME_DIR")
	tmp := t.TempDir()
	u.env["TMPDIR"] = tmp
	squat := filepath.Join(tmp, "imagecx-"+strconv.Itoa(os.Getuid()))
	os.Mkdir(squat, 0o777)
	os.Chmod(squat, 0o777)
	ln, err := net.Listen("unix", filepath.Join(squat, "imagecx.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	asked := make(chan struct{}, 10)
	go func() { // the squatter answers everything
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			asked <- struct{}{}
			bufio.NewReader(c).ReadString('\n')
			c.Write([]byte(`{"ok":true,"text":"squatter was here"}` + "\n"))
			c.Close()
		}
	}()
	// Not stopped by it either (it stopped the tray app from starting):
	// the command goes on to capture by itself (and here finds no screen).
	r := u.run("", "capture", "full")
	if strings.Contains(r.stdout+r.stderr, "squatter") || strings.Contains(r.stderr, "not a private folder") {
		t.Errorf("capture full:\n%s", r)
	}
	if len(asked) != 0 {
		t.Error("the squatter's socket was asked")
	}

	// The cache folder's socket folder, open to others: refused.
	cache := filepath.Join(u.env["XDG_CACHE_HOME"], "imagecx")
	if u.env["XDG_CACHE_HOME"] == "" {
		cache = filepath.Join(u.home, ".cache", "imagecx")
	}
	os.MkdirAll(cache, 0o700)
	os.Chmod(cache, 0o777)
	r = u.run("")
	if r.code == 0 || strings.Contains(r.stderr, "already running") || !strings.Contains(r.stderr, "not a private folder") {
		t.Errorf("the tray app with an open socket folder:\n%s", r)
	}
	r = u.run("", "capture", "full")
	if r.code == 0 || !strings.Contains(r.stderr, "not a private folder") {
		t.Errorf("capture full with an open socket folder:\n%s", r)
	}
}
