package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"imagecx/internal/poll"
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
