package egress

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/loopback"
)

// serve starts a host on addr ("127.0.0.1" or "127.0.0.2": two machines,
// as far as the rules can tell).
func serve(t *testing.T, addr string, h http.HandlerFunc) *loopback.Host {
	return loopback.Serve(t, addr, h)
}

func ok(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok "+r.Method) }

func redirectTo(target string, code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/final" {
			ok(w, r)
			return
		}
		http.Redirect(w, r, target, code)
	}
}

func post(t *testing.T, c *Client, u string) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader("the image"))
	req.Header.Set("X-API-Key", "SECRET")
	return c.Do(req)
}

// A redirect to another host is not followed, whatever the status, and
// the other host receives nothing (the secret headers and the body stay).
func TestRedirectToAnotherHostReachesNothing(t *testing.T) {
	other := serve(t, "127.0.0.2", ok)
	for _, code := range []int{301, 302, 303, 307, 308} {
		up := serve(t, "127.0.0.1", redirectTo(other.URL+"/steal", code))
		c := Rules{Origin: up.URL, Redirects: SameOrigin}.Client()
		resp, err := post(t, c, up.URL+"/upload")
		if err == nil {
			resp.Body.Close()
			t.Fatalf("%d: the redirect to another host was followed", code)
		}
		var refused *RefusedError
		if !errors.As(err, &refused) || !errors.Is(err, ErrRedirect) || refused.Host != "127.0.0.2" {
			t.Errorf("%d: %v", code, err)
		}
		if strings.Contains(err.Error(), "/steal") {
			t.Errorf("%d: the error names the redirect's path: %v", code, err)
		}
	}
	// The same with no origin given (a link fetched for upload): bound to
	// the link's own.
	up := serve(t, "127.0.0.1", redirectTo(other.URL+"/x", 302))
	if _, err := (Rules{Redirects: SameOrigin}).Client().Get(context.Background(), up.URL+"/a.png"); !errors.Is(err, ErrRedirect) {
		t.Errorf("a link's redirect to another host: %v", err)
	}
	if n := other.Hits(); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
}

// Within the origin, redirects are followed (307 keeps the POST).
func TestRedirectWithinTheOriginIsFollowed(t *testing.T) {
	var up *loopback.Host
	up = serve(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) { redirectTo(up.URL+"/final", 307)(w, r) })
	resp, err := post(t, Rules{Origin: up.URL, Redirects: SameOrigin}.Client(), up.URL+"/upload")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "ok POST" || resp.Request.URL.Path != "/final" {
		t.Errorf("answer %q from %s", body, resp.Request.URL)
	}
}

// NoRedirects hands the 3xx to the caller, with its Location.
func TestNoRedirectsReturnsTheAnswer(t *testing.T) {
	other := serve(t, "127.0.0.2", ok)
	up := serve(t, "127.0.0.1", redirectTo(other.URL+"/img/1.png", 302))
	resp, err := post(t, Rules{Origin: up.URL}.Client(), up.URL+"/upload")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 302 || resp.Header.Get("Location") != other.URL+"/img/1.png" || other.Hits() != 0 {
		t.Errorf("%d %q, other host hit %d times", resp.StatusCode, resp.Header.Get("Location"), other.Hits())
	}
}

// A request to another origin than the client's is refused before it
// leaves: another address, another port, another scheme.
func TestOtherOriginRefused(t *testing.T) {
	other := serve(t, "127.0.0.2", ok)
	up := serve(t, "127.0.0.1", ok)
	c := Rules{Origin: up.URL, Redirects: SameOrigin}.Client()
	port := up.Listener.Addr().(*net.TCPAddr).Port
	for _, u := range []string{other.URL + "/", "http://127.0.0.1:" + strconv.Itoa(port+1) + "/", "https://127.0.0.1:" + strconv.Itoa(port) + "/"} {
		if _, err := post(t, c, u); !errors.Is(err, ErrOtherOrigin) {
			t.Errorf("%s: %v", u, err)
		}
	}
	if other.Hits() != 0 {
		t.Error("the other host was reached")
	}
}

// Plain http leaves only for this machine, or for the one host a person
// allowed; https→http is never followed; user info is refused.
func TestSchemes(t *testing.T) {
	for _, c := range []struct {
		rules Rules
		url   string
		want  error
	}{
		{Rules{}, "http://192.0.2.7/up", ErrScheme},
		{Rules{}, "ftp://example.com/up", ErrScheme},
		{Rules{}, "http://127.0.0.2:9/up", nil},
		{Rules{}, "http://localhost:9/up", nil},
		{Rules{}, "http://[::1]:9/up", nil},
		{Rules{}, "https://example.com/up", nil},
		{Rules{Origin: "http://192.0.2.7", AllowHTTP: true}, "http://192.0.2.7/up", nil},
		{Rules{Origin: "http://192.0.2.7", AllowHTTP: true}, "http://192.0.2.8/up", ErrScheme},
		{Rules{AllowHTTP: true}, "http://192.0.2.8/up", ErrScheme}, // allowed for an origin, not any host
		{Rules{}, "https://user:pw@example.com/up", ErrUserInfo},
		{Rules{}, "https://:pw@example.com/up", ErrUserInfo},
	} {
		u, _ := url.Parse(c.url)
		err := c.rules.allow(&http.Request{URL: u}, nil)
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%+v %s: %v, want %v", c.rules, c.url, err, c.want)
		}
	}
	// https → http on the same host and port is another origin.
	var handler http.HandlerFunc
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler(w, r) }))
	defer tls.Close()
	handler = redirectTo("http://"+tls.Listener.Addr().String()+"/final", 302)
	rules := Rules{Origin: tls.URL, Redirects: SameOrigin, Transport: tls.Client().Transport}
	if _, err := rules.Client().Get(context.Background(), tls.URL+"/a"); !errors.Is(err, ErrRedirect) {
		t.Errorf("https → http: %v", err)
	}
}

// Origin is what a browser would call one.
func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://Image.CX/api/1/upload": "https://image.cx",
		"https://image.cx:443/x":        "https://image.cx",
		"http://127.0.0.1:8080/x":       "http://127.0.0.1:8080",
		"HTTP://localhost:80":           "http://localhost",
		"https://[::1]:8443/":           "https://[::1]:8443",
		"https://[::1]/":                "https://[::1]",
	} {
		u, _ := url.Parse(in)
		if got := Origin(u); got != want {
			t.Errorf("Origin(%s) = %s, want %s", in, got, want)
		}
	}
}

// The body is read up to the bound, and no further.
func TestBodyBounded(t *testing.T) {
	const max = 1000
	for _, c := range []struct {
		n    int
		fail bool
	}{{max, false}, {max + 1, true}, {50 * max, true}} {
		up := serve(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, c.n)) })
		resp, err := Rules{Origin: up.URL, MaxBody: max}.Client().Get(context.Background(), up.URL)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if c.fail != errors.Is(err, ErrBodyTooLarge) || len(data) > max {
			t.Errorf("%d bytes: read %d, %v", c.n, len(data), err)
		}
	}
}

// One deadline covers the whole exchange: a host that answers its
// headers at once and then trickles the body is cut off.
func TestOneDeadline(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	up := serve(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				w.Write([]byte("x"))
				w.(http.Flusher).Flush()
			}
		}
	})
	resp, err := Rules{Origin: up.URL, Timeout: 300 * time.Millisecond}.Client().Get(context.Background(), up.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("a trickled body: %v", err)
	}
}
