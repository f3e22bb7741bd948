package outbox

import (
	"net/url"

	"imagecx/settings"
	"imagecx/uploader"
)

// DeliveryFrom is what an upload to image.cx (or the self-hosted site the
// settings name) takes from cfg, with client (nil when no key is set).
func DeliveryFrom(cfg settings.Config, client Uploader) Delivery {
	link, _ := uploader.ParseLinkFormat(cfg.LinkFormat)
	host := "image.cx"
	if u, err := url.Parse(cfg.Endpoint); err == nil && u.Host != "" {
		host = u.Host
	}
	return Delivery{
		Client:    client,
		Link:      link,
		Options:   uploader.Options{AlbumID: cfg.Upload.AlbumID, Expiration: cfg.Upload.Expiration, NSFW: cfg.Upload.NSFW},
		Title:     cfg.Upload.TitleTemplate,
		Lossless:  cfg.Upload.AlwaysLossless,
		DropLocal: !cfg.Capture.KeepLocal,
		Host:      host,
		PerMinute: ImageCXPerMinute,
	}
}
