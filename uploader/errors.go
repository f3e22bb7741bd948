package uploader

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"imagecx/i18n"
)

// Kinds of failure. Every error the client returns is an *Error whose Kind
// is one of these, so callers branch with errors.Is(err, uploader.ErrBadKey).
// Their texts are catalog keys: Explain says them in the person's
// language.
var (
	ErrNoKey       = errors.New(i18n.Mark("no API key is set"))
	ErrBadKey      = errors.New(i18n.Mark("image.cx rejected the API key"))
	ErrDenied      = errors.New(i18n.Mark("uploads are not allowed for this key or site"))
	ErrRateLimited = errors.New(i18n.Mark("too many uploads: rate limited"))
	ErrTooLarge    = errors.New(i18n.Mark("the file is too large"))
	ErrUnsupported = errors.New(i18n.Mark("the file type is not accepted"))
	ErrDuplicate   = errors.New(i18n.Mark("duplicate upload"))
	ErrServer      = errors.New(i18n.Mark("the server failed"))
	ErrNetwork     = errors.New(i18n.Mark("could not reach the server"))
	ErrBadResponse = errors.New(i18n.Mark("the server's answer was not understood"))
	ErrRejected    = errors.New(i18n.Mark("the server rejected the upload"))
	ErrEndpoint    = errors.New(i18n.Mark("the endpoint is not usable"))
)

// Error is the error type of every failed call.
type Error struct {
	Kind    error  // one of the Err* values above
	Status  int    // HTTP status, 0 when no response arrived
	Code    int    // the API's error.code, 0 when the body had none
	Message string // the server's own words (error.message), sanitised
	// Said is what the client adds (the cause, a hint) as a catalog
	// message; Detail the same in plain English text where it is made so
	// (a cause's own words). Error says Detail, else Said in English;
	// Explain says Said in the person's language, else Detail.
	Said   i18n.Text
	Detail string
	Err    error // the underlying error (network), if any

	// Attempts is how many requests were made before giving up.
	Attempts int
	// Host is the site's host, for network errors.
	Host string
	// RetryAfter is how long the site asks to wait before the next upload
	// (a Retry-After header, or the period flood protection names); 0
	// when it did not say.
	RetryAfter time.Duration
	// Unanswered says the request went out in full and no complete answer
	// came back (a timeout, a cut connection): the server may have stored
	// the upload, so it is not sent again on its own, which could make a
	// duplicate.
	Unanswered bool

	why i18n.Text // a network error in words, for Explain
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.Message != "" {
		fmt.Fprintf(&b, " (%s)", e.Message)
	}
	if d := e.detail(); d != "" {
		b.WriteString(": ")
		b.WriteString(d)
	}
	if e.Unanswered {
		b.WriteString(" (after the whole upload was sent: not sent again, it may have arrived)")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " [after %d attempts]", e.Attempts)
	}
	return b.String()
}

// detail is what the client adds, in English (for the log).
func (e *Error) detail() string {
	if e.Detail == "" && !e.Said.IsZero() {
		return e.Said.String()
	}
	return e.Detail
}

// localDetail is what the client adds, in the person's language.
func (e *Error) localDetail() string {
	if !e.Said.IsZero() {
		return e.Said.Local()
	}
	return e.Detail
}

// Is makes errors.Is(err, ErrBadKey) and friends work.
func (e *Error) Is(target error) bool { return target == e.Kind }

func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether trying again later may succeed: network
// trouble (unless the upload was cancelled), 5xx, 429, flood protection,
// storage errors. It follows from the Kind, except that an upload that may
// have arrived (Unanswered) is never worth sending again on its own.
func (e *Error) Temporary() bool {
	switch {
	case e.Unanswered:
		return false
	case errors.Is(e.Kind, ErrServer), errors.Is(e.Kind, ErrRateLimited):
		return true
	case errors.Is(e.Kind, ErrNetwork):
		return !errors.Is(e.Err, context.Canceled)
	}
	return false
}

// IsTemporary reports whether err is an *Error that is worth retrying.
func IsTemporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temporary()
}

// RetryAfter is how long the site asked to wait, when err says (see
// Error.RetryAfter).
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// API error codes, from Chevereto's API v1 (see docs/imagecx-api.md).
const (
	codeKey         = 100
	codeDuplicate1  = 101
	codeDuplicate2  = 102
	codeDuplicate3  = 103
	codeStorage     = 104
	codeEmptySource = 130 // also "Flooding detected"
	codeInvalid     = 400 // also "File too big"
	codeDenied      = 401
	codeMimetype    = 612
	codeUnavailable = 613
	codeDisabled    = 614
	codeNoStorage   = 900
)

// classifyAPI maps a JSON error answer to an *Error. Messages change between
// Chevereto versions, so the code decides, and the message only where one
// code covers two cases.
func classifyAPI(status, code int, msg string) *Error {
	e := &Error{Status: status, Code: code, Message: msg}
	lower := strings.ToLower(msg)
	switch {
	case code == codeKey:
		e.Kind = ErrBadKey
		if strings.Contains(lower, "no key") {
			e.Kind = ErrNoKey
		}
		e.Said = i18n.Say("check the key in Settings or run `imagecx key set`")
	case code == codeDenied:
		e.Kind = ErrDenied
	case code == codeEmptySource && strings.Contains(lower, "flood"):
		e.Kind = ErrRateLimited
		e.RetryAfter = floodPeriod(lower)
	case code == codeEmptySource:
		e.Kind = ErrRejected
		e.Said = i18n.Say("the upload arrived empty (a proxy may have cut it)")
	case code == codeInvalid && (strings.Contains(lower, "big") || strings.Contains(lower, "large")):
		e.Kind = ErrTooLarge
	case code == codeInvalid || code == codeMimetype || code == codeUnavailable || code == codeDisabled:
		e.Kind = ErrUnsupported
	case code == codeDuplicate1 || code == codeDuplicate2 || code == codeDuplicate3:
		e.Kind = ErrDuplicate
	case code == codeStorage || code == codeNoStorage:
		e.Kind = ErrServer
		e.Said = i18n.Say("a storage problem on the server; try again later")
	case status == 429:
		e.Kind = ErrRateLimited
	case status >= 500:
		e.Kind = ErrServer
	default:
		e.Kind = ErrRejected
	}
	return e
}

// classifyHTTP maps an answer that is not the API's JSON (an nginx or CDN
// error page, a captive portal) to an *Error.
func classifyHTTP(status int, statusText, contentType string) *Error {
	e := &Error{Status: status}
	what := "HTTP " + statusText
	if contentType != "" {
		what += ", " + shortType(contentType)
	}
	switch {
	case status == 429:
		e.Kind = ErrRateLimited
		e.Said = i18n.Say("{{.what}}; try again later", "what", what)
	case status == 413:
		e.Kind = ErrTooLarge
		e.Said = i18n.Say("{{.what}} from a proxy in front of the server", "what", what)
	case status >= 500:
		e.Kind = ErrServer
		e.Said = i18n.Say("{{.what}} instead of an API answer; try again later", "what", what)
	case status == 401 || status == 403:
		e.Kind = ErrDenied
		e.Detail = what
	case status == 404 || status == 405:
		e.Kind = ErrEndpoint
		e.Said = i18n.Say("{{.what}}: no image.cx upload API at this endpoint", "what", what)
	default:
		e.Kind = ErrBadResponse
		e.Said = i18n.Say("{{.what}} instead of the API's JSON", "what", what)
	}
	return e
}

func shortType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.TrimSpace(ct)
}

// floodPeriod reads the period from Chevereto's flood message ("You can
// only upload 10 images per minute"): the wait before the next upload
// can work.
func floodPeriod(msg string) time.Duration {
	for _, p := range []struct {
		word string
		d    time.Duration
	}{{"per second", time.Second}, {"per minute", time.Minute}, {"per hour", time.Hour}, {"per day", 24 * time.Hour}, {"per week", 7 * 24 * time.Hour}, {"per month", 30 * 24 * time.Hour}} {
		if strings.Contains(msg, p.word) {
			return p.d
		}
	}
	return time.Minute
}

// sanitize makes a server-supplied message safe to show: one line, bounded,
// and never containing the key (a hostile or buggy server could echo it,
// also with its characters changed the way this function changes them).
func sanitize(s, key string) string {
	s = redact(s, key)
	s = oneLine(s)
	s = redact(s, oneLine(key))
	s = strings.TrimSpace(s)
	const max = 200
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}

// oneLine replaces control characters (line breaks, NUL, escape) with
// spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// redact hides every occurrence of key in s. The replacement could make a
// new occurrence together with its neighbours (a key that overlaps
// "[redacted]", or is part of it), so it repeats; a text that still holds
// the key after that is dropped whole.
func redact(s, key string) string {
	if len(key) < 4 {
		return s
	}
	for range 3 {
		if !strings.Contains(s, key) {
			return s
		}
		s = strings.ReplaceAll(s, key, "[redacted]")
	}
	if strings.Contains(s, key) {
		return ""
	}
	return s
}

// Redacted is e with the secrets' values taken out of everything it says
// (the host's words, the detail, the cause), wherever an upload put them
// and however it encoded them there; what kind of failure it is stays.
func (e *Error) Redacted(secrets []string) *Error {
	if len(secrets) == 0 {
		return e
	}
	c := *e
	c.Message = Scrub(c.Message, secrets)
	c.Detail = Scrub(c.Detail, secrets)
	c.Said = c.Said.Map(func(s string) string { return Scrub(s, secrets) })
	c.why = c.why.Map(func(s string) string { return Scrub(s, secrets) })
	if c.Err != nil {
		c.Err = redactedError{c.Err, secrets}
	}
	return &c
}

// Redact is err without the secrets: an *Error redacted (its kind kept),
// any other error as its scrubbed text.
func Redact(err error, secrets []string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Redacted(secrets)
	}
	return errors.New(Scrub(err.Error(), secrets))
}

// Scrub replaces each secret in s, as written and in the forms a request
// carries it (URL-encoded, base64, JSON-escaped; a "Bearer …" value's
// token alone), with "[redacted]". Values shorter than 4 characters are
// not secrets anyone could find in a text.
func Scrub(s string, secrets []string) string {
	var forms []string
	for _, v := range secrets {
		forms = append(forms, secretForms(v)...)
	}
	// The longest first, so a shorter form inside a longer one does not
	// leave the rest of it behind.
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	for _, f := range forms {
		s = strings.ReplaceAll(s, f, "[redacted]")
	}
	return s
}

func secretForms(v string) []string {
	var out []string
	add := func(f string) {
		if len(f) >= 4 && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, x := range []string{v, strings.TrimSpace(v)} {
		add(x)
		add(url.QueryEscape(x))
		add(url.PathEscape(x))
		add(base64.StdEncoding.EncodeToString([]byte(x)))
		add(base64.RawURLEncoding.EncodeToString([]byte(x)))
		if j, err := json.Marshal(x); err == nil {
			add(string(j[1 : len(j)-1]))
		}
		// "Bearer abc…", "Basic …", "token abc…": the credential alone.
		if _, cred, ok := strings.Cut(x, " "); ok && len(cred) >= 8 {
			add(cred)
		}
	}
	return out
}
