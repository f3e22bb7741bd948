package sxcu

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2/v2"

	"imagecx/egress"
	"imagecx/i18n"
	"imagecx/uploader"
)

// Input is what one upload sends.
type Input struct {
	FileName string
	MIME     string
	Data     []byte
	// Text is {input}: the text or link of a text uploader or shortener.
	Text string
}

// Request is the HTTP request the uploader describes for in. ask answers
// {prompt} and {select}; nil fails them (ErrNobodyToAsk).
func (u *Uploader) Request(ctx context.Context, in Input, ask Asker) (*http.Request, error) {
	e := &env{fileName: in.FileName, input: in.Text, ask: ask, rand: newRand(), now: time.Now(), budget: newBudget(time.Now())}
	e.urlEncode = true
	raw, err := u.URL.eval(e)
	if err != nil {
		return nil, i18n.Errorf("{{.field}}: {{.why}}", "field", "RequestURL", "why", err)
	}
	e.urlEncode = false
	target, err := url.Parse(raw)
	if err != nil {
		return nil, i18n.Errorf("RequestURL does not make an address")
	}
	// The host is the one shown at import, whatever the templates gave.
	if target.User != nil || u.origin == nil || egress.Origin(target) != egress.Origin(u.origin) {
		return nil, i18n.Errorf("RequestURL makes an address on another host than {{.host}}", "host", u.Origin())
	}
	if len(u.Params) > 0 {
		q := target.Query()
		for _, p := range u.Params {
			v, err := p.Value.eval(e)
			if err != nil {
				return nil, i18n.Errorf("{{.field}}: {{.why}}", "field", "Parameters."+p.Name, "why", err)
			}
			q.Set(p.Name, v)
		}
		target.RawQuery = encodeOrdered(q, u.Params)
	}
	var body io.Reader
	ctype := ""
	switch u.Body {
	case Multipart:
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for _, a := range u.Args {
			v, err := a.Value.eval(e)
			if err != nil {
				return nil, i18n.Errorf("{{.field}}: {{.why}}", "field", "Arguments."+a.Name, "why", err)
			}
			if err := w.WriteField(a.Name, v); err != nil {
				return nil, err
			}
		}
		if u.FileFormName != "" && in.Data != nil {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, u.FileFormName, in.FileName))
			h.Set("Content-Type", in.MIME)
			part, err := w.CreatePart(h)
			if err != nil {
				return nil, err
			}
			part.Write(in.Data)
		}
		w.Close()
		body, ctype = &b, w.FormDataContentType()
	case FormURLEncoded:
		form := url.Values{}
		for _, a := range u.Args {
			v, err := a.Value.eval(e)
			if err != nil {
				return nil, i18n.Errorf("{{.field}}: {{.why}}", "field", "Arguments."+a.Name, "why", err)
			}
			form.Set(a.Name, v)
		}
		body, ctype = strings.NewReader(encodeOrdered(form, u.Args)), "application/x-www-form-urlencoded"
	case JSON, XML:
		body, ctype = strings.NewReader(u.data(in, e)), map[Body]string{JSON: "application/json", XML: "application/xml"}[u.Body]
	case Binary:
		body, ctype = bytes.NewReader(in.Data), in.MIME
	}
	req, err := http.NewRequestWithContext(ctx, u.Method, target.String(), body)
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for _, h := range u.Headers {
		v, err := h.Value.eval(e)
		if err != nil {
			return nil, i18n.Errorf("{{.field}}: {{.why}}", "field", "Headers."+h.Name, "why", err)
		}
		req.Header.Set(h.Name, v)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "imagecx")
	}
	return req, nil
}

// encodeOrdered encodes v in the order the file gave the names.
func encodeOrdered(v url.Values, order []Pair) string {
	var parts []string
	seen := map[string]bool{}
	for _, p := range order {
		seen[p.Name] = true
	}
	for k, vs := range v { // what the URL itself carried, first
		if !seen[k] {
			for _, x := range vs {
				parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(x))
			}
		}
	}
	for _, p := range order {
		parts = append(parts, url.QueryEscape(p.Name)+"="+url.QueryEscape(v.Get(p.Name)))
	}
	return strings.Join(parts, "&")
}

// data is the JSON or XML body: {input} and {filename} replaced (any
// case), encoded for the body's type; nothing else in it is a template.
func (u *Uploader) data(in Input, e *env) string {
	enc := func(s string) string {
		if u.Body == JSON {
			b, _ := json.Marshal(s)
			return string(b[1 : len(b)-1])
		}
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	out := expandNames(u.Data, e.now, e.rand)
	for _, r := range [][2]string{{"{input}", in.Text}, {"{filename}", in.FileName}, {"$input$", in.Text}, {"$filename$", in.FileName}} {
		out = replaceFold(out, r[0], enc(r[1]))
	}
	return out
}

func replaceFold(s, old, repl string) string {
	var b strings.Builder
	lower, lo := strings.ToLower(s), strings.ToLower(old)
	for {
		i := strings.Index(lower, lo)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(old):]
	}
}

// answer is what the server answered, for the response-side templates.
type answer struct {
	status  int
	text    string
	url     string // the final URL, after redirects
	header  http.Header
	regexes []*regexp2.Regexp

	// The text read as JSON or XML, once however many calls read it.
	jsonOnce, xmlOnce sync.Once
	jsonDoc           any
	jsonErr           error
	xmlDoc            *xDoc
	xmlErr            error
}

func (a *answer) json() (any, error) {
	a.jsonOnce.Do(func() { a.jsonDoc, a.jsonErr = decodeJSON(a.text) })
	return a.jsonDoc, a.jsonErr
}

func (a *answer) xml() (*xDoc, error) {
	a.xmlOnce.Do(func() { a.xmlDoc, a.xmlErr = decodeXML(a.text) })
	return a.xmlDoc, a.xmlErr
}

// MaxAnswer bounds the answer read.
const MaxAnswer = 4 << 20

// Result reads the links from the server's answer to req (after the
// redirects the client followed), or says why there are none.
func (u *Uploader) Result(resp *http.Response, fileName string) (uploader.Result, error) {
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	host := u.Host()
	if errors.Is(err, egress.ErrBodyTooLarge) || len(data) > MaxAnswer {
		return uploader.Result{}, &uploader.Error{Kind: uploader.ErrBadResponse, Host: host, Status: resp.StatusCode, Said: i18n.Say("the answer is over {{.n}} MB", "n", MaxAnswer>>20)}
	}
	if err != nil {
		return uploader.Result{}, &uploader.Error{Kind: uploader.ErrNetwork, Host: host, Err: err, Said: i18n.Say("the answer was cut off"), Unanswered: true}
	}
	a := &answer{status: resp.StatusCode, text: string(data), url: resp.Request.URL.String(), header: resp.Header}
	for _, r := range u.regexes {
		re, err := compileRegex(r)
		if err != nil {
			return uploader.Result{}, err
		}
		a.regexes = append(a.regexes, re)
	}
	e := &env{fileName: fileName, resp: a, urlEncode: true, rand: newRand(), budget: newBudget(time.Now())}
	// With ResponseType LocationHeader the link is where the host
	// redirects (the client did not follow it).
	located := strings.EqualFold(u.responseType, "locationheader") && resp.StatusCode >= 300 && resp.StatusCode <= 399 && resp.Header.Get("Location") != ""
	if (resp.StatusCode < 200 || resp.StatusCode > 299) && !located {
		return uploader.Result{}, u.failure(resp, a, e)
	}
	link := strings.TrimSpace(a.text)
	if !u.ResultURL.Empty() {
		if link, err = u.ResultURL.eval(e); err != nil {
			return uploader.Result{}, badAnswer(host, resp.StatusCode, "URL", err)
		}
	} else {
		switch strings.ToLower(u.responseType) {
		case "redirectionurl":
			link = a.url
		case "locationheader":
			link = resp.Header.Get("Location")
			if l, err := resp.Request.URL.Parse(link); err == nil {
				link = l.String() // a relative Location is on the host's own
			}
		}
	}
	link = strings.TrimSpace(link)
	if err := checkLink(link); err != nil {
		return uploader.Result{}, badAnswer(host, resp.StatusCode, "URL", i18n.Errorf("{{.why}} (from {{.template}})", "why", err, "template", strconv.Quote(u.ResultURL.String())))
	}
	out := uploader.Result{URL: link, Filename: fileName}
	if out.ThumbURL, err = u.ThumbURL.eval(e); err != nil {
		return uploader.Result{}, badAnswer(host, resp.StatusCode, "ThumbnailURL", err)
	}
	if out.DeleteURL, err = u.DeleteURL.eval(e); err != nil {
		return uploader.Result{}, badAnswer(host, resp.StatusCode, "DeletionURL", err)
	}
	for _, l := range []*string{&out.ThumbURL, &out.DeleteURL} {
		if *l = strings.TrimSpace(*l); *l != "" && checkLink(*l) != nil {
			*l = "" // a thumbnail or delete link that is not one is left out, not handed on
		}
	}
	return out, nil
}

// checkLink accepts an http(s) link of reasonable length with a host.
func checkLink(s string) error {
	if s == "" {
		return i18n.Errorf("the answer held no link")
	}
	if len(s) > 2048 || strings.ContainsAny(s, " \n\r\t") {
		return i18n.Errorf("the answer's link {{.link}} is not a link", "link", strconv.Quote(clip(s, 80)))
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return i18n.Errorf("the answer's link {{.link}} is not an http(s) link", "link", strconv.Quote(clip(s, 80)))
	}
	return nil
}

func badAnswer(host string, status int, field string, err error) error {
	return &uploader.Error{Kind: uploader.ErrBadResponse, Host: host, Status: status, Detail: field + ": " + err.Error(), Err: err}
}

// failure is the error for an answer that is not a success: the
// uploader's ErrorMessage when it reads one, else the status.
func (u *Uploader) failure(resp *http.Response, a *answer, e *env) error {
	host := u.Host()
	err := &uploader.Error{Host: host, Status: resp.StatusCode}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		err.Kind = uploader.ErrRateLimited
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
			err.RetryAfter = time.Duration(s) * time.Second
		}
	case resp.StatusCode >= 500:
		err.Kind = uploader.ErrServer
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		err.Kind = uploader.ErrDenied
	case resp.StatusCode == http.StatusRequestEntityTooLarge:
		err.Kind = uploader.ErrTooLarge
	default:
		err.Kind = uploader.ErrRejected
	}
	if !u.ErrMsg.Empty() {
		if msg, merr := u.ErrMsg.eval(e); merr == nil && strings.TrimSpace(msg) != "" {
			err.Message = clip(strings.TrimSpace(msg), 300)
		}
	}
	if err.Message == "" {
		err.Said = i18n.Say("{{.host}} answered {{.status}}", "host", host, "status", resp.Status)
	}
	return err
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
