// Package refdesk draws the reference desktop that tests and benchmarks
// paint on their X servers: 3840×2160, the same pixels on every run, made
// of what real screenshots are made of — text in several sizes, a
// photo-like noisy area, flat UI with thin lines, and a logo on a flat
// background. It is drawn, not stored, so a clone of the repository has
// everything its tests need.
//
// Layout (x, y in pixels):
//
//	0–1920 × 0–2120      a text pane: white, a man-page-like column in a
//	                     monospace face and a prose column in a
//	                     proportional one, headings at three sizes
//	1920–3840 × 0–1080   a plasma fractal with fine grain (a photo)
//	1920–3840 × 1080–2120 flat dark grey with a logo on a white card and
//	                     an application window (title bar, toolbar,
//	                     table with 1-pixel grid lines, buttons)
//	0–3840 × 2120–2160   a task bar
package refdesk

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Size of the reference desktop.
const (
	Width  = 3840
	Height = 2160
)

var (
	once sync.Once
	desk *image.RGBA
)

// Image returns the reference desktop. It is drawn once per process;
// callers must not modify it.
func Image() *image.RGBA {
	once.Do(func() { desk = Draw() })
	return desk
}

// Draw draws a fresh copy of the reference desktop.
func Draw() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	fill(img, img.Rect, color.RGBA{255, 255, 255, 255})
	f := loadFaces()
	textPane(img, image.Rect(0, 0, 1920, 2120), f)
	plasma(img, image.Rect(1920, 0, 3840, 1080), rand.New(rand.NewPCG(1, 2)))
	fill(img, image.Rect(1920, 1080, 3840, 2120), color.RGBA{0x2b, 0x2b, 0x2b, 255})
	logo(img, image.Rect(2000, 1200, 2640, 1680), f)
	appWindow(img, image.Rect(2760, 1160, 3760, 2060), f)
	taskBar(img, image.Rect(0, 2120, 3840, 2160), f)
	return img
}

type faces struct {
	mono, small, prose, h1, h2, h3, logo, ui, uiBold font.Face
}

func face(data []byte, size float64) font.Face {
	ft, err := opentype.Parse(data)
	if err != nil {
		panic("refdesk: " + err.Error()) // the fonts are compiled in
	}
	fc, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("refdesk: " + err.Error())
	}
	return fc
}

func loadFaces() faces {
	return faces{
		mono:   face(gomono.TTF, 15),
		small:  face(goregular.TTF, 11),
		prose:  face(goregular.TTF, 18),
		h1:     face(gobold.TTF, 34),
		h2:     face(gobold.TTF, 24),
		h3:     face(gobold.TTF, 16),
		logo:   face(gobold.TTF, 78),
		ui:     face(goregular.TTF, 14),
		uiBold: face(gobold.TTF, 14),
	}
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// line draws a 1-pixel line, horizontal or vertical.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	if y0 == y1 {
		fill(img, image.Rect(x0, y0, x1, y0+1), c)
	} else {
		fill(img, image.Rect(x0, y0, x0+1, y1), c)
	}
}

// frame draws a 1-pixel rectangle outline.
func frame(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	line(img, r.Min.X, r.Min.Y, r.Max.X, r.Min.Y, c)
	line(img, r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y-1, c)
	line(img, r.Min.X, r.Min.Y, r.Min.X, r.Max.Y, c)
	line(img, r.Max.X-1, r.Min.Y, r.Max.X-1, r.Max.Y, c)
}

// text draws s with its baseline at (x, y) and returns the x after it.
func text(img *image.RGBA, fc font.Face, x, y int, c color.RGBA, s string) int {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: fc, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return d.Dot.X.Round()
}

func width(fc font.Face, s string) int { return font.MeasureString(fc, s).Round() }

var black = color.RGBA{0x1a, 0x1a, 0x1a, 255}

// words are what the generated prose is made of.
var words = strings.Fields(`the a screenshot capture upload link clipboard image region screen
window monitor pointer key hotkey tray menu file folder setting settings notification server
site album title format quality lossless size limit pixels row band encoder deflate match
literal photo text desktop display session portal compositor keyring secret error retry
network timeout answer request response queue history copy paste save saved press drag
rectangle select selection edge corner arrow enter escape cancel when while after before
every each one two three first last next previous new old large small fast slow is are was
be can may must should will not no yes and or but if then so with without from to into of
on in at by for as it its this that these those which what who where how why here there
user users person people program programs application applications command line option
options value values default defaults path paths name names time times date day week month
year minute second bytes megabytes kilobytes width height depth colour color light dark`)

// prose returns n words of deterministic sentence-like text.
func prose(rng *rand.Rand, n int) string {
	var b strings.Builder
	start := true
	for i := 0; i < n; i++ {
		w := words[rng.IntN(len(words))]
		if start {
			w = strings.ToUpper(w[:1]) + w[1:]
			start = false
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		switch r := rng.IntN(14); {
		case r == 0 && i < n-1:
			b.WriteByte(',')
		case r == 1 || i == n-1:
			b.WriteByte('.')
			start = true
		}
	}
	return b.String()
}

// wrap breaks s into lines no wider than w pixels.
func wrap(fc font.Face, s string, w int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if cur != "" && width(fc, next) > w {
			lines = append(lines, cur)
			next = word
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

var manPage = []string{
	"IMAGECX(1)              User Commands              IMAGECX(1)",
	"",
	"NAME",
	"       imagecx - capture the screen and upload images to image.cx",
	"",
	"SYNOPSIS",
	"       imagecx [COMMAND] [OPTION]... [FILE]...",
	"",
	"DESCRIPTION",
}

var options = [][2]string{
	{"-o FILE", "save to FILE instead of the captures folder"},
	{"--no-upload", "only save; print the file's path"},
	{"--format=FORMAT", "url, viewer, markdown, html, bbcode or json"},
	{"--title=TEXT", "the title shown on the image's page"},
	{"--description=TEXT", "a description for the upload"},
	{"--tags=LIST", "comma-separated tags"},
	{"--album=ID", "the album to upload into, as in its address"},
	{"--expire=WHEN", "delete after 5m, 1h, 1d, 1w, 1mo or 1y"},
	{"--nsfw", "mark the upload as not safe for work"},
	{"--last", "capture the previous region again"},
	{"-h, --help", "show help for a command and exit"},
	{"--version", "print the version and exit"},
}

func textPane(img *image.RGBA, r image.Rectangle, f faces) {
	rng := rand.New(rand.NewPCG(3, 4))
	// The monospace column, like a terminal showing a manual page.
	x, y := r.Min.X+20, r.Min.Y+26
	const lh = 22
	for _, l := range manPage {
		if l != "" && l == strings.ToUpper(l) && !strings.HasPrefix(l, " ") {
			text(img, f.mono, x, y, black, l)
		} else {
			text(img, f.mono, x, y, color.RGBA{0x20, 0x20, 0x20, 255}, l)
		}
		y += lh
	}
	for _, l := range wrap(f.mono, prose(rng, 70), 640) {
		text(img, f.mono, x+84, y, black, l)
		y += lh
	}
	y += lh
	for i := 0; y < r.Max.Y-80; i++ {
		o := options[i%len(options)]
		text(img, f.mono, x+84, y, color.RGBA{0x10, 0x10, 0x10, 255}, o[0])
		y += lh
		desc := o[1]
		if i >= len(options) {
			desc = strings.ToLower(prose(rng, 6+rng.IntN(10)))
		}
		for _, l := range wrap(f.mono, desc, 620) {
			text(img, f.mono, x+84, y, black, l)
			y += lh
		}
		y += lh
	}
	text(img, f.small, x, r.Max.Y-24, color.RGBA{0x70, 0x70, 0x70, 255}, "imagecx 1.0 — this page was drawn by internal/testkit/refdesk for the tests; it describes nothing real.")

	// The prose column, like a document in a proportional face.
	x, y = r.Min.X+1000, r.Min.Y+60
	text(img, f.h1, x, y, color.RGBA{0x10, 0x10, 0x30, 255}, "Screenshots in one step")
	y += 24
	line(img, x, y, r.Max.X-40, y, color.RGBA{0xcc, 0xcc, 0xcc, 255})
	y += 44
	for s := 0; y < r.Max.Y-120; s++ {
		if s%3 == 0 {
			text(img, f.h2, x, y, color.RGBA{0x20, 0x30, 0x50, 255}, strings.TrimSuffix(prose(rng, 3+rng.IntN(3)), "."))
			y += 36
		}
		if s%4 == 2 {
			text(img, f.h3, x, y, color.RGBA{0x30, 0x30, 0x30, 255}, strings.TrimSuffix(prose(rng, 4), "."))
			y += 28
		}
		for _, l := range wrap(f.prose, prose(rng, 40+rng.IntN(50)), r.Max.X-40-x) {
			text(img, f.prose, x, y, color.RGBA{0x22, 0x22, 0x22, 255}, l)
			y += 27
		}
		y += 18
	}
}

// plasma fills r with a diamond-square fractal per channel plus grain:
// smooth at large scales, noisy at the pixel level, as photos are.
func plasma(img *image.RGBA, r image.Rectangle, rng *rand.Rand) {
	const n = 2048 // grid of n+1 points, cropped to r
	var ch [3][]int32
	for c := range ch {
		g := make([]int32, (n+1)*(n+1))
		at := func(x, y int) *int32 { return &g[y*(n+1)+x] }
		for _, p := range [][2]int{{0, 0}, {n, 0}, {0, n}, {n, n}} {
			*at(p[0], p[1]) = int32(60+rng.IntN(100)) << 8
		}
		amp := int32(120 << 8)
		for step := n; step > 1; step /= 2 {
			h := step / 2
			for y := h; y < n; y += step {
				for x := h; x < n; x += step {
					avg := (*at(x-h, y-h) + *at(x+h, y-h) + *at(x-h, y+h) + *at(x+h, y+h)) / 4
					*at(x, y) = avg + int32(rng.Int64N(int64(2*amp+1))) - amp
				}
			}
			for y := 0; y <= n; y += h {
				for x := (y/h + 1) % 2 * h; x <= n; x += step {
					var sum, k int32
					for _, d := range [][2]int{{-h, 0}, {h, 0}, {0, -h}, {0, h}} {
						if xx, yy := x+d[0], y+d[1]; xx >= 0 && xx <= n && yy >= 0 && yy <= n {
							sum += *at(xx, yy)
							k++
						}
					}
					*at(x, y) = sum/k + int32(rng.Int64N(int64(2*amp+1))) - amp
				}
			}
			amp = amp * 13 / 20
		}
		ch[c] = g
	}
	// Sampled along a slant and stretched, so the texture runs in streaks
	// as in a photo of grass or fabric, with bilinear interpolation.
	const cos, sin = 0.906, 0.423 // 25°
	for y := 0; y < r.Dy(); y++ {
		row := img.Pix[img.PixOffset(r.Min.X, r.Min.Y+y):]
		for x := 0; x < r.Dx(); x++ {
			u := 0.35*(float64(x)*cos+float64(y)*sin) + 200
			v := 0.95*(-float64(x)*sin+float64(y)*cos) + 900
			iu, iv := int(u), int(v)
			fu, fv := u-float64(iu), v-float64(iv)
			for c := 0; c < 3; c++ {
				g := ch[c]
				at := func(x, y int) float64 { return float64(g[y*(n+1)+x]) }
				val := (at(iu, iv)*(1-fu)+at(iu+1, iv)*fu)*(1-fv) + (at(iu, iv+1)*(1-fu)+at(iu+1, iv+1)*fu)*fv
				px := int32(val)>>8 + int32(rng.IntN(5)) - 2
				row[x*4+c] = uint8(max(0, min(255, px)))
			}
			row[x*4+3] = 255
		}
	}
}

// disc adds an anti-aliased filled circle to z.
func disc(z *vector.Rasterizer, cx, cy, rad float32) {
	const k = 0.5523 // Bézier approximation of a quarter circle
	z.MoveTo(cx+rad, cy)
	z.CubeTo(cx+rad, cy+rad*k, cx+rad*k, cy+rad, cx, cy+rad)
	z.CubeTo(cx-rad*k, cy+rad, cx-rad, cy+rad*k, cx-rad, cy)
	z.CubeTo(cx-rad, cy-rad*k, cx-rad*k, cy-rad, cx, cy-rad)
	z.CubeTo(cx+rad*k, cy-rad, cx+rad, cy-rad*k, cx+rad, cy)
	z.ClosePath()
}

// paint draws what z holds in colour c (anti-aliased) onto img at r.
func paint(img *image.RGBA, r image.Rectangle, z *vector.Rasterizer, src image.Image) {
	z.Draw(img, r, src, image.Point{})
}

func logo(img *image.RGBA, r image.Rectangle, f faces) {
	fill(img, r, color.RGBA{255, 255, 255, 255})
	frame(img, r, color.RGBA{0xdd, 0xdd, 0xdd, 255})
	w, h := r.Dx(), r.Dy()
	// A shadow, the lens and six aperture blades.
	z := vector.NewRasterizer(w, h)
	disc(z, 206, 196, 150)
	paint(img, r, z, image.NewUniform(color.RGBA{0xc8, 0xc8, 0xd0, 255}))
	z.Reset(w, h)
	disc(z, 200, 190, 150)
	grad := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := float32(x+y) / float32(w+h)
			grad.SetRGBA(x, y, color.RGBA{uint8(20 + 40*t), uint8(90 + 120*t), uint8(200 - 60*t), 255})
		}
	}
	paint(img, r, z, grad)
	blades := []color.RGBA{{0xff, 0xb3, 0x00, 255}, {0xff, 0x6f, 0x00, 255}, {0xe5, 0x39, 0x35, 255}, {0x8e, 0x24, 0xaa, 255}, {0x1e, 0x88, 0xe5, 255}, {0x43, 0xa0, 0x47, 255}}
	pts := [][2]float32{{200, 80}, {295, 135}, {295, 245}, {200, 300}, {105, 245}, {105, 135}}
	for i, c := range blades {
		z.Reset(w, h)
		a, b := pts[i], pts[(i+1)%6]
		z.MoveTo(200, 190)
		z.LineTo(a[0], a[1])
		z.LineTo((a[0]+b[0])/2+(200-(a[0]+b[0])/2)*0.15, (a[1]+b[1])/2+(190-(a[1]+b[1])/2)*0.15)
		z.ClosePath()
		paint(img, r, z, image.NewUniform(c))
	}
	z.Reset(w, h)
	disc(z, 200, 190, 38)
	paint(img, r, z, image.NewUniform(color.RGBA{0x10, 0x10, 0x20, 255}))
	text(img, f.logo, r.Min.X+64, r.Min.Y+h-58, color.RGBA{0x30, 0x30, 0x30, 255}, "imagecx")
	text(img, f.logo, r.Min.X+60, r.Min.Y+h-62, color.RGBA{0x1e, 0x5a, 0xc8, 255}, "imagecx")
}

func appWindow(img *image.RGBA, r image.Rectangle, f faces) {
	var (
		border = color.RGBA{0x55, 0x55, 0x55, 255}
		bg     = color.RGBA{0xf3, 0xf3, 0xf3, 255}
		grid   = color.RGBA{0xd0, 0xd0, 0xd0, 255}
		accent = color.RGBA{0x1e, 0x5a, 0xc8, 255}
	)
	rng := rand.New(rand.NewPCG(5, 6))
	fill(img, r, bg)
	frame(img, r, border)
	// Title bar with its three buttons.
	title := image.Rect(r.Min.X+1, r.Min.Y+1, r.Max.X-1, r.Min.Y+33)
	fill(img, title, color.RGBA{0x3c, 0x3f, 0x41, 255})
	text(img, f.uiBold, title.Min.X+14, title.Min.Y+21, color.RGBA{0xee, 0xee, 0xee, 255}, "Uploads — imagecx")
	for i, c := range []color.RGBA{{0xe0, 0x4f, 0x4f, 255}, {0xe0, 0xb0, 0x3f, 255}, {0x5f, 0xb0, 0x5f, 255}} {
		b := image.Rect(title.Max.X-26-i*24, title.Min.Y+9, title.Max.X-12-i*24, title.Min.Y+23)
		fill(img, b, c)
	}
	// Toolbar.
	y := title.Max.Y + 8
	x := r.Min.X + 10
	for _, label := range []string{"Capture", "Region", "Upload file", "Copy link", "Open", "Delete"} {
		w := width(f.ui, label) + 24
		b := image.Rect(x, y, x+w, y+28)
		fill(img, b, color.RGBA{0xfb, 0xfb, 0xfb, 255})
		frame(img, b, color.RGBA{0xb8, 0xb8, 0xb8, 255})
		text(img, f.ui, x+12, y+19, black, label)
		x += w + 6
	}
	y += 38
	line(img, r.Min.X+1, y, r.Max.X-1, y, grid)
	// A table: header, striped rows, 1-pixel grid lines.
	cols := []int{r.Min.X + 10, r.Min.X + 60, r.Min.X + 420, r.Min.X + 560, r.Min.X + 680, r.Max.X - 10}
	heads := []string{"#", "File", "Size", "When", "Link"}
	y += 10
	fill(img, image.Rect(cols[0], y, cols[5], y+26), color.RGBA{0xe4, 0xe4, 0xe4, 255})
	for i, hd := range heads {
		text(img, f.uiBold, cols[i]+6, y+18, black, hd)
	}
	top := y
	y += 26
	for row := 1; y+24 < r.Max.Y-60; row++ {
		if row%2 == 0 {
			fill(img, image.Rect(cols[0], y, cols[5], y+24), color.RGBA{0xfa, 0xfa, 0xfa, 255})
		} else {
			fill(img, image.Rect(cols[0], y, cols[5], y+24), color.RGBA{0xff, 0xff, 0xff, 255})
		}
		id := rng.Uint32()
		cells := []string{
			strconv.Itoa(row),
			fmt.Sprintf("imagecx-2026-11-%02d_%02d-%02d-%02d.png", 1+row%28, rng.IntN(24), rng.IntN(60), rng.IntN(60)),
			strconv.Itoa(100+rng.IntN(4900)) + " KB",
			strconv.Itoa(1+rng.IntN(59)) + " min ago",
			"https://image.cx/i/" + strconv.FormatUint(uint64(id), 36),
		}
		for i, c := range cells {
			col := black
			if i == 4 {
				col = accent
			}
			text(img, f.ui, cols[i]+6, y+17, col, c)
		}
		line(img, cols[0], y, cols[5], y, grid)
		y += 24
	}
	line(img, cols[0], y, cols[5], y, grid)
	for _, cx := range cols {
		line(img, cx, top, cx, y+1, grid)
	}
	// Status line and buttons.
	by := r.Max.Y - 46
	line(img, r.Min.X+1, by-8, r.Max.X-1, by-8, grid)
	text(img, f.ui, r.Min.X+12, by+20, color.RGBA{0x50, 0x50, 0x50, 255}, "All uploads are kept in the history; nothing is lost.")
	for i, label := range []string{"Close", "Upload"} {
		w := 96
		b := image.Rect(r.Max.X-12-(i+1)*(w+8), by, r.Max.X-12-i*(w+8)-8, by+30)
		if label == "Upload" {
			fill(img, b, accent)
			text(img, f.uiBold, b.Min.X+(b.Dx()-width(f.uiBold, label))/2, by+20, color.RGBA{255, 255, 255, 255}, label)
		} else {
			fill(img, b, color.RGBA{0xfb, 0xfb, 0xfb, 255})
			frame(img, b, color.RGBA{0xb8, 0xb8, 0xb8, 255})
			text(img, f.ui, b.Min.X+(b.Dx()-width(f.ui, label))/2, by+20, black, label)
		}
	}
}

func taskBar(img *image.RGBA, r image.Rectangle, f faces) {
	fill(img, r, color.RGBA{0x1f, 0x23, 0x2a, 255})
	line(img, r.Min.X, r.Min.Y, r.Max.X, r.Min.Y, color.RGBA{0x3a, 0x40, 0x4a, 255})
	x := r.Min.X + 8
	for i, label := range []string{"Files", "Terminal", "Browser", "imagecx", "Editor"} {
		b := image.Rect(x, r.Min.Y+5, x+150, r.Max.Y-5)
		c := color.RGBA{0x2c, 0x32, 0x3c, 255}
		if i == 3 {
			c = color.RGBA{0x34, 0x4a, 0x6e, 255}
		}
		fill(img, b, c)
		fill(img, image.Rect(b.Min.X+8, b.Min.Y+7, b.Min.X+24, b.Min.Y+23), color.RGBA{uint8(0x40 + 0x30*i), 0x90, uint8(0xe0 - 0x20*i), 255})
		text(img, f.ui, b.Min.X+32, b.Min.Y+20, color.RGBA{0xdd, 0xdd, 0xdd, 255}, label)
		x += 158
	}
	text(img, f.ui, r.Max.X-120, r.Min.Y+26, color.RGBA{0xdd, 0xdd, 0xdd, 255}, "Tue 14:05")
}

// Noise is an opaque w×h image of random pixels (the same for the same
// seed): what no encoder can shrink, for the tests of the upload size
// limit.
func Noise(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 6))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	return img
}
