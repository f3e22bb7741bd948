// Package ocr reads the text in an image — a region of the screen, a
// capture, a file — in the languages the person reads: English, and
// Traditional Chinese, Simplified Chinese or Japanese by the language
// imagecx speaks, where their data is installed.
//
// Screenshots are not the scanned pages OCR engines are made for: their
// text is small (12–16 px), often light on dark, and cut close. Prepare
// makes them what an engine reads well (grey, dark text on light, made
// larger, a margin around), and Tidy takes out what the engine adds (the
// spaces it puts between Chinese characters, empty lines).
//
// The engine is the tesseract command (tesseract-ocr and its language
// packs) where it is installed, on every system; on Windows without it,
// Windows' own text recognition (Windows.Media.Ocr, through package
// winrt).
package ocr

import (
	"context"
	"image"
	"slices"
	"strings"
	"unicode"

	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/notify"
)

// Engine reads text.
type Engine interface {
	// Languages are the engine's installed languages, by tesseract's
	// names ("eng", "chi_tra", "chi_sim", "jpn").
	Languages(ctx context.Context) ([]string, error)
	// Read reads img, prepared, in langs (the first is the main one).
	Read(ctx context.Context, img *image.Gray, langs []string) (string, error)
}

// ErrNoEngine says no OCR engine is installed.
var ErrNoEngine error = i18n.Errorf("no text recognition is installed (install tesseract-ocr)")

// ErrNoText says the image holds no text that could be read.
var ErrNoText error = i18n.Errorf("no text was found there")

// Wanted is the languages to read for someone who reads ui: theirs
// first, then English (UI text mixes it in everywhere).
func Wanted(ui i18n.Lang) []string {
	switch ui {
	case i18n.Traditional:
		return []string{"chi_tra", "eng"}
	case i18n.Simplified:
		return []string{"chi_sim", "eng"}
	case i18n.Japanese:
		return []string{"jpn", "eng"}
	}
	return []string{"eng"}
}

// Missing is a language wanted but not installed.
type Missing struct {
	Lang    string // tesseract's name
	Package string // the Debian package that has it, or where the engine gets it
}

// Name is the language's name for people (a catalog key).
func (m Missing) Name() string {
	switch m.Lang {
	case "chi_tra":
		return i18n.Mark("Traditional Chinese")
	case "chi_sim":
		return i18n.Mark("Simplified Chinese")
	case "jpn":
		return i18n.Mark("Japanese")
	case "eng":
		return i18n.Mark("English")
	}
	return m.Lang
}

// Explain says what is not read and how to have it read.
func (m Missing) Explain() string {
	return i18n.T("{{.lang}} text is not read: its data is not installed ({{.package}}).", "lang", i18n.T(m.Name()), "package", m.Package)
}

// ParseLangs reads languages as tesseract names them, joined by "+"
// ("eng+chi_tra"); an error names one that is not a name.
func ParseLangs(s string) ([]string, error) {
	var out []string
	for _, l := range strings.Split(s, "+") {
		if l == "" || strings.IndexFunc(l, func(r rune) bool { return !(r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) }) >= 0 {
			return nil, i18n.Errorf("\"{{.lang}}\" is not a language name (tesseract's names, joined by +: eng+chi_tra)", "lang", l)
		}
		out = append(out, l)
	}
	return out, nil
}

// Choose is the wanted languages that are installed, and those that are
// not (to say so once); English alone when none is.
func Choose(wanted, installed []string) (use []string, missing []Missing) {
	for _, l := range wanted {
		if slices.Contains(installed, l) {
			use = append(use, l)
		} else {
			missing = append(missing, Missing{l, "tesseract-ocr-" + strings.ReplaceAll(l, "_", "-")})
		}
	}
	if len(use) == 0 {
		use = []string{"eng"}
	}
	return use, missing
}

// Text reads the text in img with e, in the wanted languages (Wanted)
// that are installed; missing says which are not.
func Text(ctx context.Context, e Engine, img image.Image, wanted []string) (text string, missing []Missing, err error) {
	if e == nil {
		return "", nil, ErrNoEngine
	}
	installed, err := e.Languages(ctx)
	if err != nil {
		return "", nil, err
	}
	langs, missing := Choose(wanted, installed)
	if w, ok := e.(interface{ Where(lang string) string }); ok {
		for i := range missing {
			missing[i].Package = w.Where(missing[i].Lang)
		}
	}
	out, err := e.Read(ctx, Prepare(img), langs)
	if err != nil {
		return "", missing, err
	}
	text = Tidy(out)
	if text == "" {
		return "", missing, ErrNoText
	}
	return text, missing, nil
}

// Tidy is the engine's text as a person copies it: no space between two
// Chinese or Japanese characters (engines put one between each), the
// punctuation beside them full-width as it was written (engines read
// "（" as "(" and "，" as ","), no
// spaces at the ends of lines, no more than one empty line in a row,
// none at the start or the end.
func Tidy(s string) string {
	s = strings.ReplaceAll(s, "\f", "")
	var lines []string
	blank := 0
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRightFunc(joinWide(fullWidth(l)), unicode.IsSpace)
		if strings.TrimSpace(l) == "" {
			blank++
			continue
		}
		if blank > 0 && len(lines) > 0 {
			lines = append(lines, "")
		}
		blank = 0
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// fullWidths are the punctuation engines read half-width in Chinese and
// Japanese text, and what it was.
var fullWidths = map[rune]rune{'(': '（', ')': '）', ',': '，', ':': '：', ';': '；', '!': '！', '?': '？'}

// fullWidth makes the half-width punctuation that touches a wide
// character (spaces between not counted) full-width.
func fullWidth(l string) string {
	rs := []rune(l)
	near := func(i, step int) bool {
		for i += step; i >= 0 && i < len(rs); i += step {
			if rs[i] != ' ' {
				return wide(rs[i])
			}
		}
		return false
	}
	for i, r := range rs {
		if f, ok := fullWidths[r]; ok && (near(i, -1) || near(i, 1)) {
			rs[i] = f
		}
	}
	return string(rs)
}

// joinWide drops the spaces between two wide characters (Han, kana,
// full-width punctuation), and between a wide character and the
// punctuation after it.
func joinWide(l string) string {
	rs := []rune(l)
	var out []rune
	for i := 0; i < len(rs); i++ {
		if rs[i] == ' ' && len(out) > 0 && wide(out[len(out)-1]) {
			j := i
			for j < len(rs) && rs[j] == ' ' {
				j++
			}
			if j < len(rs) && wide(rs[j]) {
				i = j - 1
				continue
			}
		}
		out = append(out, rs[i])
	}
	return string(out)
}

func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x30a0 && r <= 0x30ff) || // the katakana block, with its long-vowel mark ー
		(r >= 0x3000 && r <= 0x303f) || // CJK punctuation
		(r >= 0xff00 && r <= 0xffef) // full-width forms
}

// CopiedNote is the notification that text was copied: its first lines.
func CopiedNote(text string) notify.Note {
	return notify.Note{Title: i18n.T("Text copied"), Body: Preview(text, 6, 300), Urgency: notify.Low}
}

// FailedNote says why no text was copied.
func FailedNote(err error) notify.Note {
	return notify.Note{Title: i18n.T("No text copied"), Body: explain.Error(err), Urgency: notify.Critical}
}

// Preview is text's first lines (at most lines of them, and chars
// characters), with "…" where it was cut: what a notification shows.
func Preview(text string, lines, chars int) string {
	ls := strings.Split(text, "\n")
	cut := len(ls) > lines
	ls = ls[:min(len(ls), lines)]
	out := []rune(strings.Join(ls, "\n"))
	if len(out) > chars {
		out, cut = out[:chars], true
	}
	s := strings.TrimRight(string(out), " \n")
	if cut {
		s += "…"
	}
	return s
}

// Accuracy is how much of want got reads right: 1 less the edit
// distance between them over want's length, in characters, spaces not
// counted (the engines and people differ on them, the text does not).
func Accuracy(got, want string) float64 {
	g, w := []rune(noSpace(got)), []rune(noSpace(want))
	if len(w) == 0 {
		if len(g) == 0 {
			return 1
		}
		return 0
	}
	return max(0, 1-float64(distance(g, w))/float64(len(w)))
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// distance is the Levenshtein distance between a and b.
func distance(a, b []rune) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
