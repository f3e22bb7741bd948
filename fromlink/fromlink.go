// Package fromlink fetches an image (or a video) from a link so that it
// can be uploaded: image.cx refuses links as sources for keys that are
// not an administrator's, so the bytes are fetched here and sent as a
// file, as ShareX does. The link goes through egress's rules: https (http
// only to this machine), at most 5 redirects and never from https to
// http, one deadline, a size cap; what comes back must be a type the host
// takes, not a web page.
package fromlink

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"imagecx/egress"
	"imagecx/explain"
	"imagecx/filetype"
	"imagecx/i18n"
	"imagecx/uploader"
)

// Is reports whether arg is a link to fetch rather than a file's name.
func Is(arg string) bool {
	l := strings.ToLower(arg)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// Fetched is what a link gave.
type Fetched struct {
	Name  string // a file name: the link's own, else its host's, with the type's extension
	Title string // the file's name without its extension, else the host
	Data  []byte
	MIME  string
}

// Timeout bounds one fetch, the body included.
const Timeout = time.Minute

// ErrNotAnImage is a link that answered with something else than an image
// or a video the host takes (a web page, mostly).
var ErrNotAnImage error = i18n.Errorf("the link gives a web page or another file, not an image or a video")

// Fetch gets link's bytes, at most max (more is uploader.TooLarge).
// transport, when not nil, sends the requests (tests).
func Fetch(ctx context.Context, link string, max int64, transport http.RoundTripper) (Fetched, error) {
	u, err := url.Parse(link)
	if err != nil {
		return Fetched{}, i18n.Errorf("{{.link}} is not a link", "link", link)
	}
	if err := egress.Check(u, false); err != nil {
		return Fetched{}, err
	}
	c := egress.Rules{Redirects: egress.AnyOrigin, Timeout: Timeout, MaxBody: max + 1, Transport: transport}.Client()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Fetched{}, err
	}
	req.Header.Set("Accept", "image/*,video/*;q=0.9,*/*;q=0.1")
	resp, err := c.Do(req)
	if err != nil {
		return Fetched{}, fetchError(u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Fetched{}, i18n.Errorf("{{.host}} answered {{.status}} for the link", "host", u.Hostname(), "status", resp.Status)
	}
	if resp.ContentLength > max {
		return Fetched{}, uploader.TooLarge(resp.ContentLength, max)
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if strings.HasPrefix(ct, "text/") {
		return Fetched{}, ErrNotAnImage // read nothing of a page
	}
	data, err := io.ReadAll(resp.Body)
	if errors.Is(err, egress.ErrBodyTooLarge) { // it did not say its size
		return Fetched{}, &uploader.Error{Kind: uploader.ErrTooLarge, Said: i18n.Say("more than {{.limit}}", "limit", explain.Size(max))}
	}
	if err != nil {
		return Fetched{}, fetchError(u, err)
	}
	kind := filetype.Sniff(data)
	if kind == "" {
		return Fetched{}, ErrNotAnImage
	}
	name, title := names(resp.Request.URL, resp.Header.Get("Content-Disposition"), kind)
	return Fetched{Name: name, Title: title, Data: data, MIME: kind}, nil
}

// fetchError names the link's host, never the rest of it (a link may
// carry a token; egress's errors name only the host too).
func fetchError(u *url.URL, err error) error {
	var refused *egress.RefusedError
	if errors.As(err, &refused) {
		return refused
	}
	return i18n.Errorf("{{.host}} could not be read: {{.why}}", "host", u.Hostname(), "why", err)
}

// names picks the file name and title: the server's (Content-Disposition),
// else the last part of the link's path when it looks like a file, else
// the host; the extension is always the content's.
func names(u *url.URL, disposition, kind string) (name, title string) {
	base := ""
	if _, params, err := mime.ParseMediaType(disposition); err == nil {
		base = path.Base(params["filename"])
	}
	if base == "" || base == "." || base == "/" {
		base = path.Base(u.Path)
	}
	stem := strings.TrimSuffix(base, path.Ext(base))
	if stem == "" || stem == "." || stem == "/" || len(stem) > 100 {
		stem = u.Hostname()
	}
	return stem + filetype.Ext(kind), stem
}
