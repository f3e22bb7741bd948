// Package fonts draws the writing imagecx's compiled-in fonts lack —
// Chinese and Japanese — with a font the system has: the editor's text
// and numbered steps, the region overlay's line of hints.
//
// CJK finds that font once per process: IMAGECX_CJK_FONT if it names
// one, else the first of the well-known CJK fonts in the system's font
// folders (Noto Sans CJK and Source Han Sans, WenQuanYi and Droid Sans
// Fallback on Linux; Microsoft JhengHei, YaHei, Yu Gothic and Meiryo on
// Windows; PingFang and Hiragino on macOS), the face of a collection that
// matches the person's language (Traditional Chinese shapes for zh-Hant,
// and so on). The font is read from its file as glyphs are drawn: a 20 MB
// collection costs little memory.
//
// Combine makes one face of several: each character is drawn by the first
// face that has it, so Latin text keeps imagecx's look and Chinese is
// drawn, not boxes.
package fonts

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/image/font/sfnt"

	"imagecx/i18n"
)

// EnvFont names a font file to use for CJK (a .ttf, .otf or .ttc),
// before the system's.
const EnvFont = "IMAGECX_CJK_FONT"

// ErrNone says the system has no font for Chinese and Japanese.
var ErrNone = errors.New("no font for Chinese or Japanese was found (install fonts-noto-cjk, or name one in " + EnvFont + ")")

// Font is a font read from a file, and where it came from.
type Font struct {
	*sfnt.Font
	Path   string
	Family string
}

var (
	mu    sync.Mutex
	found = map[i18n.Lang]*Font{}
	tried = map[i18n.Lang]error{}
)

// CJK is the system's font for Chinese and Japanese text, in the shapes
// of language l where the font has several (for English: Traditional
// Chinese, the language of image.cx). It is looked for once per language.
func CJK(l i18n.Lang) (*Font, error) {
	mu.Lock()
	defer mu.Unlock()
	if f := found[l]; f != nil {
		return f, nil
	}
	if err := tried[l]; err != nil {
		return nil, err
	}
	f, err := find(l, os.Getenv, dirs(os.Getenv))
	if err != nil {
		tried[l] = err
		return nil, err
	}
	found[l] = f
	return f, nil
}

// find looks for the font for l: the one getenv's EnvFont names, else the
// best known one in dirs.
func find(l i18n.Lang, getenv func(string) string, dirs []string) (*Font, error) {
	if p := getenv(EnvFont); p != "" {
		f, err := open(p, l)
		if err != nil {
			return nil, fmt.Errorf("%s=%s: %w", EnvFont, p, err)
		}
		return f, nil
	}
	files := map[string]string{} // known name (lower case) → path; the first folder wins
	for _, d := range dirs {
		walk(d, 0, func(path string) {
			name := strings.ToLower(filepath.Base(path))
			if slices.Contains(known, name) {
				if _, ok := files[name]; !ok {
					files[name] = path
				}
			}
		})
	}
	for _, name := range preferred(l) {
		if p, ok := files[name]; ok {
			if f, err := open(p, l); err == nil {
				return f, nil
			}
		}
	}
	return nil, ErrNone
}

// walk calls fn for every file under dir, four folders deep at most
// (fonts sit in folders per package or foundry), skipping what cannot be
// read.
func walk(dir string, depth int, fn func(string)) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir() && depth < 4:
			walk(p, depth+1, fn)
		case e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0:
			fn(p)
		}
	}
}

// known are the CJK fonts looked for, by file name, best first: bold
// ones first, since both places that use them draw bold or on dark.
var known = []string{
	// Noto Sans CJK (Debian's fonts-noto-cjk, Fedora's google-noto-sans-cjk-fonts), Source Han Sans
	"notosanscjk-bold.ttc", "notosanscjk-medium.ttc", "notosanscjk-regular.ttc",
	"notosanscjktc-bold.otf", "notosanscjksc-bold.otf", "notosanscjkjp-bold.otf",
	"notosanscjktc-regular.otf", "notosanscjksc-regular.otf", "notosanscjkjp-regular.otf",
	"notosanstc-bold.otf", "notosanssc-bold.otf", "notosansjp-bold.otf",
	"notosanstc-regular.otf", "notosanssc-regular.otf", "notosansjp-regular.otf",
	"notosanstc-bold.ttf", "notosanssc-bold.ttf", "notosansjp-bold.ttf",
	"notosanstc-regular.ttf", "notosanssc-regular.ttf", "notosansjp-regular.ttf",
	"sourcehansans-bold.ttc", "sourcehansans-regular.ttc",
	// Windows
	"msjhbd.ttc", "msyhbd.ttc", "yugothb.ttc", "meiryob.ttc", "msjh.ttc", "msyh.ttc", "yugothm.ttc", "meiryo.ttc",
	"msgothic.ttc", "mingliu.ttc", "simsun.ttc",
	// macOS
	"pingfang.ttc", "hiragino sans gb.ttc", "ヒラギノ角ゴシック w6.ttc", "ヒラギノ角ゴシック w3.ttc", "arial unicode.ttf",
	// older Linux desktops
	"wqy-zenhei.ttc", "wqy-microhei.ttc", "droidsansfallbackfull.ttf", "droidsansfallback.ttf", "uming.ttc", "ipagp.ttf", "ipag.ttf",
}

// tags are the words in a file or family name that say a language's
// shapes (two letters count only at a word's end: "cjktc-bold", "CJK TC").
var tags = map[i18n.Lang][]string{
	i18n.Traditional: {"tc", "hk", "jhenghei", "msjh", "mingliu", "hant"},
	i18n.Simplified:  {"sc", "gb", "yahei", "msyh", "simsun", "hans", "wqy", "droid"},
	i18n.Japanese:    {"jp", "yugoth", "meiryo", "gothic", "ipa", "ヒラギノ"},
}

// lang is the shapes l wants: English takes Traditional Chinese.
func lang(l i18n.Lang) i18n.Lang {
	if _, ok := tags[l]; ok {
		return l
	}
	return i18n.Traditional
}

// preferred is known with the files made for l's shapes first.
func preferred(l i18n.Lang) []string {
	out := slices.Clone(known)
	slices.SortStableFunc(out, func(a, b string) int {
		return cmp.Compare(rank(b, l), rank(a, l))
	})
	return out
}

// rank says how well a name fits l: 1 when it names l's shapes, 0 when
// it names none, -1 when it names another language's.
func rank(name string, l i18n.Lang) int {
	name = strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
	has := func(lang i18n.Lang) bool {
		return slices.ContainsFunc(tags[lang], func(t string) bool { return hasTag(name, t) })
	}
	if has(lang(l)) {
		return 1
	}
	for other := range tags {
		if other != lang(l) && has(other) {
			return -1
		}
	}
	return 0
}

// hasTag says whether name holds t; one of two letters only where a word
// ends after it.
func hasTag(name, t string) bool {
	if len(t) > 2 {
		return strings.Contains(name, t)
	}
	for i := 0; ; {
		j := strings.Index(name[i:], t)
		if j < 0 {
			return false
		}
		end := i + j + len(t)
		if end == len(name) || name[end] < 'a' || name[end] > 'z' {
			return true
		}
		i += j + 1
	}
}

// open reads the font at path — of a collection, the face whose family
// fits l best, never a monospaced one — and checks that it draws Chinese.
func open(path string, l i18n.Lang) (*Font, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	c, err := sfnt.ParseCollectionReaderAt(file)
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("%s is not a font imagecx reads: %w", path, err)
	}
	var buf sfnt.Buffer
	var best *Font
	bestRank := -2
	for i := range c.NumFonts() {
		f, err := c.Font(i)
		if err != nil {
			continue
		}
		family, _ := f.Name(&buf, sfnt.NameIDFamily)
		if x, err := f.GlyphIndex(&buf, '中'); err != nil || x == 0 || strings.Contains(strings.ToLower(family), "mono") {
			continue
		}
		if r := rank(family, l); r > bestRank {
			best, bestRank = &Font{Font: f, Path: path, Family: family}, r
		}
	}
	if best == nil {
		file.Close()
		return nil, fmt.Errorf("%s has no Chinese characters", path)
	}
	// The file stays open: glyphs are read from it as they are drawn.
	return best, nil
}

// dirs are the folders the system keeps fonts in.
func dirs(getenv func(string) string) []string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		return []string{filepath.Join(cmp.Or(getenv("WINDIR"), `C:\Windows`), "Fonts"),
			filepath.Join(getenv("LOCALAPPDATA"), "Microsoft", "Windows", "Fonts")}
	case "darwin":
		return []string{"/System/Library/Fonts", "/Library/Fonts", filepath.Join(home, "Library", "Fonts")}
	}
	data := cmp.Or(getenv("XDG_DATA_HOME"), filepath.Join(home, ".local", "share"))
	out := []string{filepath.Join(data, "fonts"), filepath.Join(home, ".fonts")}
	for _, d := range filepath.SplitList(cmp.Or(getenv("XDG_DATA_DIRS"), "/usr/local/share:/usr/share")) {
		out = append(out, filepath.Join(d, "fonts"))
	}
	return out
}
