package uploader

import (
	"net/http"

	"imagecx/filetype"
)

// contentTypeOf is the part's Content-Type. The server sniffs anyway; this
// only keeps proxies and logs honest.
func contentTypeOf(data []byte) string {
	if t := filetype.Sniff(data); t != "" {
		return t
	}
	return http.DetectContentType(data)
}
