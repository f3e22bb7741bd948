//go:build !windows

package record

import (
	"context"
	"image"
)

// startMF: Media Foundation is Windows'.
func startMF(context.Context, Grabber, image.Rectangle, string, Options) (Recorder, error) {
	return nil, ErrNoH264
}
