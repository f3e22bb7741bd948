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
		{"flood every time", []cxtest.Fault{cxtest.Flood, cxtest.Flood, cxtest.Flood}, "", uploader.ErrRateLimited, 3, true, "rate limited"},
		{"storage every time", []cxtest.Fault{cxtest.Storage, cxtest.Storage, cxtest.Storage}, "", uploader.ErrServer, 3, true, "storage"},
		{"429 every time", []cxtest.Fault{cxtest.TooMany429(0), cxtest.TooMany429(0), cxtest.TooMany429(0)}, "", uploader.ErrRateLimited, 3, true, "429"},
		{"reset every time", []cxtest.Fault{cxtest.Reset, cxtest.Reset, cxtest.Reset}, "", uploader.ErrNetwork, 3, true, "reach"},
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
	for _, f := range []cxtest.Fault{cxtest.Unavailable503, cxtest.HTML502, cxtest.Flood, cxtest.Reset, cxtest.TooMany429(0)} {
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

func TestHangTimesOutAndRetries(t *testing.T) {
	srv, c := setup(t, cxtest.Config{}, uploader.WithTimeout(150*time.Millisecond))
	srv.Script(cxtest.Hang, cxtest.Hang, cxtest.Hang)
	_, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{})
	if !errors.Is(err, uploader.ErrNetwork) || !uploader.IsTemporary(err) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "no answer") {
		t.Errorf("message %q should say the server did not answer", err)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}
	// The next upload works.
	if _, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{}); err != nil {
		t.Fatal(err)
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

func TestRetryAfterIsHonouredWithinTheCap(t *testing.T) {
	srv, c := setup(t, cxtest.Config{}, uploader.WithRetry(uploader.Retry{Attempts: 2, Base: time.Millisecond, Max: 300 * time.Millisecond, MaxElapsed: 10 * time.Second}))
	srv.Script(cxtest.TooMany429(60))
	if _, err := c.Upload(context.Background(), "a.png", pngBytes(t, 4, 4), uploader.Options{}); err != nil {
		t.Fatal(err)
	}
	// Retry-After 60 s was capped to Max: the test finishing at all shows it.
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("requests = %d", n)
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
