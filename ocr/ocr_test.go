package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"imagecx/i18n"
	"imagecx/internal/testkit/textimg"
	"imagecx/internal/testkit/xvfb"
)

func TestTidy(t *testing.T) {
	for in, want := range map[string]string{
		"還 沒 有 任 何 擷 取 。 擷 取\n":                            "還沒有任何擷取。擷取",
		"上 傳 後 保 留 本 機 副 本 (上 傳 失 敗 時 一 律 保 留 )":           "上傳後保留本機副本（上傳失敗時一律保留）",
		"登 入 時 啟 動 imagecx":                                "登入時啟動 imagecx",
		"最 新 的 , 在 最 前 面":                                  "最新的，在最前面",
		"\n\nUpload failed: (the server)  \n\n\n\nRetry\f": "Upload failed: (the server)\n\nRetry",
		"ポ イ ン タ ー の あ る モ ニ タ ー":                          "ポインターのあるモニター",
		"a , b": "a , b", // no wide character near: left as it is
	} {
		if got := Tidy(in); got != want {
			t.Errorf("Tidy(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAccuracy(t *testing.T) {
	for _, c := range []struct {
		got, want string
		acc       float64
	}{
		{"hello world", "hello  world", 1},
		{"hallo", "hello", 0.8},
		{"", "abcd", 0},
		{"abcdefgh", "ab", 0},
		{"", "", 1},
		{"擷取資料夾", "擷取資料夹", 0.8},
	} {
		if got := Accuracy(c.got, c.want); got < c.acc-1e-9 || got > c.acc+1e-9 {
			t.Errorf("Accuracy(%q, %q) = %v, want %v", c.got, c.want, got, c.acc)
		}
	}
}

func TestLanguages(t *testing.T) {
	if got := Wanted(i18n.Traditional); !slices.Equal(got, []string{"chi_tra", "eng"}) {
		t.Errorf("zh-Hant reads %v", got)
	}
	if got := Wanted(i18n.English); !slices.Equal(got, []string{"eng"}) {
		t.Errorf("English reads %v", got)
	}
	use, missing := Choose([]string{"jpn", "eng"}, []string{"eng", "chi_sim"})
	if !slices.Equal(use, []string{"eng"}) || len(missing) != 1 || missing[0].Package != "tesseract-ocr-jpn" {
		t.Errorf("use %v, missing %v", use, missing)
	}
	if use, _ := Choose([]string{"chi_tra"}, nil); !slices.Equal(use, []string{"eng"}) {
		t.Errorf("with nothing installed: %v", use)
	}
	if _, err := ParseLangs("eng+chi_tra"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"", "eng+", "eng chi", "../x", "eng;rm"} {
		if _, err := ParseLangs(bad); err == nil {
			t.Errorf("%q taken as languages", bad)
		}
	}
}

func TestPreview(t *testing.T) {
	if got := Preview("a\nb\nc", 2, 100); got != "a\nb…" {
		t.Errorf("%q", got)
	}
	if got := Preview("擷取資料夾", 6, 3); got != "擷取資…" {
		t.Errorf("%q", got)
	}
	if got := Preview("short", 6, 300); got != "short" {
		t.Errorf("%q", got)
	}
}

// Light text on a dark ground comes out dark on light, three times as
// large for a small region, in a margin of the ground's shade.
func TestPrepare(t *testing.T) {
	img := image.NewRGBA(image.Rect(10, 10, 110, 40))
	for y := 10; y < 40; y++ {
		for x := 10; x < 110; x++ {
			c := color.RGBA{0x20, 0x20, 0x20, 0xff}
			if x >= 50 && x < 60 && y >= 20 && y < 30 {
				c = color.RGBA{0xf0, 0xf0, 0xf0, 0xff} // a light letter
			}
			img.SetRGBA(x, y, c)
		}
	}
	g := Prepare(img)
	if g.Rect.Dx() != 300+60 || g.Rect.Dy() != 90+60 {
		t.Fatalf("prepared %v", g.Rect)
	}
	if v := g.GrayAt(0, 0).Y; v < 0xd0 {
		t.Errorf("margin %#x, want the ground made light", v)
	}
	if v := g.GrayAt(165, 75).Y; v > 0x30 {
		t.Errorf("the letter %#x, want dark", v)
	}
	for size, want := range map[image.Point]int{{3840, 2160}: 1, {2560, 1440}: 2, {1920, 1080}: 3, {400, 200}: 3, {0, 0}: 1} {
		if got := Scale(size); got != want {
			t.Errorf("%v is made %d times larger, want %d", size, got, want)
		}
	}
}

// Enlarging keeps a flat image flat and an edge in its place.
func TestEnlarge(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 4, 1))
	copy(g.Pix, []uint8{0, 0, 200, 200})
	big := enlarge(g, 3)
	want := []uint8{0, 0, 0, 0, 0, 66, 133, 200, 200, 200, 200, 200}
	if !slices.Equal(big.Pix[:12], want) {
		t.Errorf("enlarged %v, want %v", big.Pix[:12], want)
	}
}

// The engine missing, failing, and finding nothing: each says so.
func TestEngineErrors(t *testing.T) {
	ctx := context.Background()
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	if _, _, err := Text(ctx, Tesseract{Path: filepath.Join(t.TempDir(), "tesseract")}, img, []string{"eng"}); !errors.Is(err, ErrNoEngine) {
		t.Errorf("no tesseract: %v", err)
	}
	dir := t.TempDir()
	script := func(body string) Tesseract {
		p := filepath.Join(dir, fmt.Sprintf("tesseract-%d", len(body)))
		os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755)
		return Tesseract{Path: p}
	}
	broken := script(`if [ "$1" = --list-langs ]; then printf 'List of available languages in "/x/" (2):\neng\nosd\n'; exit 0; fi
echo "Error opening data file /x/eng.traineddata" >&2; exit 1`)
	if langs, err := broken.Languages(ctx); err != nil || !slices.Equal(langs, []string{"eng"}) {
		t.Errorf("languages %v, %v", langs, err)
	}
	if _, _, err := Text(ctx, broken, img, []string{"eng"}); err == nil || !strings.Contains(err.Error(), "text recognition failed: tesseract: Error opening data file") {
		t.Errorf("a failing tesseract: %v", err)
	}
	empty := script(`if [ "$1" = --list-langs ]; then printf 'List:\neng\n'; exit 0; fi
cat >/dev/null; printf '\n \f'`)
	if _, _, err := Text(ctx, empty, img, []string{"eng"}); !errors.Is(err, ErrNoText) {
		t.Errorf("nothing read: %v", err)
	}
}

// Screen text at UI sizes (12 and 16 px, light and dark) in each
// language imagecx speaks is read right: imagecx's own sentences,
// rendered in the system's CJK font, at 95 % of characters or better
// (make bench reports the exact figures and tesseract's by hand).
func TestReadsScreenText(t *testing.T) {
	xvfb.Need(t, "tesseract")
	e, err := Find()
	if err != nil {
		t.Fatal(err)
	}
	installed, err := e.Languages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range i18n.Langs {
		for _, s := range []textimg.Style{{Size: 12}, {Size: 16, Dark: true}} {
			t.Run(fmt.Sprintf("%s/%v/dark=%v", l, s.Size, s.Dark), func(t *testing.T) {
				t.Parallel()
				if _, missing := Choose(Wanted(l), installed); len(missing) > 0 {
					t.Fatalf("%s is not installed; make test installs it", missing[0].Package)
				}
				want := textimg.Samples(l)
				img, err := textimg.Render(want, l, s)
				if err != nil {
					t.Fatal(err)
				}
				got, _, err := Text(context.Background(), e, img, Wanted(l))
				if err != nil {
					t.Fatal(err)
				}
				if acc := Accuracy(got, strings.Join(want, "\n")); acc < 0.95 {
					t.Errorf("%.1f %% of characters read right:\n%s", 100*acc, got)
				}
			})
		}
	}
}
