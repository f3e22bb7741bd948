// Package egress is the one way imagecx's requests leave the machine:
// image.cx's API, the custom uploaders, delete links, and links fetched to
// be uploaded all go through a client made here, so the rules below are
// kept in one place:
//
//   - https only; plain http only to this machine (loopback), or to the
//     one host a person imported a custom uploader for with --allow-http;
//   - no user name or password in an address;
//   - requests go to the origin (scheme, host and port) they were made
//     for, checked on every request, redirects included: a redirect is
//     followed only within that origin and never from https to http, or
//     not at all (the caller reads the 3xx);
//   - one deadline for the whole exchange, the answer's body included;
//   - the answer's body is read up to a bound, past which reading fails.
package egress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"imagecx/i18n"
)

// Redirects says what a client does with a 3xx answer.
type Redirects int

const (
	// NoRedirects hands the 3xx answer to the caller (which may read its
	// Location).
	NoRedirects Redirects = iota
	// SameOrigin follows redirects within the origin (at most 5), never
	// from https to http; one elsewhere is an error.
	SameOrigin
	// AnyOrigin follows redirects to any address the rules allow (at most
	// 5), never from https to http: for a link fetched to be uploaded,
	// which carries no secret and is often served from elsewhere.
	AnyOrigin
)

// Rules are what a client may do.
type Rules struct {
	// Origin is where every request must go ("https://image.cx"); "" lets
	// each request's own origin be the one (a link fetched for upload),
	// redirects still bound to it.
	Origin string
	// AllowHTTP lets plain http reach Origin's host even when it is not
	// this machine (a custom uploader imported with --allow-http).
	AllowHTTP bool
	// Redirects: NoRedirects or SameOrigin.
	Redirects Redirects
	// Timeout bounds one exchange, from the request to the last byte of
	// the answer read. 0: two minutes.
	Timeout time.Duration
	// MaxBody is the most of an answer's body read; reading more fails
	// with ErrBodyTooLarge. 0: 4 MB.
	MaxBody int64
	// Transport sends the requests (tests); nil: http.DefaultTransport.
	Transport http.RoundTripper
}

// Errors a client returns (wrapped in *url.Error by net/http).
var (
	ErrScheme       error = i18n.Errorf("only https is allowed (plain http only to this machine)")
	ErrUserInfo     error = i18n.Errorf("an address with a user name or password is refused")
	ErrOtherOrigin  error = i18n.Errorf("the request would go to another host than the one it is for")
	ErrRedirect     error = i18n.Errorf("the host redirected elsewhere")
	ErrBodyTooLarge error = i18n.Errorf("the answer is larger than imagecx reads")
)

// RefusedError is a request the rules did not let out; the host it was
// for is named, the rest of the address (which may hold a secret) is not.
type RefusedError struct {
	Host string
	Err  error // one of the Err* above
}

func (e *RefusedError) Error() string { return fmt.Sprintf("%s: %v", e.Host, e.Err) }
func (e *RefusedError) Unwrap() error { return e.Err }

// Client sends requests under its rules. Its errors name the method and
// host, never the rest of the address (a query may hold a secret).
type Client struct {
	hc *http.Client
}

// Do sends req; see http.Client.Do.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req)
	var ue *url.Error
	if errors.As(err, &ue) {
		err = &RequestError{Method: req.Method, Host: req.URL.Host, Err: ue.Err}
	}
	return resp, err
}

// Get fetches u.
func (c *Client) Get(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

// RequestError is a request that failed: its method and host, and why.
type RequestError struct {
	Method, Host string
	Err          error
}

func (e *RequestError) Error() string { return fmt.Sprintf("%s %s: %v", e.Method, e.Host, e.Err) }
func (e *RequestError) Unwrap() error { return e.Err }

// Timeout says whether the request ran out of time.
func (e *RequestError) Timeout() bool {
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// Client is a client that keeps r.
func (r Rules) Client() *Client {
	if r.Timeout <= 0 {
		r.Timeout = 2 * time.Minute
	}
	if r.MaxBody <= 0 {
		r.MaxBody = 4 << 20
	}
	base := r.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &Client{hc: &http.Client{
		Transport:     &transport{rules: r, base: base},
		Timeout:       r.Timeout,
		CheckRedirect: r.checkRedirect,
	}}
}

// Origin is u's scheme://host[:port], in lower case, with the port only
// when it is not the scheme's own.
func Origin(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return strings.ToLower(u.Scheme) + "://" + host
}

// Check says whether u may be requested at all: https, or http to this
// machine (or to any host when allowHTTP), with a host and no user info.
func Check(u *url.URL, allowHTTP bool) error {
	if u.Host == "" || u.Hostname() == "" {
		return &RefusedError{Host: "(no host)", Err: ErrScheme}
	}
	if u.User != nil {
		return &RefusedError{Host: u.Hostname(), Err: ErrUserInfo}
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if allowHTTP || Loopback(u.Hostname()) {
			return nil
		}
	}
	return &RefusedError{Host: u.Hostname(), Err: ErrScheme}
}

// Loopback says whether host is this machine: localhost or a loopback
// address.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// transport checks every request against the rules before it leaves, and
// bounds every answer's body.
type transport struct {
	rules Rules
	base  http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.rules.allow(req, nil); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &bounded{r: resp.Body, left: t.rules.MaxBody}
	return resp, nil
}

// allow checks a request, and for a redirect the request it follows.
func (r Rules) allow(req *http.Request, via *http.Request) error {
	u := req.URL
	origin := r.Origin
	if origin == "" && via != nil {
		origin = Origin(via.URL)
	}
	// Plain http to the uploader's own host only (not to one it redirects
	// to, which Check would let through with AllowHTTP).
	allowHTTP := r.AllowHTTP && origin != "" && Origin(u) == origin
	if err := Check(u, allowHTTP); err != nil {
		return err
	}
	if origin != "" && Origin(u) != origin {
		return &RefusedError{Host: u.Hostname(), Err: ErrOtherOrigin}
	}
	return nil
}

func (r Rules) checkRedirect(req *http.Request, via []*http.Request) error {
	if r.Redirects == NoRedirects {
		return http.ErrUseLastResponse
	}
	if len(via) >= 5 {
		// Wraps ErrRedirect (an argument the message does not show).
		return &RefusedError{Host: req.URL.Hostname(), Err: i18n.Errorf("the host redirected more than 5 times", "kind", ErrRedirect)}
	}
	first := via[0]
	if r.Redirects == AnyOrigin {
		if strings.EqualFold(first.URL.Scheme, "https") && !strings.EqualFold(req.URL.Scheme, "https") {
			return &RefusedError{Host: req.URL.Hostname(), Err: ErrScheme}
		}
		return Check(req.URL, false)
	}
	if Origin(req.URL) != Origin(first.URL) {
		return &RefusedError{Host: req.URL.Hostname(), Err: fmt.Errorf("%w (%s, not %s)", ErrRedirect, req.URL.Hostname(), first.URL.Hostname())}
	}
	return r.allow(req, first)
}

// bounded is an answer's body that fails past its bound.
type bounded struct {
	r    io.ReadCloser
	left int64
}

func (b *bounded) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more than allowed says whether there is more.
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 {
			return 0, ErrBodyTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *bounded) Close() error { return b.r.Close() }
