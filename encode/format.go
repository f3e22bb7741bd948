package encode

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
)

// Format is how captures are encoded.
type Format struct {
	Kind    string // "png" (default), "jpeg", "webp" (lossless)
	Quality int    // JPEG, 1–100; out of range means 90
}

// Encoded is an image in a file format.
type Encoded struct {
	Data []byte
	MIME string // "image/png"
	Ext  string // ".png"
}

// Image encodes img in format f; PNG with o.
func Image(img image.Image, f Format, o PNGOptions) (Encoded, error) {
	switch f.Kind {
	case "jpeg":
		q := f.Quality
		if q < 1 || q > 100 {
			q = 90
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			return Encoded{}, fmt.Errorf("encode as JPEG: %w", err)
		}
		return Encoded{Data: buf.Bytes(), MIME: "image/jpeg", Ext: ".jpg"}, nil
	case "webp":
		data, err := LosslessWebP(img)
		if err != nil {
			return Encoded{}, fmt.Errorf("encode as WebP: %w", err)
		}
		return Encoded{Data: data, MIME: "image/webp", Ext: ".webp"}, nil
	}
	data, err := PNG(img, o)
	if err != nil {
		return Encoded{}, fmt.Errorf("encode as PNG: %w", err)
	}
	return Encoded{Data: data, MIME: "image/png", Ext: ".png"}, nil
}
