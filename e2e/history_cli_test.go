package e2e

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"imagecx/uploader/cxtest"
)

// What the command line uploads is in the history; it lists, deletes
// from the site (only when told yes), and retries what failed.
func TestHistoryFromTheCommandLine(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	a := writePNG(t, u.home, "a.png", 8, 8, false)
	b := writePNG(t, u.home, "b.png", 9, 9, false)
	if r := u.run("", "upload", a, b); r.code != 0 {
		t.Fatalf("upload:\n%s", r)
	}
	r := u.run("", "history")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 2 || !strings.Contains(lines[0], "uploaded") || !strings.HasSuffix(lines[0], "/b.png") {
		t.Fatalf("history:\n%s", r)
	}
	r = u.run("", "history", "--json", "-n", "1")
	var e struct {
		ID        int64  `json:"id"`
		URL       string `json:"url"`
		DeleteURL string `json:"delete_url"`
		Source    string `json:"source"`
		Width     int    `json:"width"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &e); err != nil || e.DeleteURL == "" || e.Source != "cli" || e.Width != 9 {
		t.Fatalf("history --json: %v\n%s", err, r)
	}
	if srv.DeleteHits() != 0 {
		t.Fatal("a delete link was fetched by listing")
	}

	id := strconv.FormatInt(e.ID, 10)
	if r := u.run("y\n", "history", "delete", id); r.code == 0 || !strings.Contains(r.stderr, "--yes") || srv.DeleteHits() != 0 {
		t.Fatalf("delete without a terminal or --yes:\n%s", r)
	}
	if r := u.run("", "history", "delete", "--yes", id); r.code != 0 || srv.DeleteHits() != 1 {
		t.Fatalf("delete --yes:\n%s", r)
	}
	if resp, err := http.Get(e.URL); err != nil || resp.StatusCode != 404 {
		t.Errorf("the image is still on the site: %v", err)
	}
	if r := u.run("", "history", "-n", "1"); !strings.Contains(r.stdout, "deleted") {
		t.Errorf("after delete:\n%s", r)
	}

	// A failure, then retry.
	u.env["IMAGECX_API_KEY"] = "chv_wrong_" + strings.Repeat("w", 60)
	if r := u.run("", "upload", a); r.code != 1 {
		t.Fatalf("upload with a wrong key:\n%s", r)
	}
	if r := u.run("", "history", "--failed"); !strings.Contains(r.stdout, "rejected the API key") {
		t.Fatalf("history --failed:\n%s", r)
	}
	u.env["IMAGECX_API_KEY"] = srv.Key
	before := len(srv.Stored())
	if r := u.run("", "retry"); r.code != 0 || !strings.HasPrefix(r.stdout, srv.URL) || len(srv.Stored()) != before+1 {
		t.Fatalf("retry:\n%s", r)
	}
	if r := u.run("", "history", "--failed"); strings.TrimSpace(r.stdout) != "" {
		t.Errorf("still failed:\n%s", r)
	}
}
