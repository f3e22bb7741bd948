package uploader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"imagecx/egress"
	"imagecx/explain"
	"imagecx/filetype"
	"imagecx/i18n"
	"imagecx/internal/regular"
)

// DefaultEndpoint is image.cx itself.
const DefaultEndpoint = "https://image.cx"

// MaxSize is the host's per-file limit (5 MB).
const MaxSize = 5 << 20

const (
	maxResponse    = 1 << 20 // bytes of an answer that are read at most
	defaultTimeout = 2 * time.Minute
)

// Client uploads to one image.cx (Chevereto API v1) endpoint with one key.
// It is safe for concurrent use.
type Client struct {
	http     *egress.Client
	base     http.RoundTripper // what sends the requests: nil, the system's
	endpoint *url.URL
	key      string
	timeout  time.Duration
	retry    Retry
	maxSize  int64
}

// Option configures a Client.
type Option func(*Client) error

// WithEndpoint sets the site, e.g. "https://image.cx" or a self-hosted
// Chevereto. Plain http is refused except on loopback.
func WithEndpoint(endpoint string) Option {
	return func(c *Client) error {
		u, err := ParseEndpoint(endpoint)
		if err != nil {
			return err
		}
		c.endpoint = u
		return nil
	}
}

// WithTimeout bounds each request (not the retries together; see Retry).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("timeout must be positive, got %v", d)
		}
		c.timeout = d
		return nil
	}
}

// WithRetry replaces the retry policy; Retry{} disables retries.
func WithRetry(r Retry) Option {
	return func(c *Client) error { c.retry = r; return nil }
}

// WithMaxSize changes the per-file limit checked before sending.
func WithMaxSize(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("max size must be positive, got %d", n)
		}
		c.maxSize = n
		return nil
	}
}

// WithTransport sets the underlying RoundTripper (tests, proxies).
func WithTransport(rt http.RoundTripper) Option {
	return func(c *Client) error { c.base = rt; return nil }
}

// New returns a client for key. An empty key is allowed: calls then fail
// with ErrNoKey before anything is sent.
func New(key string, opts ...Option) (*Client, error) {
	c := &Client{key: key, timeout: defaultTimeout, retry: DefaultRetry, maxSize: MaxSize}
	u, _ := url.Parse(DefaultEndpoint)
	c.endpoint = u
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	base := c.base
	if base == nil {
		base = http.DefaultTransport
	}
	c.http = egress.Rules{
		// Only the site, and the key only there: its header is added after
		// the request passed the rules.
		Origin: egress.Origin(c.endpoint),
		// A redirect would turn the POST into a GET ("Empty upload source")
		// and could carry the key header elsewhere: never follow.
		Redirects: egress.NoRedirects,
		Timeout:   c.timeout,
		MaxBody:   maxResponse,
		Transport: &keyTransport{base: base, key: key},
	}.Client()
	return c, nil
}

// Endpoint is the site the client talks to.
func (c *Client) Endpoint() string { return c.endpoint.String() }

// MaxSize is the per-file limit the client checks before sending.
func (c *Client) MaxSize() int64 { return c.maxSize }

// keyTransport adds the key header, so it lives in one place and never in a URL.
type keyTransport struct {
	base http.RoundTripper
	key  string
}

func (t *keyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-API-Key", t.key)
	return t.base.RoundTrip(r)
}

// ParseEndpoint validates a site address: https, or http on loopback only.
func ParseEndpoint(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return nil, &Error{Kind: ErrEndpoint, Said: i18n.Say("{{.address}} is not a web address like https://image.cx", "address", strconv.Quote(s))}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, &Error{Kind: ErrEndpoint, Said: i18n.Say("{{.address}} uses plain http; use https (plain http is only allowed on this machine)", "address", u.Redacted())}
		}
	default:
		return nil, &Error{Kind: ErrEndpoint, Said: i18n.Say("{{.address}} must start with https://", "address", strconv.Quote(s))}
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, &Error{Kind: ErrEndpoint, Said: i18n.Say("the address must not contain a user, query or fragment")}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Options are the optional fields of an upload.
type Options struct {
	Title       string
	Description string
	Tags        []string
	AlbumID     string
	CategoryID  string
	NSFW        bool
	// Expiration is an ISO-8601 duration such as "PT5M" or "P1D" (see
	// ParseExpiration); empty means never.
	Expiration string
	// Progress, if set, is called as the body goes out (bytes sent, total)
	// and again from zero on each retry.
	Progress func(sent, total int64)
	// Answered, if set, is called when the host's answer has come, before
	// it is read (the history notes it: an app that dies reading answers
	// sets the upload aside).
	Answered func()
}

// UploadFile checks and uploads the file at path.
func (c *Client) UploadFile(ctx context.Context, path string, o Options) (Result, error) {
	data, err := ReadFile(path, c.maxSize)
	if err != nil {
		return Result{}, err
	}
	return c.Upload(ctx, filepath.Base(path), data, o)
}

// ReadFile reads a file for upload, refusing it before any network call
// when it is larger than max, not a regular file (a FIFO would block the
// read for ever) or not a type the host accepts.
func ReadFile(path string, max int64) ([]byte, error) {
	data, err := regular.Read(path, max)
	if errors.Is(err, regular.ErrTooLarge) {
		size := max + 1
		if st, err := os.Stat(path); err == nil {
			size = st.Size()
		}
		return nil, TooLarge(size, max)
	}
	if err != nil {
		return nil, err // an *fs.PathError or *regular.NotRegularError: says what and where
	}
	if err := Check(data, max); err != nil {
		return nil, err
	}
	return data, nil
}

// Check reports what the host would refuse, without asking it: an empty
// file, one over max bytes, or bytes that are not an accepted format.
func Check(data []byte, max int64) error {
	if len(data) == 0 {
		return &Error{Kind: ErrUnsupported, Said: i18n.Say("the file is empty")}
	}
	if int64(len(data)) > max {
		return TooLarge(int64(len(data)), max)
	}
	if filetype.Sniff(data) == "" {
		return &Error{Kind: ErrUnsupported, Said: i18n.Say("image.cx takes AVIF, JPEG, PNG, BMP, GIF, WebP, MOV, MP4 and WebM")}
	}
	// A file that only starts like a video is refused by the host after
	// the whole of it was sent; it is refused here, for good.
	var why *i18n.Error
	if errors.As(filetype.Playable(data), &why) {
		return &Error{Kind: ErrUnsupported, Said: why.Text()}
	}
	return nil
}

// TooLarge is the error for n bytes over the limit max; sizes that round
// to the same figure are given in bytes.
func TooLarge(n, max int64) *Error {
	a, b := explain.Size(n), explain.Size(max)
	if a == b {
		a, b = explain.Bytes(n), explain.Bytes(max)
	}
	return &Error{Kind: ErrTooLarge, Said: i18n.Say("{{.size}}, the limit is {{.limit}}", "size", a, "limit", b)}
}

// Upload sends data as a file named name.
func (c *Client) Upload(ctx context.Context, name string, data []byte, o Options) (Result, error) {
	if c.key == "" {
		return Result{}, &Error{Kind: ErrNoKey, Said: NoKeyHint}
	}
	if err := Check(data, c.maxSize); err != nil {
		return Result{}, err
	}
	body, ctype, err := encodeForm(name, data, o)
	if err != nil {
		return Result{}, err
	}
	var res apiResponse
	err = c.do(ctx, body, ctype, o.Progress, o.Answered, &res)
	if err != nil {
		return Result{}, err
	}
	if res.Image == nil {
		return Result{}, &Error{Kind: ErrBadResponse, Status: 200, Said: i18n.Say("the answer had no image")}
	}
	r := res.result()
	if r.Link() == "" {
		return Result{}, &Error{Kind: ErrBadResponse, Status: 200, Said: i18n.Say("the answer had no link")}
	}
	if err := checkLinks(&r); err != nil {
		return Result{}, err
	}
	return r, nil
}

// Verify proves the key with one authenticated request that uploads
// nothing: the API checks the key before the file, so a request without a
// file answers "Empty upload source" to a good key and "Invalid API key" to
// a bad one. It returns nil when the key works.
func (c *Client) Verify(ctx context.Context) error {
	if c.key == "" {
		return &Error{Kind: ErrNoKey, Said: NoKeyHint}
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("format", "json")
	_ = w.Close()
	err := c.do(ctx, buf.Bytes(), w.FormDataContentType(), nil, nil, &apiResponse{})
	var e *Error
	if errors.As(err, &e) && e.Code == codeEmptySource && e.Kind == ErrRejected {
		return nil
	}
	if err == nil {
		return &Error{Kind: ErrBadResponse, Status: 200, Said: i18n.Say("the server accepted an empty upload; it does not behave like image.cx")}
	}
	return err
}

func encodeForm(name string, data []byte, o Options) ([]byte, string, error) {
	var buf bytes.Buffer
	buf.Grow(len(data) + 1024)
	w := multipart.NewWriter(&buf)
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="source"; filename=%q`, safeName(name)))
	h.Set("Content-Type", contentTypeOf(data))
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(data); err != nil {
		return nil, "", err
	}
	fields := [][2]string{{"format", "json"}}
	add := func(k, v string) {
		if v != "" {
			fields = append(fields, [2]string{k, v})
		}
	}
	add("title", cut(o.Title, maxTitle))
	add("description", cut(o.Description, maxText))
	add("tags", cut(strings.Join(o.Tags, ","), maxText))
	add("album_id", o.AlbumID)
	add("category_id", o.CategoryID)
	if o.NSFW {
		add("nsfw", "1")
	}
	if o.Expiration != "" {
		if _, err := ParseExpiration(o.Expiration); err != nil {
			return nil, "", err
		}
		add("expiration", o.Expiration)
	}
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// The most of a text field that is sent, in characters: the site keeps
// 100 of a title.
const (
	maxTitle = 100
	maxText  = 5000
)

// cut shortens s to at most n characters, between characters.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// safeName keeps a file name printable and free of quotes and paths.
func safeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == '"' || r == 0x7f {
			return '_'
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		name = "upload"
	}
	return name
}

// do sends one API request, retrying what is worth retrying, and decodes a
// successful answer into out.
func (c *Client) do(ctx context.Context, body []byte, ctype string, progress func(int64, int64), answered func(), out *apiResponse) error {
	u := *c.endpoint
	u.Path += "/api/1/upload"
	start := time.Now()
	for attempt := 1; ; attempt++ {
		err := c.once(ctx, u.String(), body, ctype, progress, answered, out)
		if err == nil {
			return nil
		}
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Kind: ErrNetwork, Err: err}
		}
		e.Attempts = attempt
		if !e.Temporary() || ctx.Err() != nil {
			return e
		}
		wait, ok := c.retry.next(attempt, time.Since(start), e.RetryAfter)
		if !ok {
			return e
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return e
		case <-t.C:
		}
	}
}

func (c *Client) once(ctx context.Context, u string, body []byte, ctype string, progress func(int64, int64), answered func(), out *apiResponse) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	// Whether the request went out in full: after that, a failure may
	// come after the server stored the upload.
	var sent atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(w httptrace.WroteRequestInfo) { sent.Store(w.Err == nil) },
	})
	var r io.Reader = bytes.NewReader(body)
	if progress != nil {
		r = &progressReader{r: r, total: int64(len(body)), fn: progress}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, r)
	if err != nil {
		return &Error{Kind: ErrEndpoint, Err: err}
	}
	req.ContentLength = int64(len(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return c.networkError(err, sent.Load())
	}
	defer resp.Body.Close()
	if answered != nil {
		answered()
	}
	raw, err := io.ReadAll(resp.Body)
	if errors.Is(err, egress.ErrBodyTooLarge) {
		return &Error{Kind: ErrBadResponse, Status: resp.StatusCode, Said: i18n.Say("the answer is over {{.size}}; it is not image.cx's API", "size", explain.Size(maxResponse))}
	}
	if err != nil {
		return c.networkError(err, true)
	}
	var e *Error
	*out = apiResponse{} // nothing from an earlier attempt may survive
	if jerr := json.Unmarshal(raw, out); jerr != nil || (out.StatusCode == 0 && out.Error == nil && out.Image == nil) {
		e = classifyHTTP(resp.StatusCode, resp.Status, resp.Header.Get("Content-Type"))
		if resp.StatusCode == http.StatusOK {
			e.Kind = ErrBadResponse
			e.Said = notTheAPI(raw, jerr, resp.Header.Get("Content-Type"))
		}
	} else if out.Error != nil || resp.StatusCode != http.StatusOK {
		code, msg := 0, ""
		if out.Error != nil {
			code, msg = int(out.Error.Code), sanitize(string(out.Error.Message), c.key)
		}
		e = classifyAPI(resp.StatusCode, code, msg)
	} else {
		return nil
	}
	if d := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); d > 0 {
		e.RetryAfter = d
	}
	return e
}

// notTheAPI says what came back with HTTP 200 instead of the API's JSON.
func notTheAPI(raw []byte, jerr error, contentType string) i18n.Text {
	ct := shortType(contentType)
	switch {
	case len(bytes.TrimSpace(raw)) == 0:
		return i18n.Say("the server sent an empty answer (HTTP 200); check the site address")
	case jerr != nil && strings.Contains(ct, "json"):
		return i18n.Say("the server's answer is not valid JSON (HTTP 200, {{.type}}); check the site address", "type", ct)
	case jerr == nil:
		return i18n.Say("the server answered with JSON that is not image.cx's API (HTTP 200); check the site address")
	case ct == "":
		return i18n.Say("the server answered with something other than the API's JSON (HTTP 200, no content type); check the site address")
	}
	return i18n.Say("the server answered with {{.type}} instead of the API's JSON (HTTP 200); check the site address", "type", ct)
}

// NoKeyHint is what to do when no key is set.
var NoKeyHint = i18n.Say("add one in Settings or with `imagecx key set`")

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(min(s, maxRetryAfter)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfter*time.Second)
	}
	return 0
}

// maxRetryAfter bounds a Retry-After, in seconds (a week).
const maxRetryAfter = 7 * 24 * 3600

// networkError is a request that got no complete answer; sent says the
// request had gone out in full.
func (c *Client) networkError(err error, sent bool) *Error {
	if r := Refused(err); r != nil {
		return r
	}
	e := &Error{Kind: ErrNetwork, Err: redactedError{err, []string{c.key}}, Host: c.endpoint.Host, why: networkWhy(err, c.endpoint.Host, c.timeout), Unanswered: sent}
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		e.Detail = "cancelled"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		e.Said = i18n.Say("no answer from {{.host}} within {{.wait}}", "host", c.endpoint.Host, "wait", explainDuration(c.timeout))
	default:
		e.Detail = fmt.Sprintf("%s: %s", c.endpoint.Host, rootCause(err))
	}
	return e
}

// Refused is the error for a request that imagecx's rules did not let
// out (a redirect elsewhere, plain http to another machine): the host's
// set-up, not a passing failure, so it is not retried. nil when err is
// not one.
func Refused(err error) *Error {
	var r *egress.RefusedError
	if !errors.As(err, &r) {
		return nil
	}
	e := &Error{Kind: ErrEndpoint, Host: r.Host, Err: r, Detail: r.Error()}
	switch {
	case errors.Is(r, egress.ErrRedirect):
		e.Detail, e.Said = "", i18n.Say("it redirected the request to another host ({{.host}}), which imagecx does not follow: nothing was sent there", "host", r.Host)
	case errors.Is(r, egress.ErrScheme):
		e.Detail, e.Said = "", i18n.Say("{{.host}} would be reached over plain http, where anyone on the way could read what is sent", "host", r.Host)
	case errors.Is(r, egress.ErrOtherOrigin):
		e.Detail, e.Said = "", i18n.Say("the request would go to {{.host}}, another host than the one it is for", "host", r.Host)
	case errors.Is(r, egress.ErrUserInfo):
		e.Detail, e.Said = "", i18n.Say("the address holds a user name or password")
	}
	return e
}

// rootCause strips the "Post URL:" wrapping from a failed request.
func rootCause(err error) string {
	var ue *url.Error
	var re *egress.RequestError
	switch {
	case errors.As(err, &re):
		err = re.Err
	case errors.As(err, &ue):
		err = ue.Err
	}
	return err.Error()
}

// redactedError hides secrets from anything that prints the cause. (Its
// Unwrap keeps errors.Is and errors.As working; what a cause below says is
// printed through this one.)
type redactedError struct {
	err  error
	keys []string
}

func (r redactedError) Error() string { return Scrub(r.err.Error(), r.keys) }
func (r redactedError) Unwrap() error { return r.err }

type progressReader struct {
	r     io.Reader
	sent  int64
	total int64
	fn    func(int64, int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.sent += int64(n)
	if n > 0 {
		p.fn(p.sent, p.total)
	}
	return n, err
}

const userAgent = "imagecx (+https://image.cx)"
