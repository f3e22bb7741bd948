package encode

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	"github.com/HugoSmits86/nativewebp"

	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/internal/shrink"
)

// Fitted is what goes to the server when the lossless PNG is over the
// host's limit.
type Fitted struct {
	Data []byte
	MIME string
	Ext  string
	// How says what was done, for the notification ("uploaded as JPEG q90
	// to fit 5 MB"); "" when the PNG was sent as it is.
	How string
}

// jpegQualities are tried in order before the image is scaled down.
var jpegQualities = []int{92, 90, 88, 85}

// scales are tried, at the lowest JPEG quality, when no quality fits.
var scales = []float64{0.75, 0.5, 0.35, 0.25}

// ErrNoFit means no encoding of the image fits the limit; Fit's errors
// are *NoFitError, which is ErrNoFit.
var ErrNoFit error = i18n.Errorf("the image does not fit the size limit")

// NoFitError says why nothing fit.
type NoFitError struct{ Why string }

func (e *NoFitError) Error() string        { return e.Why }
func (e *NoFitError) Is(target error) bool { return target == ErrNoFit }

// webPGain is the most lossless WebP is taken to save over our PNG:
// about 7 % on the reference desktop, rarely a quarter on anything. A PNG
// larger than the limit by more is not tried as WebP, whose encoder needs
// 70 bytes a pixel on noise (600 MB at 4K) for nothing.
const webPGain = 4.0 / 3

// Fit makes img fit limit bytes: its PNG as it is (png, if given, else one
// made here); else lossless WebP, when that can fit; then (unless
// losslessOnly) JPEG from quality 92 down to 85; then JPEG q85 scaled
// down. It fails with an error that is ErrNoFit when nothing fits.
func Fit(img image.Image, png []byte, limit int64, losslessOnly bool) (Fitted, error) {
	if png == nil {
		var err error
		if png, err = PNG(img, PNGOptions{Fast: true}); err != nil {
			return Fitted{}, err
		}
	}
	if int64(len(png)) <= limit {
		return Fitted{Data: png, MIME: "image/png", Ext: ".png"}, nil
	}
	limitText := explain.Size(limit)
	if float64(len(png)) <= float64(limit)*webPGain {
		if data, err := LosslessWebP(img); err == nil && int64(len(data)) <= limit {
			return Fitted{Data: data, MIME: "image/webp", Ext: ".webp", How: "uploaded as lossless WebP to fit " + limitText}, nil
		}
	}
	if losslessOnly {
		return Fitted{}, &NoFitError{Why: "no lossless encoding fits the " + limitText + " limit, and lossless only is set, so it was not converted"}
	}
	var buf bytes.Buffer // one buffer for every try: each is megabytes
	for _, q := range jpegQualities {
		if data, ok := jpegUnder(&buf, img, q, limit); ok {
			return Fitted{Data: data, MIME: "image/jpeg", Ext: ".jpg", How: fmt.Sprintf("uploaded as JPEG q%d to fit %s", q, limitText)}, nil
		}
	}
	q := jpegQualities[len(jpegQualities)-1]
	b := img.Bounds()
	for _, s := range scales {
		w, h := max(1, int(float64(b.Dx())*s)), max(1, int(float64(b.Dy())*s))
		small := shrink.To(img, w, h)
		if data, ok := jpegUnder(&buf, small, q, limit); ok {
			return Fitted{Data: data, MIME: "image/jpeg", Ext: ".jpg",
				How: fmt.Sprintf("uploaded as JPEG q%d at %d%% size (%d×%d) to fit %s", q, int(s*100), w, h, limitText)}, nil
		}
	}
	return Fitted{}, &NoFitError{Why: "it does not fit " + limitText + " even scaled down"}
}

// LosslessWebP encodes img as lossless WebP. nativewebp v0.9.3 panics on
// some noise-like images ("too many bits for the given value"); that is an
// error here, and the chain goes on to JPEG.
func LosslessWebP(img image.Image) (data []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			data, err = nil, fmt.Errorf("lossless WebP: %v", p)
		}
	}()
	var buf bytes.Buffer
	if err := nativewebp.Encode(&buf, img, nil); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// jpegUnder encodes img as JPEG at quality q into buf, and returns the
// bytes when they fit limit.
func jpegUnder(buf *bytes.Buffer, img image.Image, q int, limit int64) ([]byte, bool) {
	buf.Reset()
	if err := jpeg.Encode(buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, false
	}
	return buf.Bytes(), int64(buf.Len()) <= limit
}
