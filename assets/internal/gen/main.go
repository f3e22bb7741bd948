// Command gen draws imagecx's icons: a camera on a rounded tile in four
// states (idle blue, busy orange with an upload arrow, error red with an
// exclamation mark, recording dark with a red lens). Shapes are signed-distance functions sampled 4×4 per
// pixel, so every size is drawn natively rather than scaled.
//
//	go run ./assets/internal/gen -o assets
//
// With -hicolor DIR it writes the installed app icon instead, in the
// freedesktop icon theme's layout: DIR/NxN/apps/ID.png from 16 to 512
// pixels, and DIR/scalable/apps/ID.svg, the same shapes as SVG.
package main

import (
	"bytes"
	"encoding/binary"
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
	"idle":      {0.16, 0.47, 0.96},
	"busy":      {0.96, 0.55, 0.10},
	"error":     {0.86, 0.18, 0.20},
	"recording": {0.20, 0.21, 0.24},
}

func main() {
	out := flag.String("o", ".", "output folder")
	hicolor := flag.String("hicolor", "", "write the app icon into this hicolor theme folder instead")
	id := flag.String("id", "cx.image.imagecx", "the icon's name in the theme")
	icns := flag.String("icns", "", "write the app icon as a macOS .icns file instead")
	flag.Parse()
	if *icns != "" {
		writeICNS(*icns)
		return
	}
	if *hicolor != "" {
		for _, size := range []int{16, 22, 24, 32, 48, 64, 128, 256, 512} {
			write(filepath.Join(*hicolor, fmt.Sprintf("%dx%d", size, size), "apps", *id+".png"), draw(size, "idle", states["idle"]))
		}
		svg := filepath.Join(*hicolor, "scalable", "apps", *id+".svg")
		if err := os.MkdirAll(filepath.Dir(svg), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(svg, []byte(idleSVG()), 0o644); err != nil {
			log.Fatal(err)
		}
		return
	}
	for state, c := range states {
		for _, size := range []int{16, 32, 64} {
			write(filepath.Join(*out, fmt.Sprintf("icon-%s-%d.png", state, size)), draw(size, state, c))
		}
	}
	write(filepath.Join(*out, "imagecx-256.png"), draw(256, "idle", states["idle"]))
}

func write(path string, img image.Image) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
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

// writeICNS writes the idle icon as macOS's .icns: PNG images of 32 to
// 1024 pixels, each under its type code.
func writeICNS(path string) {
	var body bytes.Buffer
	for _, e := range []struct {
		code string
		size int
	}{{"ic11", 32}, {"ic12", 64}, {"ic07", 128}, {"ic08", 256}, {"ic09", 512}, {"ic10", 1024}} {
		var img bytes.Buffer
		if err := png.Encode(&img, draw(e.size, "idle", states["idle"])); err != nil {
			log.Fatal(err)
		}
		body.WriteString(e.code)
		binary.Write(&body, binary.BigEndian, uint32(8+img.Len()))
		body.Write(img.Bytes())
	}
	var out bytes.Buffer
	out.WriteString("icns")
	binary.Write(&out, binary.BigEndian, uint32(8+body.Len()))
	out.Write(body.Bytes())
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// box is a rounded rectangle: centre, half sizes, corner radius.
type box struct{ cx, cy, hw, hh, r float64 }

func (b box) dist(x, y float64) float64 { return roundRect(x, y, b.cx, b.cy, b.hw, b.hh, b.r) }

// ring is a circle: centre, radius.
type ring struct{ cx, cy, r float64 }

func (c ring) dist(x, y float64) float64 { return circle(x, y, c.cx, c.cy, c.r) }

// The icon's shapes: the tile, the camera's body and bump, its lens ring
// (outer and inner edge).
var (
	tile  = box{0.5, 0.5, 0.48, 0.48, 0.16}
	body  = box{0.5, 0.56, 0.33, 0.23, 0.06}
	bump  = box{0.5, 0.31, 0.12, 0.06, 0.03}
	lensO = ring{0.5, 0.57, 0.135}
	lensI = ring{0.5, 0.57, 0.075}
)

// idleSVG is the idle icon as SVG, from the same shapes: the tile, the
// white camera, the lens ring in the tile's colour over it.
func idleSVG() string {
	const n = 512.0
	c := states["idle"]
	fill := fmt.Sprintf("#%02x%02x%02x", uint8(255*c.r), uint8(255*c.g), uint8(255*c.b))
	px := func(v float64) float64 { return math.Round(v*n*100) / 100 }
	rect := func(b box, colour string) string {
		return fmt.Sprintf(`<rect x="%g" y="%g" width="%g" height="%g" rx="%g" fill="%s"/>`,
			px(b.cx-b.hw), px(b.cy-b.hh), px(2*b.hw), px(2*b.hh), px(b.r), colour)
	}
	disc := func(r ring, colour string) string {
		return fmt.Sprintf(`<circle cx="%g" cy="%g" r="%g" fill="%s"/>`, px(r.cx), px(r.cy), px(r.r), colour)
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g">`+"\n", n, n, n, n) +
		rect(tile, fill) + "\n" + rect(body, "#ffffff") + "\n" + rect(bump, "#ffffff") + "\n" +
		disc(lensO, fill) + "\n" + disc(lensI, "#ffffff") + "\n</svg>\n"
}

// paint returns the colour at (x, y) and its coverage (0 = transparent).
func paint(x, y float64, state string, bg rgb) (rgb, float64) {
	white := rgb{1, 1, 1}
	if tile.dist(x, y) > 0 {
		return rgb{}, 0
	}
	// Camera: body, bump, lens ring.
	body := body.dist(x, y)
	bump := bump.dist(x, y)
	lens := lensO.dist(x, y)
	inner := lensI.dist(x, y)
	onCamera := (body < 0 || bump < 0) && !(lens < 0 && inner > 0)
	switch state {
	case "busy": // an upward arrow in the lens
		if inner < 0.02 && lens < 0 {
			onCamera = false
			if (math.Abs(x-0.5) < 0.025 && y > 0.53 && y < 0.64) || (y > 0.5 && y < 0.56 && math.Abs(x-0.5) < (y-0.5)*1.2) {
				onCamera = true
			}
		}
	case "recording": // a red dot for the lens, on a dark tile
		if lens < 0 {
			return rgb{0.95, 0.22, 0.20}, 1
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
