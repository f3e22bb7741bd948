package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/uploader/cxtest"
)

func TestCaptureFullFromTheCommandLine(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})

	out := filepath.Join(d.u.home, "f.png")
	r := d.u.run("", "capture", "full", "--no-upload", "-o", out)
	if r.code != 0 || strings.TrimSpace(r.stdout) != out {
		t.Fatalf("capture --no-upload:\n%s", r)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	equalsDesktop(t, data)
	if len(d.srv.Requests()) != 0 {
		t.Error("--no-upload uploaded")
	}

	r = d.u.run("", "capture", "full")
	if r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.stdout), d.srv.URL+"/images/") || !strings.Contains(r.stderr, "Saved ") {
		t.Fatalf("capture and upload:\n%s", r)
	}
	stored := d.waitStored(1, 5*time.Second)
	equalsDesktop(t, stored[0].Data)
	if files := savedCaptures(t, d.u); len(files) != 1 {
		t.Errorf("saved captures %v", files)
	}

	d.srv.Script(cxtest.APIError(100, "Invalid API key."))
	r = d.u.run("", "capture", "full")
	if r.code != 1 || !strings.Contains(r.stderr, "rejected the API key") || !strings.Contains(r.stderr, "The capture is saved at") {
		t.Fatalf("failed upload:\n%s", r)
	}

	// Captures are the user's alone.
	for _, f := range append(savedCaptures(t, d.u), out) {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, st.Mode(), err)
		}
	}

	// -o FILE that cannot be written: the capture goes to the captures
	// folder and is uploaded, and the command says so and fails.
	taken := filepath.Join(d.u.home, "taken.png")
	os.Mkdir(taken, 0o700)
	r = d.u.run("", "capture", "full", "-o", taken)
	if r.code != 1 || !strings.Contains(r.stderr, "saved at") || !strings.Contains(r.stderr, "instead") || !strings.HasPrefix(r.stdout, d.srv.URL+"/images/") {
		t.Fatalf("-o onto a folder:\n%s", r)
	}
	if files := savedCaptures(t, d.u); len(files) != 3 {
		t.Errorf("saved captures %v", files)
	}

	r = d.u.run("", "capture", "full", "--no-upload", "-o", filepath.Join(d.u.home, "missing-dir", "f.png"))
	if r.code != 1 || !strings.Contains(r.stderr, "missing-dir does not exist") {
		t.Fatalf("unwritable -o:\n%s", r)
	}
	delete(d.u.env, "DISPLAY")
	r = d.u.run("", "capture", "full", "--no-upload")
	if r.code != 1 || !strings.Contains(r.stderr, "DISPLAY") {
		t.Fatalf("no display:\n%s", r)
	}
}
