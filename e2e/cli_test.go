package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/dbustest"
	"imagecx/uploader/cxtest"
)

func writePNG(t *testing.T, dir, name string, w, h int, noisy bool) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	seed := uint32(w*31 + h)
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(x), uint8(y), 128, 255}
			if noisy {
				seed = seed*1664525 + 1013904223
				c = color.NRGBA{uint8(seed >> 24), uint8(seed >> 16), uint8(seed >> 8), 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func startServer(t testing.TB, cfg cxtest.Config) *cxtest.Server {
	srv := cxtest.NewServer(cfg)
	t.Cleanup(srv.Close)
	return srv
}

// noLeak fails if the key shows anywhere the user or a log could see it.
func noLeak(t *testing.T, key string, r result) {
	t.Helper()
	if key != "" && (strings.Contains(r.stdout, key) || strings.Contains(r.stderr, key)) {
		t.Errorf("the key leaked into the output:\n%s", r)
	}
}

func TestUploadPrintsTheDirectLink(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	shot := writePNG(t, u.home, "shot.png", 120, 80, false)

	r := u.run("", "upload", shot)
	if r.code != 0 {
		t.Fatalf("upload failed:\n%s", r)
	}
	stored := srv.Stored()
	if len(stored) != 1 {
		t.Fatalf("server stored %d files", len(stored))
	}
	want, _ := os.ReadFile(shot)
	if !bytes.Equal(stored[0].Data, want) || stored[0].FileName != "shot.png" {
		t.Errorf("server got %q, %d bytes", stored[0].FileName, len(stored[0].Data))
	}
	link := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(link, srv.URL+"/images/") || !strings.HasSuffix(link, "/shot.png") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("stdout %q is not one direct link", r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("stderr not empty: %q", r.stderr)
	}
	noLeak(t, srv.Key, r)
}

func TestUploadFormatsAndSeveralFiles(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	a := writePNG(t, u.home, "a.png", 10, 10, false)
	b := writePNG(t, u.home, "b.png", 20, 10, false)

	r := u.run("", "upload", "--format", "markdown", "--title", "My shot", "--expire", "1h", a, b)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "![My shot](") || !strings.Contains(lines[1], "/b.png)") {
		t.Fatalf("markdown:\n%s", r)
	}
	reqs := srv.Requests()
	if reqs[0].Fields["title"][0] != "My shot" || reqs[0].Fields["expiration"][0] != "PT1H" {
		t.Errorf("fields %v", reqs[0].Fields)
	}

	r = u.run("", "upload", "--format", "json", a)
	var got struct {
		File      string `json:"file"`
		URL       string `json:"url"`
		DeleteURL string `json:"delete_url"`
		Width     int    `json:"width"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.File != a || got.URL == "" || got.DeleteURL == "" || got.Width != 10 {
		t.Fatalf("json: %v\n%s", err, r)
	}

	data, _ := os.ReadFile(a)
	r = u.run(string(data), "upload", "-")
	if r.code != 0 || !strings.HasSuffix(strings.TrimSpace(r.stdout), "/stdin.png") {
		t.Fatalf("stdin:\n%s", r)
	}

	r = u.run("", "upload", "--format", "pdf", a)
	if r.code != 2 || !strings.Contains(r.stderr, "pdf") {
		t.Fatalf("bad format:\n%s", r)
	}
}

func TestUploadWrongKeyNamesTheKeyAndHidesIt(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	wrong := "chv_wrong_" + strings.Repeat("z", 128)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = wrong
	r := u.run("", "upload", writePNG(t, u.home, "a.png", 8, 8, false))
	if r.code == 0 || !strings.Contains(r.stderr, "API key") || !strings.Contains(r.stderr, "a.png") {
		t.Fatalf("wrong key:\n%s", r)
	}
	noLeak(t, wrong, r)
	if len(srv.Requests()) != 1 {
		t.Errorf("a bad key must not be retried: %d requests", len(srv.Requests()))
	}
}

func TestUploadHTML502SaysTheServerFailed(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	for range 10 {
		srv.Script(cxtest.HTML502)
	}
	r := u.run("", "upload", writePNG(t, u.home, "a.png", 8, 8, false))
	if r.code == 0 || !strings.Contains(r.stderr, "server failed") || !strings.Contains(r.stderr, "502") {
		t.Fatalf("html 502:\n%s", r)
	}
	if strings.Contains(r.stderr, "invalid character") || strings.Contains(r.stderr, "<html") {
		t.Errorf("raw parser error or page shown:\n%s", r)
	}
	noLeak(t, srv.Key, r)
}

func TestUploadRefusesBeforeTheNetwork(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	big := writePNG(t, u.home, "big.png", 1500, 1200, true) // noise: > 5 MB as PNG
	if st, _ := os.Stat(big); st.Size() <= 5<<20 {
		t.Fatalf("test image only %d bytes", st.Size())
	}
	text := filepath.Join(u.home, "notes.png")
	os.WriteFile(text, []byte("not an image at all"), 0o644)
	good := writePNG(t, u.home, "good.png", 8, 8, false)

	r := u.run("", "upload", big, text, filepath.Join(u.home, "missing.png"), good)
	if r.code != 1 {
		t.Fatalf("mixed batch:\n%s", r)
	}
	for _, want := range []string{"big.png: the file is too large", "limit is 5.0 MB", "notes.png: the file type is not accepted", "missing.png", "3 of 4 files failed"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].FileName != "good.png" {
		t.Errorf("only good.png may reach the server; it saw %d requests", len(reqs))
	}
	if !strings.HasSuffix(strings.TrimSpace(r.stdout), "/good.png") {
		t.Errorf("the good file's link is missing: %q", r.stdout)
	}
}

func TestUploadWithoutKeyOrWithPlainHTTP(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	shot := writePNG(t, u.home, "a.png", 8, 8, false)
	r := u.run("", "upload", shot)
	if r.code != 1 || !strings.Contains(r.stderr, "No API key is set") || !strings.Contains(r.stderr, "imagecx key set") {
		t.Fatalf("no key:\n%s", r)
	}
	u.env["IMAGECX_API_KEY"] = srv.Key
	u.env["IMAGECX_ENDPOINT"] = "http://image.cx"
	r = u.run("", "upload", shot)
	if r.code != 1 || !strings.Contains(r.stderr, "https") {
		t.Fatalf("plain http:\n%s", r)
	}
	if len(srv.Requests()) != 0 {
		t.Error("requests were made")
	}
}

func TestKeyLifecycleWithoutKeyring(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL

	r := u.run("", "key", "set", srv.Key)
	if r.code != 2 || !strings.Contains(r.stderr, "standard input") {
		t.Fatalf("key on argv:\n%s", r)
	}
	noLeak(t, srv.Key, r)

	// A key the site rejects is not stored; --no-test stores it untested.
	wrong := "chv_wrong_" + strings.Repeat("w", 60)
	r = u.run(wrong+"\n", "key", "set")
	if _, err := os.Stat(filepath.Join(u.configDir(), "api-key")); r.code != 1 || !strings.Contains(r.stderr, "Nothing was stored") || err == nil {
		t.Fatalf("a rejected key:\n%s", r)
	}
	noLeak(t, wrong, r)
	r = u.run("  "+srv.Key+"\n", "key", "set")
	if r.code != 0 || !strings.Contains(r.stdout, "private file") || !strings.Contains(r.stdout, "The key works") {
		t.Fatalf("key set:\n%s", r)
	}
	noLeak(t, srv.Key, r)
	file := filepath.Join(u.configDir(), "api-key")
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	if !strings.Contains(r.stdout, file) {
		t.Errorf("the user is not told where the key is:\n%s", r)
	}

	r = u.run("", "key", "where")
	if r.code != 0 || !strings.Contains(r.stdout, file) || !strings.Contains(r.stdout, "D-Bus") {
		t.Fatalf("key where:\n%s", r)
	}
	// A key file others can read (copied with its mode) is made private,
	// and said so.
	os.Chmod(file, 0o644)
	r = u.run("", "key", "where")
	if st, _ := os.Stat(file); r.code != 0 || !strings.Contains(r.stderr, "mode 0644") || st.Mode().Perm() != 0o600 {
		t.Fatalf("key where with a 0644 key file (now %v):\n%s", st.Mode().Perm(), r)
	}
	r = u.run("", "key", "test")
	if r.code != 0 || !strings.Contains(r.stdout, "works") {
		t.Fatalf("key test:\n%s", r)
	}
	if len(srv.Stored()) != 0 {
		t.Error("key test uploaded something")
	}
	r = u.run("", "upload", writePNG(t, u.home, "a.png", 8, 8, false))
	if r.code != 0 {
		t.Fatalf("upload with the stored key:\n%s", r)
	}
	if got := srv.Requests()[len(srv.Requests())-1].Header.Get("X-API-Key"); got != srv.Key {
		t.Error("the stored key was not sent")
	}
	r = u.run("", "key", "clear")
	if r.code != 0 {
		t.Fatalf("key clear:\n%s", r)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Error("key file still there")
	}
	r = u.run("", "key", "where")
	if !strings.Contains(r.stdout, "No API key is stored") || !strings.Contains(r.stdout, "imagecx key set") {
		t.Errorf("after clear:\n%s", r)
	}
}

func TestKeyInRealKeyring(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	dbustest.Start(t).StartKeyring(t, u.env)

	r := u.run(srv.Key+"\n", "key", "set")
	if r.code != 0 || !strings.Contains(r.stdout, "system keyring") {
		t.Fatalf("key set:\n%s", r)
	}
	if _, err := os.Stat(filepath.Join(u.configDir(), "api-key")); !os.IsNotExist(err) {
		t.Error("a key file was written although a keyring runs")
	}
	r = u.run("", "key", "where")
	if !strings.Contains(r.stdout, "system keyring") {
		t.Fatalf("key where:\n%s", r)
	}
	r = u.run("", "upload", writePNG(t, u.home, "a.png", 8, 8, false))
	if r.code != 0 {
		t.Fatalf("upload with the keyring's key:\n%s", r)
	}
	// The secret is nowhere in the config folder.
	filepath.Walk(u.configDir(), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(srv.Key)) {
				t.Errorf("%s contains the key", p)
			}
		}
		return nil
	})
	r = u.run("", "key", "clear")
	if r.code != 0 {
		t.Fatalf("clear:\n%s", r)
	}
	r = u.run("", "key", "test")
	if r.code != 1 || !strings.Contains(r.stderr, "No API key is set") {
		t.Fatalf("test after clear:\n%s", r)
	}
}

func TestKeyTestFailures(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = "chv_not_the_key"
	r := u.run("", "key", "test")
	if r.code != 1 || !strings.Contains(r.stderr, "rejected the API key") {
		t.Fatalf("bad key:\n%s", r)
	}
	noLeak(t, "chv_not_the_key", r)
	u.env["IMAGECX_ENDPOINT"] = "http://127.0.0.1:1"
	r = u.run("", "key", "test")
	if r.code != 1 || !strings.Contains(r.stderr, "Could not reach 127.0.0.1:1: nothing answers there") {
		t.Fatalf("unreachable:\n%s", r)
	}
}

func TestCorruptConfigIsReportedAndKept(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	os.MkdirAll(u.configDir(), 0o700)
	os.WriteFile(filepath.Join(u.configDir(), "config.json"), []byte("{broken"), 0o600)
	r := u.run("", "upload", writePNG(t, u.home, "a.png", 8, 8, false))
	if r.code != 0 || !strings.Contains(r.stderr, "uses the default settings. The old file is kept as ") || !strings.Contains(r.stderr, "config.json.corrupt-") {
		t.Fatalf("corrupt config:\n%s", r)
	}
	matches, _ := filepath.Glob(filepath.Join(u.configDir(), "config.json.corrupt-*"))
	if len(matches) != 1 {
		t.Errorf("corrupt file not kept: %v", matches)
	}
}

func TestHelpAndVersion(t *testing.T) {
	u := newUser(t)
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		if r := u.run("", args...); r.code != 0 || !strings.Contains(r.stdout, "imagecx upload") {
			t.Errorf("%v:\n%s", args, r)
		}
	}
	// Asked-for help goes to standard output (a pager can take it), with
	// the flags in one style; a mistake's usage goes to standard error.
	for _, args := range [][]string{{"upload", "-h"}, {"upload", "--help"}, {"help", "upload"}} {
		if r := u.run("", args...); r.code != 0 || !strings.Contains(r.stdout, "  --format") || strings.Contains(r.stdout, "  -format") || r.stderr != "" {
			t.Errorf("%v:\n%s", args, r)
		}
	}
	u.env["IMAGECX_ENDPOINT"] = "https://img.example.org"
	if r := u.run("", "help"); !strings.Contains(r.stdout, "Create an API key at https://img.example.org/settings/api.") {
		t.Errorf("help names image.cx while another site is in use:\n%s", r)
	}
	if r := u.run("", "capture", "full", "--bogus"); r.code != 2 || !strings.Contains(r.stderr, "  -o FILE") || r.stdout != "" {
		t.Errorf("a bad flag:\n%s", r)
	}
	if r := u.run("", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "imagecx ") {
		t.Errorf("version:\n%s", r)
	}
	if r := u.run("", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown:\n%s", r)
	}
	if r := u.run("", "upload"); r.code != 2 {
		t.Errorf("upload without files:\n%s", r)
	}
}

// mp4 is a small file with an MP4's boxes: ftyp, the movie (moov) and its
// media (mdat); whole says whether mdat holds all it claims.
func mp4(whole bool) []byte {
	box := func(typ string, size int, body []byte) []byte {
		b := []byte{byte(size >> 24), byte(size >> 16), byte(size >> 8), byte(size)}
		return append(append(b, typ...), body...)
	}
	b := box("ftyp", 24, []byte("isom\x00\x00\x02\x00isommp41"))
	b = append(b, box("moov", 8+64, make([]byte, 64))...)
	claimed := 8 + 256
	if !whole {
		claimed = 8 + 4096
	}
	return append(b, box("mdat", claimed, make([]byte, 256))...)
}

// A video's links are a video's in every format (Markdown and BBCode
// link to it, HTML plays it); a file that only starts like an MP4 is
// refused before anything is sent, and the history does not offer it
// again.
func TestUploadAVideo(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	clip := filepath.Join(u.home, "clip.mp4")
	os.WriteFile(clip, mp4(true), 0o644)
	want := map[string]func(link, out string) bool{
		"url":      func(link, out string) bool { return out == link },
		"markdown": func(link, out string) bool { return out == "[clip]("+link+")" },
		"html":     func(link, out string) bool { return strings.HasPrefix(out, `<video src="`+link+`" controls`) },
		"bbcode":   func(link, out string) bool { return out == "[url]"+link+"[/url]" },
	}
	for _, f := range []string{"url", "markdown", "html", "bbcode"} {
		r := u.run("", "upload", "--format", f, clip)
		reqs := srv.Requests()
		link := srv.URL + "/images/" + time.Now().UTC().Format("2006/01/02") + "/clip.mp4"
		if r.code != 0 || len(reqs) == 0 || !want[f](link, strings.TrimSpace(r.stdout)) {
			t.Errorf("--format %s:\n%s", f, r)
		}
	}
	before := len(srv.Requests())
	fake := filepath.Join(u.home, "fake.mp4")
	os.WriteFile(fake, mp4(false), 0o644)
	r := u.run("", "upload", fake)
	if r.code != 1 || !strings.Contains(r.stderr, "the video is cut short") || len(srv.Requests()) != before {
		t.Fatalf("a cut MP4:\n%s\n%d requests", r, len(srv.Requests())-before)
	}
	if h := u.run("", "history", "--json"); strings.Contains(h.stdout, "fake.mp4") {
		t.Errorf("the refused file is in the history, to be tried again:\n%s", h.stdout)
	}
	u.run("", "retry")
	if len(srv.Requests()) != before {
		t.Error("retry sent the refused file")
	}
}

// imagecx upload LINK fetches the image and sends its bytes (image.cx
// takes no links from keys like the person's), titled with its file's
// name; a redirect elsewhere is followed, a page, a file over the limit
// and a loop of redirects are refused before anything is sent.
func TestUploadALink(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"] = srv.URL
	u.env["IMAGECX_API_KEY"] = srv.Key
	img, _ := os.ReadFile(writePNG(t, u.home, "src.png", 16, 16, false))
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(img) }))
	defer cdn.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("/share/sunset", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, cdn.URL+"/files/sunset.png?sig=abc", http.StatusFound)
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!doctype html><p>a page</p>"))
	})
	mux.HandleFunc("/huge.png", func(w http.ResponseWriter, r *http.Request) {
		w.Write(img[:8])
		w.Write(make([]byte, 6<<20))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	site := httptest.NewServer(mux)
	defer site.Close()

	r := u.run("", "upload", "--format", "markdown", site.URL+"/share/sunset")
	reqs := srv.Requests()
	if r.code != 0 || len(reqs) != 1 || reqs[0].FileName != "sunset.png" || !bytes.Equal(reqs[0].Data, img) || !strings.HasPrefix(r.stdout, "![sunset](") {
		t.Fatalf("a link:\n%s", r)
	}
	if got := reqs[0].Fields["title"]; len(got) != 1 || got[0] != "sunset" {
		t.Errorf("title %q, want the file's name", got)
	}
	for path, want := range map[string]string{
		"/page.html": "not an image",
		"/huge.png":  "too large",
		"/loop":      "redirected more than 5 times",
	} {
		r := u.run("", "upload", site.URL+path)
		if r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("%s:\n%s", path, r)
		}
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d uploads: a refused link reached the host", n)
	}
}
