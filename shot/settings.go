package shot

import (
	"imagecx/capture"
	"imagecx/encode"
	"imagecx/settings"
	"imagecx/uploader"
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

// DeliveryFrom is what an upload takes from cfg, with client (nil when no
// key is set).
func DeliveryFrom(cfg settings.Config, client Uploader) Delivery {
	link, _ := uploader.ParseLinkFormat(cfg.LinkFormat)
	return Delivery{
		Client:    client,
		Link:      link,
		Options:   uploader.Options{AlbumID: cfg.Upload.AlbumID, Expiration: cfg.Upload.Expiration, NSFW: cfg.Upload.NSFW},
		Title:     cfg.Upload.TitleTemplate,
		Lossless:  cfg.Upload.AlwaysLossless,
		DropLocal: !cfg.Capture.KeepLocal,
	}
}
