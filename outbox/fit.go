package outbox

import (
	"bytes"
	"image"
	"path/filepath"
	"strings"

	_ "golang.org/x/image/bmp" // clipboard images that must be fitted
	_ "golang.org/x/image/webp"

	"imagecx/encode"
	"imagecx/i18n"
	"imagecx/shot"
	"imagecx/uploader"
)

// ForUpload returns the name and bytes to upload — the job as it is when
// it fits the host's limit, else converted by encode.Fit — and what was
// done. An image too large to convert within the tray app's memory
// (MaxFitPixels; a small PNG can hold a huge one) is refused before it is
// decoded.
func ForUpload(job shot.Job, lossless bool) (name string, data []byte, how string, err error) {
	if int64(len(job.Data)) <= uploader.MaxSize {
		return job.Name, job.Data, "", nil
	}
	tooLarge := uploader.TooLarge(int64(len(job.Data)), uploader.MaxSize)
	cfg, _, err := image.DecodeConfig(bytes.NewReader(job.Data))
	if err != nil {
		return "", nil, "", tooLarge
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxFitPixels {
		tooLarge.Said = i18n.Say("{{.size}}; at {{.width}}×{{.height}} pixels it is also too large to convert here (up to {{.mp}} megapixels, such as 7680×4320)",
			"size", tooLarge.Said, "width", cfg.Width, "height", cfg.Height, "mp", MaxFitPixels/1_000_000)
		return "", nil, "", tooLarge
	}
	img, _, err := image.Decode(bytes.NewReader(job.Data))
	if err != nil {
		return "", nil, "", tooLarge
	}
	var png []byte
	if job.MIME == "image/png" {
		png = job.Data
	}
	f, err := encode.Fit(img, png, uploader.MaxSize, lossless)
	if err != nil {
		return "", nil, "", &uploader.Error{Kind: uploader.ErrTooLarge, Detail: err.Error(), Err: err}
	}
	return strings.TrimSuffix(job.Name, filepath.Ext(job.Name)) + f.Ext, f.Data, f.How, nil
}

// MaxFitPixels bounds the images converted to fit the size limit: 8K
// (7680×4320), whose pixels alone are 133 MB.
const MaxFitPixels = shot.MaxImagePixels
