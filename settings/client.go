package settings

import (
	"strings"

	"imagecx/uploader"
)

// EnvEndpoint overrides the configured site (scripts, tests, a
// self-hosted Chevereto).
const EnvEndpoint = "IMAGECX_ENDPOINT"

// Endpoint is the site uploads go to: IMAGECX_ENDPOINT when it is set,
// else configured (the config's endpoint, or what the settings window
// holds), else image.cx. getenv may be nil.
func Endpoint(configured string, getenv func(string) string) string {
	if getenv != nil {
		if e := strings.TrimSpace(getenv(EnvEndpoint)); e != "" {
			return e
		}
	}
	if e := strings.TrimSpace(configured); e != "" {
		return e
	}
	return uploader.DefaultEndpoint
}

// Client is how every part of imagecx builds its image.cx client: the
// key, the site (Endpoint) and the configured timeout, then opts.
func (c Config) Client(key string, getenv func(string) string, opts ...uploader.Option) (*uploader.Client, error) {
	base := []uploader.Option{uploader.WithEndpoint(Endpoint(c.Endpoint, getenv)), uploader.WithTimeout(c.Upload.Timeout())}
	return uploader.New(key, append(base, opts...)...)
}
