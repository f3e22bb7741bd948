package shot

import (
	"imagecx/capture"
	"imagecx/encode"
	"imagecx/settings"
)

// SetupFrom is what a capture takes from cfg; getenv finds the default
// captures folder.
func SetupFrom(cfg settings.Config, getenv func(string) string) Setup {
	dir := cfg.Capture.SaveDir
	if dir == "" {
		dir = DefaultDir(getenv)
	}
	return Setup{
		Mode:   capture.Mode(cfg.Capture.Monitors),
		Format: encode.Format{Kind: cfg.Capture.Format, Quality: cfg.Capture.Quality},
		Dir:    dir,
	}
}
