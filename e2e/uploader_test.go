package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// A ShareX custom uploader, imported with the command line: its token
// goes to the keyring (here, with no keyring, a private file), never to
// the uploader's stored file; `upload --to` sends the request it
// describes, with nothing of the image.cx key; the link printed and the
// history row are the answer's; "default" sends every upload there until
// "default image.cx"; "remove" forgets it and its token.
func TestCustomUploaderFromTheCommandLine(t *testing.T) {
	u := newUser(t)
	u.env["IMAGECX_API_KEY"] = "chv_imagecx_key_never_elsewhere"
	var mu sync.Mutex
	var got []*http.Request
	var bodies []string
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r)
		bodies = append(bodies, string(body))
		mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer s3cr3t-token" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"ok": false, "error": "bad token"}`)
			return
		}
		base := "http://" + r.Host
		io.WriteString(w, `{"ok": true, "files": [{"url": "`+base+`/f/1.png", "delete": "`+base+`/del/1"}]}`)
	}))
	defer host.Close()
	sxcu := filepath.Join(u.home, "home pics.sxcu")
	os.WriteFile(sxcu, []byte("\xef\xbb\xbf"+`{
  "Version": "17.0.0",
  "Name": "home pics",
  "DestinationType": "ImageUploader, FileUploader",
  "RequestMethod": "POST",
  "RequestURL": "`+host.URL+`/upload",
  "Headers": {"Authorization": "Bearer s3cr3t-token"},
  "Body": "MultipartFormData",
  "Arguments": {"album": "desk"},
  "FileFormName": "file",
  "URL": "{json:files[0].url}",
  "DeletionURL": "{json:files[0].delete}",
  "ErrorMessage": "{json:error}"
}`), 0o600)

	r := u.run("", "uploader", "add", sxcu)
	if r.code != 0 || !strings.Contains(r.stdout, `Added "home pics": sends to `+host.URL+` (POST), takes images, files.`) || !strings.Contains(r.stdout, "Headers.Authorization is kept in private files") {
		t.Fatalf("add:\n%s", r)
	}
	stored, _ := os.ReadFile(filepath.Join(u.configDir(), "uploaders", "home pics.sxcu"))
	if len(stored) == 0 || strings.Contains(string(stored), "s3cr3t") {
		t.Errorf("the stored uploader holds the token (or nothing):\n%s", stored)
	}
	if r := u.run("", "uploader", "list"); r.code != 0 || !strings.Contains(r.stdout, "* image.cx") || !strings.Contains(r.stdout, "  home pics") || !strings.Contains(r.stdout, "127.0.0.1") {
		t.Errorf("list:\n%s", r)
	}

	shot := writePNG(t, u.home, "shot.png", 40, 30, false)
	r = u.run("", "upload", "--to", "home pics", shot)
	if r.code != 0 || strings.TrimSpace(r.stdout) != host.URL+"/f/1.png" {
		t.Fatalf("upload --to:\n%s", r)
	}
	mu.Lock()
	req, body := got[0], bodies[0]
	mu.Unlock()
	if req.Method != "POST" || req.URL.Path != "/upload" || !strings.Contains(body, `name="album"`) || !strings.Contains(body, `name="file"; filename="shot.png"`) {
		t.Errorf("request %s %s:\n%.300s", req.Method, req.URL, body)
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			if strings.Contains(v, "chv_imagecx_key") {
				t.Errorf("the image.cx key went to another host in %s", k)
			}
		}
	}
	if strings.Contains(body, "chv_imagecx_key") || strings.Contains(req.URL.RawQuery, "chv_imagecx_key") {
		t.Error("the image.cx key went to another host")
	}
	hist := u.run("", "history", "--json", "-n", "1")
	var row struct {
		URL       string `json:"url"`
		DeleteURL string `json:"delete_url"`
	}
	json.Unmarshal([]byte(strings.SplitN(hist.stdout, "\n", 2)[0]), &row)
	if row.URL != host.URL+"/f/1.png" || row.DeleteURL != host.URL+"/del/1" {
		t.Errorf("history row %+v:\n%s", row, hist)
	}

	// The default destination: every upload goes there, and back.
	if r := u.run("", "uploader", "default", "home pics"); r.code != 0 || !strings.Contains(r.stdout, "Captures go to home pics (127.0.0.1).") {
		t.Fatalf("default:\n%s", r)
	}
	if r := u.run("", "upload", shot); r.code != 0 || strings.TrimSpace(r.stdout) != host.URL+"/f/1.png" {
		t.Errorf("upload to the default:\n%s", r)
	}
	if r := u.run("", "uploader", "list"); !strings.Contains(r.stdout, "* home pics") {
		t.Errorf("list after default:\n%s", r)
	}

	// The host's own words when it refuses.
	os.WriteFile(sxcu, []byte(strings.Replace(string(mustRead(t, sxcu)), "s3cr3t-token", "wrong", 1)), 0o600)
	u.run("", "uploader", "add", sxcu) // replaces it, with the wrong token
	if r := u.run("", "upload", shot); r.code == 0 || !strings.Contains(r.stderr, "bad token") {
		t.Errorf("a refused upload:\n%s", r)
	}

	// An uploader of text is listed and says it takes no images.
	text := filepath.Join(u.home, "paste.sxcu")
	os.WriteFile(text, []byte(`{"Version": "17.0.0", "Name": "paste", "DestinationType": "TextUploader", "RequestURL": "https://paste.example.com/", "Body": "FormURLEncoded", "Arguments": {"text": "{input}"}}`), 0o600)
	if r := u.run("", "uploader", "add", text); r.code != 0 || !strings.Contains(r.stdout, "cannot take images") {
		t.Errorf("a text uploader:\n%s", r)
	}
	if r := u.run("", "uploader", "default", "paste"); r.code == 0 || !strings.Contains(r.stderr, "uploads text, not images") {
		t.Errorf("default to a text uploader:\n%s", r)
	}
	// A file that is not one says what is wrong, and plain http elsewhere
	// is refused.
	bad := filepath.Join(u.home, "bad.sxcu")
	os.WriteFile(bad, []byte(`{"Version": "17.0.0", "RequestURL": "http://pics.example.com/up", "URL": "{json:url}"}`), 0o600)
	if r := u.run("", "uploader", "add", bad); r.code == 0 || !strings.Contains(r.stderr, "plain http://") || !strings.Contains(r.stderr, "--allow-http") {
		t.Errorf("plain http:\n%s", r)
	}
	if r := u.run("{not json", "uploader", "add", "-"); r.code == 0 || !strings.Contains(r.stderr, "standard input: not JSON") {
		t.Errorf("standard input:\n%s", r)
	}

	// Removed: its token goes, and uploads go to image.cx again.
	if r := u.run("", "uploader", "remove", "home pics"); r.code != 0 || !strings.Contains(r.stdout, "Captures go to image.cx again.") {
		t.Errorf("remove:\n%s", r)
	}
	if left, _ := filepath.Glob(filepath.Join(u.configDir(), "secrets", "*")); len(left) != 0 {
		t.Errorf("secrets left: %v", left)
	}
	if r := u.run("", "upload", "--to", "home pics", shot); r.code == 0 || !strings.Contains(r.stderr, `No custom uploader is called "home pics" (there are: paste)`) {
		t.Errorf("upload to a removed uploader:\n%s", r)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The tray app sends captures to the custom uploader `uploader default`
// chose: the capture the host receives is the screen, the link it answers
// is the one copied and notified, and nothing of the image.cx key goes
// there.
func TestTrayUploadsToTheCustomUploader(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	var mu sync.Mutex
	var files [][]byte
	var keys []string
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, _, err := r.FormFile("image")
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		data, _ := io.ReadAll(f)
		mu.Lock()
		files = append(files, data)
		keys = append(keys, r.Header.Get("X-API-Key")+r.Header.Get("Authorization"))
		mu.Unlock()
		io.WriteString(w, "http://"+r.Host+"/shots/1.png\n")
	}))
	defer host.Close()
	file := filepath.Join(d.u.home, "shots.sxcu")
	os.WriteFile(file, []byte(`{"Version": "17.0.0", "Name": "shots", "DestinationType": "ImageUploader",
		"RequestURL": "`+host.URL+`/up", "Headers": {"Authorization": "Token t-1"}, "Body": "MultipartFormData", "FileFormName": "image"}`), 0o600)
	for _, args := range [][]string{{"uploader", "add", file}, {"uploader", "default", "shots"}} {
		if r := d.u.run("", args...); r.code != 0 {
			t.Fatalf("%v:\n%s", args, r)
		}
	}
	d.start()
	d.key("ctrl+shift+1")
	note := d.notes.Wait(t, 0, 30*time.Second, titled("Uploaded — link copied"))
	if link := strings.TrimSpace(note.Body); link != host.URL+"/shots/1.png" {
		t.Fatalf("notified %q", note.Body)
	}
	if got := string(d.clipboard("UTF8_STRING")); got != host.URL+"/shots/1.png" {
		t.Errorf("clipboard %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(files) != 1 || keys[0] != "Token t-1" {
		t.Fatalf("%d uploads, credentials %q", len(files), keys)
	}
	equalsDesktop(t, files[0])
	if len(d.srv.Requests()) != 0 {
		t.Errorf("image.cx got %d requests", len(d.srv.Requests()))
	}
}
