package sxcu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"imagecx/explain"
	"imagecx/internal/testkit/loopback"
	"imagecx/uploader"
)

// A hostile host, and a second machine beside it (127.0.0.2) that must
// receive nothing. Each case was an open door before the rules of egress
// and the bounds of templates.

func serveOn(t *testing.T, addr string, h http.HandlerFunc) *loopback.Host {
	return loopback.Serve(t, addr, h)
}

// newOther is the second machine.
func newOther(t *testing.T) *loopback.Host {
	return loopback.Serve(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"url": "https://example.com/stolen.png"}`)
	})
}

func load(t *testing.T, sxcu string) *Uploader {
	t.Helper()
	u, err := Parse([]byte(sxcu), Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, sxcu)
	}
	return u
}

func uploadTo(u *Uploader) (uploader.Result, error) {
	return (&Client{U: u}).Upload(context.Background(), "a.png", png, uploader.Options{})
}

// 1. A redirect to another host carries nothing there: not the secret
// headers, not the image; the upload fails saying so, and is not retried.
func TestHostileRedirect(t *testing.T) {
	o := newOther(t)
	for _, code := range []int{301, 302, 303, 307, 308} {
		a := serveOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, o.URL+"/collect", code)
		})
		u := load(t, `{"Version": "17.0.0", "Name": "r", "DestinationType": "ImageUploader", "RequestURL": "`+a.URL+`/up",
			"Headers": {"Authorization": "Bearer A-SECRET", "X-API-Key": "K-SECRET", "Token": "T-SECRET"},
			"Body": "MultipartFormData", "FileFormName": "f", "URL": "{json:url}"}`)
		_, err := uploadTo(u)
		if !errors.Is(err, uploader.ErrEndpoint) || uploader.IsTemporary(err) || !strings.Contains(explain.Error(err), "nothing was sent there") {
			t.Errorf("%d: %v / %s", code, err, explain.Error(err))
		}
	}
	if n := o.Hits(); n != 0 {
		t.Errorf("the second machine received %d requests", n)
	}
}

// 2. The host shown at import is the host used: a template in the scheme
// or host is refused, so is a user name in the address.
func TestHostileTemplatedHost(t *testing.T) {
	for _, url := range []string{
		`http://localhost{random:@127.0.0.2:8080|@127.0.0.2:8080}/up`,
		`http://127.0.0.1{random:@192.0.2.7|@192.0.2.7}/up`,
		`https://{random:a.example|b.example}/up`,
		`https://example.com{filename}`,
		`https://user:pw@example.com/up`,
		`https://example.com@127.0.0.2/up`,
		`{filename}://example.com/up`,
	} {
		_, err := Parse([]byte(`{"Version": "17.0.0", "Name": "h", "RequestURL": "`+url+`", "Body": "Binary"}`), Options{AllowHTTP: true})
		var ie *ImportError
		if !errors.As(err, &ie) || ie.Field != "RequestURL" {
			t.Errorf("%s imported: %v", url, err)
		}
	}
	// After the host, templates are free: the path and the query.
	u := load(t, `{"Version": "17.0.0", "Name": "p", "RequestURL": "https://up.example.com:8443/{random:a|b}/x?n={filename}", "Body": "Binary"}`)
	if u.Origin() != "https://up.example.com:8443" || u.Host() != "up.example.com" {
		t.Errorf("origin %s host %s", u.Origin(), u.Host())
	}
}

// 3. Templates that ask for the machine's memory or time fail within
// their bounds with a sentence.
func TestHostileTemplateBlowUps(t *testing.T) {
	// At import: nesting past the bound, however deep (100 000 levels in a
	// 900 KB file parse no further than the bound).
	for _, depth := range []int{80, 100_000} {
		src := strings.Repeat("{base64:", depth) + "x" + strings.Repeat("}", depth)
		start := time.Now()
		_, err := Parse([]byte(`{"Version": "17.0.0", "Name": "b", "RequestURL": "https://a.example/up", "Body": "Binary", "URL": "`+src+`"}`), Options{})
		if err == nil || !strings.Contains(err.Error(), "nested more than") || time.Since(start) > 2*time.Second {
			t.Errorf("%d nested calls: %v after %v", depth, err, time.Since(start))
		}
	}
	// On a 4 MB answer: {response} 2000 times, {json:url} 3000 times, a
	// regular expression that backtracks.
	big := `{"url": "https://example.com/a.png", "pad": "` + strings.Repeat("x", MaxAnswer-60) + `"}`
	host := serveOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, big) })
	for name, tmpl := range map[string]string{
		"response×2000": strings.Repeat("{response}", 2000),
		"json×3000":     strings.Repeat("{json:url}", 3000),
		"regex":         `{regex:(x+x+)+y|1}`,
	} {
		t.Run(name, func(t *testing.T) {
			u := load(t, `{"Version": "17.0.0", "Name": "b", "DestinationType": "ImageUploader", "RequestURL": "`+host.URL+`/up", "Body": "Binary", "URL": "`+tmpl+`"}`)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := uploadTo(u)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, uploader.ErrBadResponse) || !errors.Is(err, ErrBudget) && !strings.Contains(err.Error(), "regular expression") {
				t.Errorf("%v", err)
			}
			if took > MaxTime+3*time.Second {
				t.Errorf("took %v", took)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 400<<20 {
				t.Errorf("allocated %d MB", alloc>>20)
			}
			if s := explain.Error(err); s == "" || len(s) > 600 {
				t.Errorf("the sentence: %q", s)
			}
		})
	}
}

// 4. A secret appears in no error, wherever the uploader put it and
// whatever the host says back.
func TestHostileSecretsInErrors(t *testing.T) {
	echo := serveOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error": "bad key %s, header %s, query %s"}`, r.FormValue("api_key"), r.Header.Get("X-Token"), r.URL.RawQuery)
	})
	u := load(t, `{"Version": "17.0.0", "Name": "s", "DestinationType": "ImageUploader", "RequestURL": "`+echo.URL+`/up?sig=Q-SECRET-1",
		"Parameters": {"api_key": "P-SECRET-1"}, "Headers": {"X-Token": "Bearer H-SECRET-1"},
		"Body": "MultipartFormData", "FileFormName": "f", "URL": "{json:url}", "ErrorMessage": "{json:error}"}`)
	u.Secrets = []string{"Q-SECRET-1", "P-SECRET-1", "Bearer H-SECRET-1"} // as the store loads it
	_, err := uploadTo(u)
	if !errors.Is(err, uploader.ErrDenied) {
		t.Fatalf("%v", err)
	}
	// The host is down: the request's address is in no error either.
	echo.Close()
	_, down := uploadTo(u)
	if !errors.Is(down, uploader.ErrNetwork) {
		t.Fatalf("%v", down)
	}
	for _, e := range []error{err, down} {
		texts := []string{e.Error(), explain.Error(e), fmt.Sprintf("%+v", e)}
		for c := errors.Unwrap(e); c != nil; c = errors.Unwrap(c) {
			texts = append(texts, c.Error()) // a cause printed on its own
		}
		for _, text := range texts {
			if strings.Contains(text, "SECRET") {
				t.Errorf("a secret shows: %s", text)
			}
		}
	}
}

// 7. ResponseType LocationHeader: the link is where the host redirects,
// read, not followed.
func TestLocationHeaderIsReadNotFollowed(t *testing.T) {
	o := newOther(t)
	a := serveOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, o.URL+"/i/9.png", http.StatusFound)
	})
	u := load(t, `{"Name": "loc", "RequestType": "POST", "RequestURL": "`+a.URL+`/up", "FileFormName": "f", "ResponseType": "LocationHeader"}`)
	r, err := uploadTo(u)
	if err != nil || r.URL != o.URL+"/i/9.png" {
		t.Errorf("%+v %v", r, err)
	}
	if o.Hits() != 0 {
		t.Error("the redirect was followed")
	}
}

// 8. Names that would read as something else are refused; 9. a null
// argument is sent empty, as ShareX does.
func TestHostileNamesAndNulls(t *testing.T) {
	for _, name := range []string{"a\nimage.cx  *  https://example.com", "evil\u202Egnp.exe", "-rf", "zero\u200Bwidth", "tab\there"} {
		_, err := Parse([]byte(fmt.Sprintf(`{"Version": "17.0.0", "Name": %q, "RequestURL": "https://a.example/up", "Body": "Binary"}`, name)), Options{})
		var ie *ImportError
		if !errors.As(err, &ie) || ie.Field != "Name" {
			t.Errorf("%q: %v", name, err)
		}
	}
	u := load(t, `{"Version": "17.0.0", "Name": "discord", "DestinationType": "ImageUploader", "RequestURL": "https://discord.example/api/webhooks/1",
		"Body": "MultipartFormData", "Arguments": {"content": null, "username": "me"}, "FileFormName": "file", "URL": "{json:attachments[0].url}"}`)
	if u.Args[0].Name != "content" || u.Args[0].Value.String() != "" {
		t.Errorf("a null argument: %+v", u.Args[0])
	}
}
