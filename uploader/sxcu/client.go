package sxcu

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"imagecx/uploader"
)

// Client uploads with a custom uploader; it is what the capture pipeline
// and `imagecx upload --to` send through, as they send through image.cx's
// client.
type Client struct {
	U *Uploader
	// HTTP sends the request; nil: a client with a two-minute limit.
	HTTP *http.Client
	// Ask answers {prompt} and {select}; nil where nobody can.
	Ask Asker
}

// MaxSize is the largest file sent: hosts have limits of their own, and
// say so (413) above them.
func (c *Client) MaxSize() int64 { return 200 << 20 }

// ErrNotForImages is an uploader of text or links asked to upload an
// image.
var ErrNotForImages = errors.New("this uploader does not take images")

// Upload sends one file and reads its links from the answer.
func (c *Client) Upload(ctx context.Context, name string, data []byte, _ uploader.Options) (uploader.Result, error) {
	host := c.U.Host()
	if !c.U.TakesImages() {
		return uploader.Result{}, &uploader.Error{Kind: uploader.ErrUnsupported, Host: host, Err: ErrNotForImages,
			Detail: fmt.Sprintf("%s uploads %s, not images", c.U.Name, c.U.Kinds.Describe())}
	}
	req, err := c.U.Request(ctx, Input{FileName: name, MIME: uploader.Sniff(data), Data: data}, c.Ask)
	if err != nil {
		return uploader.Result{}, &uploader.Error{Kind: uploader.ErrEndpoint, Host: host, Err: err, Detail: fmt.Sprintf("the uploader %s cannot make its request: %v", c.U.Name, err)}
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return uploader.Result{}, &uploader.Error{Kind: uploader.ErrNetwork, Host: host, Err: err, Detail: err.Error()}
	}
	defer resp.Body.Close()
	return c.U.Result(resp, name)
}
