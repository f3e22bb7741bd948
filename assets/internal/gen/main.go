// Command gen draws imagecx's icons: a camera on a rounded tile in three
// states (idle blue, busy orange with an upload arrow, error red with an
// exclamation mark). Shapes are signed-distance functions sampled 4×4 per
// pixel, so every size is drawn natively rather than scaled.
//
//	go run ./assets/internal/gen -o assets
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

type rgb struct{ r, g, b float64 }

var states = map[string]rgb{
	"idle":  {0.16, 0.47, 0.96},
	"busy":  {0.96, 0.55, 0.10},
	"error": {0.86, 0.18, 0.20},
}

func main() {
	out := flag.String("o", ".", "output folder")
	flag.Parse()
	for state, c := range states {
		for _, size := range []int{16, 32, 64} {
			write(filepath.Join(*out, fmt.Sprintf("icon-%s-%d.png", state, size)), draw(size, state, c))
		}
	}
	write(filepath.Join(*out, "imagecx-256.png"), draw(256, "idle", states["idle"]))
}

func write(path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// Shapes in a unit square (0..1), y down. Negative distance is inside.
func roundRect(x, y, cx, cy, hw, hh, r float64) float64 {
	dx := math.Abs(x-cx) - hw + r
	dy := math.Abs(y-cy) - hh + r
	return math.Hypot(math.Max(dx, 0), math.Max(dy, 0)) + math.Min(math.Max(dx, dy), 0) - r
}

func circle(x, y, cx, cy, r float64) float64 { return math.Hypot(x-cx, y-cy) - r }

// paint returns the colour at (x, y) and its coverage (0 = transparent).
func paint(x, y float64, state string, bg rgb) (rgb, float64) {
	white := rgb{1, 1, 1}
	if roundRect(x, y, 0.5, 0.5, 0.48, 0.48, 0.16) > 0 {
		return rgb{}, 0
	}
	// Camera: body, bump, lens ring.
	body := roundRect(x, y, 0.5, 0.56, 0.33, 0.23, 0.06)
	bump := roundRect(x, y, 0.5, 0.31, 0.12, 0.06, 0.03)
	lens := circle(x, y, 0.5, 0.57, 0.135)
	inner := circle(x, y, 0.5, 0.57, 0.075)
	onCamera := (body < 0 || bump < 0) && !(lens < 0 && inner > 0)
	switch state {
	case "busy": // an upward arrow in the lens
		if inner < 0.02 && lens < 0 {
			onCamera = false
			if (math.Abs(x-0.5) < 0.025 && y > 0.53 && y < 0.64) || (y > 0.5 && y < 0.56 && math.Abs(x-0.5) < (y-0.5)*1.2) {
				onCamera = true
			}
		}
	case "error": // an exclamation mark in the lens
		if lens < 0 {
			onCamera = false
			if (math.Abs(x-0.5) < 0.025 && y > 0.48 && y < 0.6) || circle(x, y, 0.5, 0.645, 0.027) < 0 {
				onCamera = true
			}
		}
	}
	if onCamera {
		return white, 1
	}
	return bg, 1
}

func draw(size int, state string, bg rgb) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					c, cov := paint(x, y, state, bg)
					r += c.r * cov
					g += c.g * cov
					b += c.b * cov
					a += cov
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{uint8(255 * r / a), uint8(255 * g / a), uint8(255 * b / a), uint8(255 * a / (ss * ss))})
		}
	}
	return img
}
