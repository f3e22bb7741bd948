package e2e

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/loopback"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
)

// Custom uploaders against hostile hosts and files, with the real binary:
// a host on 127.0.0.1 and a second machine on 127.0.0.2 that must receive
// nothing. Each case below was open before (redirects carried the secrets
// there, a template chose the host, a template took the memory, a secret
// showed in errors, the history and the log).

func serveAt(t *testing.T, addr string, h http.HandlerFunc) *loopback.Host {
	return loopback.Serve(t, addr, h)
}

// addUploader writes an .sxcu file and imports it; the result is the
// command's.
func (u *user) addUploader(t *testing.T, name, sxcu string, flags ...string) result {
	t.Helper()
	file := filepath.Join(u.home, name+".sxcu")
	if err := os.WriteFile(file, []byte(sxcu), 0o600); err != nil {
		t.Fatal(err)
	}
	return u.run("", append(append([]string{"uploader", "add"}, flags...), file)...)
}

// secretsIn says which of the secrets appear in text.
func secretsIn(text string, secrets []string) []string {
	var found []string
	for _, s := range secrets {
		if strings.Contains(text, s) {
			found = append(found, s)
		}
	}
	return found
}

func TestHostileHostsOnTheCommandLine(t *testing.T) {
	u := newUser(t)
	u.env["IMAGECX_API_KEY"] = "chv_imagecx_key_never_elsewhere"
	other := serveAt(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"url": "https://example.com/x.png"}`)
	})
	shot := writePNG(t, u.home, "shot.png", 40, 30, false)

	t.Run("a redirect to another host reaches nothing", func(t *testing.T) {
		for _, code := range []int{302, 307} {
			a := serveAt(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, other.URL+"/collect", code) })
			name := fmt.Sprintf("redir%d", code)
			if r := u.addUploader(t, name, `{"Version": "17.0.0", "Name": "`+name+`", "DestinationType": "ImageUploader", "RequestURL": "`+a.URL+`/up",
				"Headers": {"Authorization": "Bearer R-SECRET-1", "X-API-Key": "R-SECRET-2", "Token": "R-SECRET-3"},
				"Body": "MultipartFormData", "FileFormName": "f", "URL": "{json:url}"}`); r.code != 0 {
				t.Fatalf("add:\n%s", r)
			}
			r := u.run("", "upload", "--to", name, shot)
			if r.code == 0 || !strings.Contains(r.stderr, "redirected the request to another host (127.0.0.2)") || !strings.Contains(r.stderr, "nothing was sent there") {
				t.Errorf("%d:\n%s", code, r)
			}
		}
		if n := other.Hits(); n != 0 {
			t.Errorf("the second machine received %d requests", n)
		}
	})

	t.Run("the host shown is the host used", func(t *testing.T) {
		port := other.Listener.Addr().(*net.TCPAddr).Port
		for _, url := range []string{
			fmt.Sprintf("http://localhost{random:@127.0.0.2:%d|@127.0.0.2:%d}/up", port, port),
			"http://127.0.0.1{random:@192.0.2.7|@192.0.2.7}/up",
		} {
			r := u.addUploader(t, "trick", `{"Version": "17.0.0", "Name": "trick", "DestinationType": "ImageUploader", "RequestURL": "`+url+`", "Body": "Binary"}`, "--allow-http")
			if r.code == 0 || !strings.Contains(r.stderr, "RequestURL") || !strings.Contains(r.stderr, "the host must be written out in full") {
				t.Errorf("%s imported:\n%s", url, r)
			}
		}
		if r := u.run("", "uploader", "list"); strings.Contains(r.stdout, "trick") {
			t.Errorf("list:\n%s", r)
		}
	})

	t.Run("secrets appear nowhere", func(t *testing.T) {
		secrets := []string{"P-SECRET-77", "Q-SECRET-77", "H-SECRET-77", "A-SECRET-77"}
		echo := serveAt(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"error": "refused %s %s %s %s"}`, r.URL.RawQuery, r.Header.Get("X-Auth"), r.FormValue("api_key"), r.FormValue("upload_token"))
		})
		sxcu := `{"Version": "17.0.0", "Name": "leaky", "DestinationType": "ImageUploader", "RequestURL": "` + echo.URL + `/up?sig=Q-SECRET-77&fmt=json",
			"Parameters": {"api_key": "P-SECRET-77"}, "Headers": {"X-Auth": "H-SECRET-77"}, "Body": "MultipartFormData",
			"Arguments": {"upload_token": "A-SECRET-77"}, "FileFormName": "f", "URL": "{json:url}", "ErrorMessage": "{json:error}"}`
		r := u.addUploader(t, "leaky", sxcu)
		if r.code != 0 || len(secretsIn(r.stdout+r.stderr, secrets)) > 0 {
			t.Fatalf("add:\n%s", r)
		}
		stored, _ := os.ReadFile(filepath.Join(u.configDir(), "uploaders", "leaky.sxcu"))
		if found := secretsIn(string(stored), secrets); len(found) > 0 {
			t.Errorf("the stored uploader holds %v:\n%s", found, stored)
		}
		refused := u.run("", "upload", "--to", "leaky", shot) // the host echoes every secret back
		echo.Close()
		down := u.run("", "upload", "--to", "leaky", shot) // no host: the request's address in the error
		if refused.code == 0 || !strings.Contains(refused.stderr, "refused") || down.code == 0 {
			t.Fatalf("upload:\n%s\n%s", refused, down)
		}
		hist := u.run("", "history", "--json")
		db, _ := os.ReadFile(filepath.Join(u.env["XDG_DATA_HOME"], "imagecx", "history.db"))
		wal, _ := os.ReadFile(filepath.Join(u.env["XDG_DATA_HOME"], "imagecx", "history.db-wal"))
		logs, _ := filepath.Glob(filepath.Join(u.env["XDG_STATE_HOME"], "imagecx", "*"))
		var logText string
		for _, l := range logs {
			data, _ := os.ReadFile(l)
			logText += string(data)
		}
		for what, text := range map[string]string{"the refused upload's output": refused.stdout + refused.stderr,
			"the failed upload's output": down.stdout + down.stderr, "imagecx history": hist.stdout, "history.db": string(db) + string(wal), "the log": logText} {
			if found := secretsIn(text, secrets); len(found) > 0 {
				t.Errorf("%s shows %v", what, found)
			}
		}
		if !strings.Contains(hist.stdout, "refused") {
			t.Errorf("the history does not say why:\n%s", hist)
		}
	})

	t.Run("a delete link's redirect is not followed", func(t *testing.T) {
		var a *loopback.Host
		a = serveAt(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/del/") {
				http.Redirect(w, r, other.URL+"/del/1", http.StatusFound)
				return
			}
			fmt.Fprintf(w, `{"url": "%s/i/1.png", "del": "%s/del/1"}`, a.URL, a.URL)
		})
		if r := u.addUploader(t, "deleter", `{"Version": "17.0.0", "Name": "deleter", "DestinationType": "ImageUploader", "RequestURL": "`+a.URL+`/up",
			"Body": "Binary", "URL": "{json:url}", "DeletionURL": "{json:del}"}`); r.code != 0 {
			t.Fatalf("add:\n%s", r)
		}
		if r := u.run("", "upload", "--to", "deleter", shot); r.code != 0 {
			t.Fatalf("upload:\n%s", r)
		}
		var row struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(strings.SplitN(u.run("", "history", "--json", "-n", "1").stdout, "\n", 2)[0]), &row)
		r := u.run("", "history", "delete", "--yes", fmt.Sprint(row.ID))
		if r.code == 0 || !strings.Contains(r.stderr, "another host (127.0.0.2)") {
			t.Errorf("delete:\n%s", r)
		}
		if n := other.Hits(); n != 0 {
			t.Errorf("the second machine received %d requests", n)
		}
	})

	t.Run("LocationHeader is read, not followed", func(t *testing.T) {
		a := serveAt(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/cdn/9.png", http.StatusFound)
		})
		if r := u.addUploader(t, "located", `{"Name": "located", "RequestType": "POST", "RequestURL": "`+a.URL+`/up", "FileFormName": "f", "ResponseType": "LocationHeader"}`); r.code != 0 {
			t.Fatalf("add:\n%s", r)
		}
		if r := u.run("", "upload", "--to", "located", shot); r.code != 0 || strings.TrimSpace(r.stdout) != other.URL+"/cdn/9.png" {
			t.Errorf("upload:\n%s", r)
		}
		if n := other.Hits(); n != 0 {
			t.Errorf("the second machine received %d requests", n)
		}
	})

	t.Run("names that read as something else, nulls, undecided secrets", func(t *testing.T) {
		for _, name := range []string{`x\nimage.cx   https://evil.example`, `evil\u202Egnp.exe`, `-rf`} {
			r := u.addUploader(t, "named", `{"Version": "17.0.0", "Name": "`+name+`", "RequestURL": "https://a.example/up", "Body": "Binary"}`)
			if r.code == 0 || !strings.Contains(strings.ToLower(r.stderr), "name: ") {
				t.Errorf("%s:\n%s", name, r)
			}
		}
		if r := u.run("", "uploader", "list"); strings.Contains(r.stdout, "evil") || strings.Contains(r.stdout, "-rf") {
			t.Errorf("list:\n%s", r)
		}
		if r := u.addUploader(t, "discord", `{"Version": "17.0.0", "Name": "discord", "DestinationType": "ImageUploader", "RequestURL": "https://discord.example/api/webhooks/1",
			"Body": "MultipartFormData", "Arguments": {"content": null}, "FileFormName": "file", "URL": "{json:attachments[0].url}"}`); r.code != 0 {
			t.Errorf("a null argument:\n%s", r)
		}
		custom := `{"Version": "17.0.0", "Name": "custom", "DestinationType": "ImageUploader", "RequestURL": "https://c.example/up",
			"Headers": {"X-Custom": "a8f9e8d7c6b5a4f3e2d1c0b9"}, "Body": "Binary"}`
		if r := u.addUploader(t, "custom", custom); r.code == 0 || !strings.Contains(r.stderr, "--secret Headers.X-Custom") {
			t.Errorf("an undecided secret with nobody to ask:\n%s", r)
		}
		if r := u.addUploader(t, "custom", custom, "--secret", "Headers.X-Custom"); r.code != 0 || !strings.Contains(r.stdout, "Headers.X-Custom is kept in private files") {
			t.Errorf("--secret:\n%s", r)
		}
		stored, _ := os.ReadFile(filepath.Join(u.configDir(), "uploaders", "custom.sxcu"))
		if strings.Contains(string(stored), "a8f9e8d7c6b5") {
			t.Errorf("the secret is in the stored file:\n%s", stored)
		}
	})
}

// The tray app against an uploader whose templates ask for the machine's
// memory ({response} two thousand times over a 4 MB answer): the upload
// fails with a sentence and the app runs on. And an upload whose answer
// the app died reading twice (here kill -9 while the host holds the body
// of its answer) is set aside with a note at the third start instead of
// being sent again; one killed on its way is simply sent again.
func TestTraySurvivesHostileUploaders(t *testing.T) {
	d := newDesk(t, deskOpts{noTray: true})
	big := `{"url": "https://example.com/a.png", "pad": "` + strings.Repeat("x", 4<<20-80) + `"}`
	held := make(chan struct{}, 8)
	release := make(chan struct{})
	var holding atomic.Bool
	host := serveAt(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/slow" && holding.Load() {
			// The answer starts, and its body does not come.
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"url": "https://exa`)
			w.(http.Flusher).Flush()
			held <- struct{}{}
			select { // until the test lets go, or the client is gone
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		io.WriteString(w, big)
	})
	for _, up := range []struct{ name, path, url string }{
		{"blowup", "/up", strings.Repeat("{response}", 2000)},
		{"slow", "/slow", "{json:url}"},
	} {
		if r := d.u.addUploader(t, up.name, `{"Version": "17.0.0", "Name": "`+up.name+`", "DestinationType": "ImageUploader", "RequestURL": "`+host.URL+up.path+`",
			"Body": "Binary", "URL": "`+up.url+`"}`); r.code != 0 {
			t.Fatalf("add:\n%s", r)
		}
	}
	if r := d.u.run("", "uploader", "default", "blowup"); r.code != 0 {
		t.Fatal(r)
	}
	p := d.start()
	d.key("ctrl+shift+1")
	note := d.notes.Wait(t, 0, 60*time.Second, titled("Upload failed"))
	if !strings.Contains(note.Body, "more work than imagecx does for one upload") {
		t.Errorf("the note: %s", note.Body)
	}
	if !p.running() {
		t.Fatal("the tray app ended")
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.exit(t, 10*time.Second)

	// The crash loop: two kills while the answer to one upload is read.
	if r := d.u.run("", "uploader", "default", "slow"); r.code != 0 {
		t.Fatal(r)
	}
	holding.Store(true)
	p = d.start()
	d.key("ctrl+shift+1")
	for kill := 1; kill <= 2; kill++ {
		select {
		case <-held:
		case <-time.After(60 * time.Second):
			t.Fatalf("upload %d never reached the host", kill)
		}
		poll.Until(t, 10*time.Second, "the history to note that the answer came", func() bool { return readingAnswers(t, d.u) == 1 })
		p.cmd.Process.Kill() // a crash while the answer is read
		p.exit(t, 10*time.Second)
		p = d.start() // resumes it: the first time it is sent again
	}
	n := len(d.notes.All())
	poll.Until(t, 30*time.Second, "the upload to be set aside", func() bool {
		return strings.Contains(d.u.run("", "history", "--failed").stdout, "stopped twice")
	})
	select {
	case <-held:
		t.Error("the upload that stopped the app twice was sent a third time")
	case <-time.After(2 * time.Second):
	}
	if note := d.notes.Wait(t, n, 30*time.Second, titled("Upload failed")); !strings.Contains(note.Body, "stopped twice") {
		t.Errorf("the note: %s", note.Body)
	}
	if !p.running() {
		t.Error("the tray app ended")
	}
	close(release)
	// Retry sends it, now that the host answers.
	holding.Store(false)
	if r := d.u.run("", "retry"); r.code != 0 {
		t.Errorf("retry:\n%s", r)
	}
	poll.Until(t, 60*time.Second, "the retried upload", func() bool {
		return strings.Contains(d.u.run("", "history", "-n", "1").stdout, "https://example.com/a.png")
	})
}

// readingAnswers is how many of u's uploads have an answer being read, as
// the history says (read-only, beside the running app).
func readingAnswers(t *testing.T, u *user) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(u.env["XDG_DATA_HOME"], "imagecx", "history.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.QueryRow("SELECT COUNT(*) FROM captures WHERE reading = 1").Scan(&n)
	return n
}

// On a desktop whose keyring was never made (gnome-keyring started by the
// bus, no login keyring), importing an uploader makes the default keyring
// with the password the person gives in its prompt, and the secret goes
// there (not to a file); the upload then reads it back.
func TestUploaderSecretsInAFreshKeyring(t *testing.T) {
	xvfb.Need(t, "gnome-keyring-daemon", "/usr/libexec/gcr-prompter", "xdotool")
	x := xvfb.Start(t, 1024, 768)
	u := newUser(t)
	u.env["DISPLAY"] = x.Display
	env := map[string]string{}
	for _, k := range []string{"HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "DISPLAY", "PATH", "LANG"} {
		env[k] = u.env[k]
	}
	bus := dbustest.StartActivating(t, env, dbustest.PromptServices...)
	u.env["DBUS_SESSION_BUS_ADDRESS"] = bus.Addr
	var auth atomic.Value
	auth.Store("")
	host := serveAt(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		io.WriteString(w, `{"url": "https://example.com/k.png"}`)
	})
	file := filepath.Join(u.home, "kr.sxcu")
	os.WriteFile(file, []byte(`{"Version": "17.0.0", "Name": "kr", "DestinationType": "ImageUploader", "RequestURL": "`+host.URL+`/up",
		"Headers": {"Authorization": "Bearer K-SECRET-9"}, "Body": "Binary", "URL": "{json:url}"}`), 0o600)
	done := make(chan result, 1)
	go func() { done <- u.run("", "uploader", "add", file) }()
	dbustest.AnswerKeyringPrompt(t, x.Display, "pw-for-keyring", "key:Tab", "pw-for-keyring", "key:Return")
	r := <-done
	if r.code != 0 || !strings.Contains(r.stdout, "kept in the keyring") {
		t.Fatalf("add:\n%s", r)
	}
	if files, _ := filepath.Glob(filepath.Join(u.configDir(), "secrets", "*")); len(files) != 0 {
		t.Errorf("secrets went to files: %v", files)
	}
	shot := writePNG(t, u.home, "s.png", 20, 20, false)
	if r := u.run("", "upload", "--to", "kr", shot); r.code != 0 || auth.Load() != "Bearer K-SECRET-9" {
		t.Errorf("upload (the host saw %q):\n%s", auth.Load(), r)
	}
	// The keyring's file holds it, encrypted: the word is not in it.
	keyrings, _ := filepath.Glob(filepath.Join(u.env["XDG_DATA_HOME"], "keyrings", "*.keyring"))
	for _, k := range keyrings {
		if data, _ := os.ReadFile(k); strings.Contains(string(data), "K-SECRET-9") {
			t.Errorf("%s holds the secret in the clear", k)
		}
	}
	if len(keyrings) == 0 {
		t.Error("no keyring was made")
	}
}
