package sxcu

import (
	"context"
	"imagecx/filetype"
	"imagecx/i18n"
	"net/http"
	"strings"
	"time"

	"imagecx/egress"
	"imagecx/explain"
	"imagecx/uploader"
)

// Client uploads with a custom uploader; it is what the capture pipeline
// and `imagecx upload --to` send through, as they send through image.cx's
// client.
type Client struct {
	U *Uploader
	// Transport sends the requests (tests); nil: the system's.
	Transport http.RoundTripper
	// Ask answers {prompt} and {select}; nil where nobody can.
	Ask Asker
}

// MaxSize is the largest file sent: hosts have limits of their own, and
// say so (413) above them.
func (c *Client) MaxSize() int64 { return 200 << 20 }

// Timeout bounds one upload, from the request to the answer read.
const Timeout = 2 * time.Minute

// ErrNotForImages is an uploader of text or links asked to upload an
// image.
var ErrNotForImages error = i18n.Errorf("this uploader does not take images")

// Upload sends one file and reads its links from the answer. Whatever it
// returns says nothing of the uploader's secrets.
func (c *Client) Upload(ctx context.Context, name string, data []byte, o uploader.Options) (uploader.Result, error) {
	r, err := c.upload(ctx, name, data, o.Answered)
	return r, uploader.Redact(err, c.U.Secrets)
}

func (c *Client) upload(ctx context.Context, name string, data []byte, answered func()) (uploader.Result, error) {
	host := c.U.Host()
	if !c.U.TakesImages() {
		return uploader.Result{}, &uploader.Error{Kind: uploader.ErrUnsupported, Host: host, Err: ErrNotForImages,
			Said: i18n.Say("{{.name}} uploads {{.what}}, not images", "name", c.U.Name, "what", c.U.Kinds.Describe())}
	}
	req, err := c.U.Request(ctx, Input{FileName: name, MIME: filetype.Sniff(data), Data: data}, c.Ask)
	if err != nil {
		return uploader.Result{}, &uploader.Error{Kind: uploader.ErrEndpoint, Host: host, Err: err,
			Said: i18n.Say("the uploader {{.name}} cannot make its request: {{.why}}", "name", c.U.Name, "why", explain.Lower(explain.Error(err)))}
	}
	resp, err := c.U.rules(c.Transport).Client().Do(req)
	if r := uploader.Refused(err); r != nil {
		return uploader.Result{}, r
	}
	if err != nil {
		return uploader.Result{}, &uploader.Error{Kind: uploader.ErrNetwork, Host: host, Err: err, Detail: err.Error()}
	}
	defer resp.Body.Close()
	if answered != nil {
		answered()
	}
	return c.U.Result(resp, name)
}

// rules are the uploader's requests' rules (egress): its own origin only,
// plain http only when that is its origin (imported with --allow-http),
// redirects followed within it; with ResponseType LocationHeader, not
// followed, since the link is the redirect's Location.
func (u *Uploader) rules(t http.RoundTripper) egress.Rules {
	r := egress.Rules{
		Origin:    u.Origin(),
		AllowHTTP: strings.HasPrefix(u.Origin(), "http://"),
		Redirects: egress.SameOrigin,
		Timeout:   Timeout,
		MaxBody:   MaxAnswer,
		Transport: t,
	}
	if strings.EqualFold(u.responseType, "locationheader") {
		r.Redirects = egress.NoRedirects
	}
	return r
}
