package fonts

import (
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"imagecx/i18n"
)

// notoCJK is Debian's Noto Sans CJK collection (fonts-noto-cjk, which
// make test installs).
const notoCJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"

func needNoto(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(notoCJK); err != nil {
		t.Fatalf("%v: scripts/deps.sh test installs fonts-noto-cjk", err)
	}
}

// A font folder as a system has it: the collection under a foundry
// folder, and a file that is not a font under a known name.
func fontDir(t *testing.T) string {
	t.Helper()
	needNoto(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "opentype", "noto"), 0o755)
	if err := os.Symlink(notoCJK, filepath.Join(dir, "opentype", "noto", "NotoSansCJK-Bold.ttc")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "wqy-zenhei.ttc"), []byte("not a font"), 0o644)
	return dir
}

func TestFindPicksTheLanguagesShapes(t *testing.T) {
	dir := fontDir(t)
	none := func(string) string { return "" }
	for l, want := range map[i18n.Lang]string{
		i18n.Traditional: "Noto Sans CJK TC", i18n.Simplified: "Noto Sans CJK SC", i18n.Japanese: "Noto Sans CJK JP",
		i18n.English: "Noto Sans CJK TC", // image.cx's language
	} {
		f, err := find(l, none, []string{filepath.Join(dir, "nothing-here"), dir})
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if f.Family != want {
			t.Errorf("%s: %s, want %s", l, f.Family, want)
		}
	}
}

func TestFindSaysWhenThereIsNone(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "wqy-zenhei.ttc"), []byte("not a font"), 0o644)
	if _, err := find(i18n.Traditional, func(string) string { return "" }, []string{dir}); err != ErrNone {
		t.Errorf("no font: %v", err)
	}
	if !strings.Contains(ErrNone.Error(), "fonts-noto-cjk") {
		t.Errorf("the error says what to install: %v", ErrNone)
	}
	env := func(k string) string {
		if k == EnvFont {
			return filepath.Join(dir, "wqy-zenhei.ttc")
		}
		return ""
	}
	if _, err := find(i18n.Traditional, env, nil); err == nil || !strings.Contains(err.Error(), EnvFont) {
		t.Errorf("a named file that is not a font: %v", err)
	}
}

func TestTheNamedFontWins(t *testing.T) {
	needNoto(t)
	env := func(k string) string {
		if k == EnvFont {
			return notoCJK
		}
		return ""
	}
	f, err := find(i18n.Japanese, env, nil)
	if err != nil || f.Family != "Noto Sans CJK JP" || f.Path != notoCJK {
		t.Fatalf("%v %+v", err, f)
	}
}

func TestPreferredOrder(t *testing.T) {
	before := func(l i18n.Lang, a, b string) {
		t.Helper()
		p := preferred(l)
		if slices.Index(p, a) > slices.Index(p, b) {
			t.Errorf("%s: %s comes after %s", l, a, b)
		}
	}
	before(i18n.Traditional, "msjhbd.ttc", "msyhbd.ttc")
	before(i18n.Simplified, "msyhbd.ttc", "msjhbd.ttc")
	before(i18n.Japanese, "yugothb.ttc", "msjhbd.ttc")
	before(i18n.Japanese, "notosanscjkjp-bold.otf", "notosanscjktc-bold.otf")
	before(i18n.Simplified, "notosanscjksc-bold.otf", "notosanscjktc-bold.otf")
	before(i18n.Traditional, "notosanscjk-bold.ttc", "notosanscjksc-bold.otf") // a collection has every shape
	if rank("pingfang.ttc", i18n.Traditional) != 0 {
		t.Error(".ttc is not Traditional Chinese")
	}
}

// Mixed text: Latin from the first face, Han from the second; each
// character drawn as its own face draws it, and none is the box.
func TestCombineDrawsEachCharacterWithTheFaceThatHasIt(t *testing.T) {
	needNoto(t)
	cjk, err := open(notoCJK, i18n.Traditional)
	if err != nil {
		t.Fatal(err)
	}
	goFont, _ := opentype.Parse(gobold.TTF)
	latin, _ := opentype.NewFace(goFont, &opentype.FaceOptions{Size: 24, DPI: 72})
	han, _ := cjk.Face(24)
	goHas := func(r rune) bool { x, err := goFont.GlyphIndex(nil, r); return err == nil && x != 0 }
	both := Combine(Part{Face: latin, Has: goHas}, Part{Face: han, Has: cjk.Draws()})
	render := func(f font.Face, s string) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, 200, 40))
		draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
		d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: f, Dot: fixed.P(4, 30)}
		d.DrawString(s)
		return img
	}
	same := func(a, b *image.RGBA) bool { return string(a.Pix) == string(b.Pix) }
	if !same(render(both, "A"), render(latin, "A")) {
		t.Error("A is not the Go font's")
	}
	if !same(render(both, "你好"), render(han, "你好")) {
		t.Error("你好 is not the CJK font's")
	}
	if same(render(both, "你好"), render(latin, "你好")) {
		t.Error("你好 is drawn as the Go font's boxes")
	}
	if m := both.Metrics(); m.Ascent < han.Metrics().Ascent || m.Ascent < latin.Metrics().Ascent {
		t.Error("the metrics do not fit both faces")
	}
}
