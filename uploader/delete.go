package uploader

import (
	"context"
	"io"
	"net/http"
	"time"

	"imagecx/egress"
	"imagecx/i18n"
)

// Delete takes an upload down by fetching its delete link (a plain GET,
// which is why nothing else ever fetches it). The link must be one the
// client would hand out (https, or http on this machine); the key is not
// sent with it: the link itself is the permission.
func Delete(ctx context.Context, deleteURL string) error {
	if deleteURL == "" {
		return &Error{Kind: ErrRejected, Said: i18n.Say("the site gave no delete link for this upload")}
	}
	if err := checkLink(deleteURL); err != nil {
		return &Error{Kind: ErrBadResponse, Said: i18n.Say("the delete link is unusable: {{.why}}", "why", err.Error())}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, deleteURL, nil)
	if err != nil {
		return &Error{Kind: ErrEndpoint, Err: err}
	}
	req.Header.Set("User-Agent", userAgent)
	// Within the link's own origin only: a redirect elsewhere (or to
	// plain http) is not followed.
	resp, err := egress.Rules{Redirects: egress.SameOrigin, Timeout: time.Minute, MaxBody: maxResponse}.Client().Do(req)
	if r := Refused(err); r != nil {
		return r
	}
	if err != nil {
		return &Error{Kind: ErrNetwork, Err: err, Host: req.URL.Host, why: networkWhy(err, req.URL.Host, time.Minute), Detail: req.URL.Host + ": " + rootCause(err)}
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return &Error{Kind: ErrRejected, Status: 404, Said: i18n.Say("the site does not know this upload (deleted already?)")}
	case resp.StatusCode >= 400:
		return classifyHTTP(resp.StatusCode, resp.Status, resp.Header.Get("Content-Type"))
	}
	return nil
}
