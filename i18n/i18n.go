// Package i18n speaks the person's language: every string a person reads
// goes through T (or N for counts), whose key is the English text with
// {{.name}} placeholders, and the catalogs in catalog/ (one JSON file per
// language, key to text, or to {"one", "other"} for counts; the same
// files serve the fyne windows — fyne's own words too, through package
// fynelang —, the tray app, its notifications and the command line) hold
// the translations. The log stays English: it is for bug reports.
//
// The languages are English (the source), Traditional Chinese (zh-Hant:
// Taiwan, Hong Kong, Macao), Simplified Chinese (zh-Hans: China,
// Singapore) and Japanese. Which one: IMAGECX_LANGUAGE, else the Language
// setting, else the system's (Linux: LANGUAGE, LC_ALL, LC_MESSAGES, LANG
// in GNU gettext's order; Windows: the user's UI language).
//
// The language is the process's: Use sets it at start (and when the
// settings change); T reads it. A pseudo-language (qps) turns every
// string it translates into a marked, accented one, so a test can find
// the strings that do not go through the catalog.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// Lang is a language imagecx speaks.
type Lang string

// The languages.
const (
	English     Lang = "en"
	Traditional Lang = "zh-Hant" // 繁體中文
	Simplified  Lang = "zh-Hans" // 简体中文
	Japanese    Lang = "ja"      // 日本語
	// Pseudo marks and accents every translated string (for tests).
	Pseudo Lang = "qps"
)

// Langs are the languages a person can choose, in the order offered.
var Langs = []Lang{English, Traditional, Simplified, Japanese}

// Name is the language's name in itself.
func (l Lang) Name() string {
	switch l {
	case Traditional:
		return "繁體中文"
	case Simplified:
		return "简体中文"
	case Japanese:
		return "日本語"
	case Pseudo:
		return "Ƥšéúďö"
	}
	return "English"
}

// EnvLanguage overrides the setting and the system (scripts, tests).
const EnvLanguage = "IMAGECX_LANGUAGE"

// Parse reads a language from a setting ("zh-Hant", "ja") or a locale
// name ("zh_TW.UTF-8", "zh_HK", "ja_JP", "zh-Hans-CN", "en_GB"); ok is
// false for one imagecx does not speak (and for C and POSIX).
func Parse(s string) (Lang, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i] // the encoding, the modifier
	}
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '_' || r == '-' })
	if len(parts) == 0 {
		return "", false
	}
	switch parts[0] {
	case "en":
		return English, true
	case "ja":
		return Japanese, true
	case "qps":
		return Pseudo, true
	case "zh":
		for _, p := range parts[1:] {
			switch p {
			case "hant", "tw", "hk", "mo":
				return Traditional, true
			case "hans", "cn", "sg", "my":
				return Simplified, true
			}
		}
		return Simplified, true // plain "zh" is most often China's
	}
	return "", false
}

// FromEnv is the language the environment asks for, as GNU gettext reads
// it: LANGUAGE (a list, first match; ignored when the locale is C), then
// the first of LC_ALL, LC_MESSAGES and LANG that is set. English when it
// names no language imagecx speaks.
func FromEnv(getenv func(string) string) Lang {
	locale := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(k); locale != "" {
			break
		}
	}
	if base, _, _ := strings.Cut(locale, "."); base != "C" && base != "POSIX" {
		for _, l := range strings.Split(getenv("LANGUAGE"), ":") {
			if lang, ok := Parse(l); ok && lang != Pseudo {
				return lang
			}
		}
	}
	if lang, ok := Parse(locale); ok && lang != Pseudo {
		return lang
	}
	return English
}

// Choose is the language to speak: IMAGECX_LANGUAGE, else the setting
// ("" or "system": the system's), else the system's.
func Choose(setting string, getenv func(string) string) Lang {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if l, ok := Parse(getenv(EnvLanguage)); ok {
		return l
	}
	if l, ok := Parse(setting); ok {
		return l
	}
	return System(getenv)
}

var current atomic.Pointer[Lang]

// Use makes l the language of this process's strings from now on.
func Use(l Lang) { current.Store(&l) }

// Current is the process's language (English until Use).
func Current() Lang {
	if l := current.Load(); l != nil {
		return *l
	}
	return English
}

// T is the person's language's text for key (the English text), with
// args as name, value pairs filling its {{.name}} placeholders.
func T(key string, args ...any) string { return In(Current(), key, args...) }

// In is T in language l.
func In(l Lang, key string, args ...any) string {
	text := key
	if l == Pseudo {
		text = pseudo(key)
	} else if e, ok := catalog(l)[key]; ok && e.Other != "" {
		text = e.Other
	}
	return fill(l, text, args)
}

// N is T for a count: one is the English text for n == 1, other for the
// rest; n is also given as {{.n}}. (Chinese and Japanese have one form.)
func N(n int, one, other string, args ...any) string {
	l := Current()
	key := other
	if n == 1 {
		key = one
	}
	args = append([]any{"n", n}, args...)
	switch {
	case l == Pseudo:
		return fill(l, pseudo(key), args)
	case l == English:
		return fill(l, key, args)
	}
	if e, ok := catalog(l)[other]; ok && e.Other != "" {
		return fill(l, e.Other, args)
	}
	return fill(l, key, args)
}

// Mark marks key as a catalog message that is translated later (with T,
// from a variable): it returns key as it is.
func Mark(key string) string { return key }

// fill replaces each {{.name}} by its value (a Text said in l).
func fill(l Lang, text string, args []any) string {
	if len(args) == 0 || !strings.Contains(text, "{{") {
		return text
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		v := fmt.Sprint(args[i+1])
		if t, ok := args[i+1].(Text); ok {
			v = t.In(l)
		}
		pairs = append(pairs, "{{."+fmt.Sprint(args[i])+"}}", v)
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// Error is a catalog message as an error: Error is the English text (for
// the log), Explain the person's language (explain.Error uses it).
type Error struct {
	key  string
	args []any
	err  error // wrapped, for errors.Is
}

// Errorf is an error whose text is the catalog message key, filled with
// args (name, value pairs); a value that is an error is also what the
// error wraps.
func Errorf(key string, args ...any) *Error {
	e := &Error{key: key, args: args}
	for i := 1; i < len(args); i += 2 {
		if err, ok := args[i].(error); ok && e.err == nil {
			e.err = err
		}
	}
	return e
}

func (e *Error) Error() string   { return In(English, e.key, e.args...) }
func (e *Error) Explain() string { return e.ExplainWith(nil) }

// ExplainWith is Explain with each error among the arguments said by say
// (package explain passes its Error, which knows files and networks); an
// error with an Explain method of its own is said by it when say is nil.
func (e *Error) ExplainWith(say func(error) string) string {
	args := append([]any(nil), e.args...)
	for i := 1; i < len(args); i += 2 {
		err, ok := args[i].(error)
		if !ok {
			continue
		}
		var ex interface{ Explain() string }
		switch {
		case say != nil:
			args[i] = say(err)
		case errors.As(err, &ex):
			args[i] = ex.Explain()
		default:
			continue
		}
		args[i] = strings.TrimSuffix(strings.TrimSuffix(args[i].(string), "."), "。")
	}
	return T(e.key, args...)
}
func (e *Error) Unwrap() error { return e.err }

// Text is the error's message as a Text, to be said as part of another.
func (e *Error) Text() Text { return Text{Key: e.key, Args: e.args} }

// Text is a catalog message with its values, said later: String is the
// English (for the log), Local the person's language. A Text among a
// message's values is said in that message's language.
type Text struct {
	Key  string
	Args []any
	list []Text // a list (Join) instead of one message
}

// Say is the message key with args (name, value pairs), to be said later.
func Say(key string, args ...any) Text { return Text{Key: key, Args: args} }

// Join is texts as one list: "images, files" in English, "圖片、檔案" in
// Chinese and Japanese.
func Join(texts ...Text) Text { return Text{list: texts} }

// IsZero says whether t is no message.
func (t Text) IsZero() bool { return t.Key == "" && len(t.list) == 0 }

func (t Text) String() string { return t.In(English) }

// Local is t in the person's language.
func (t Text) Local() string { return t.In(Current()) }

// In is t in language l.
func (t Text) In(l Lang) string {
	if t.list == nil {
		return In(l, t.Key, t.Args...)
	}
	sep := ", "
	if l == Traditional || l == Simplified || l == Japanese {
		sep = "、"
	}
	out := make([]string, len(t.list))
	for i, x := range t.list {
		out[i] = x.In(l)
	}
	return strings.Join(out, sep)
}

// Map is t with f applied to its text values (to take secrets out).
func (t Text) Map(f func(string) string) Text {
	if t.list != nil {
		out := make([]Text, len(t.list))
		for i, x := range t.list {
			out[i] = x.Map(f)
		}
		return Text{list: out}
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		if s, ok := a.(string); ok && i%2 == 1 {
			a = f(s)
		}
		args[i] = a
	}
	return Text{Key: t.Key, Args: args}
}

// entry is a catalog's message: other, and one for languages that have
// a form for one.
type entry struct {
	One, Other string
}

func (e *entry) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.Other)
	}
	var forms struct{ One, Other string }
	if err := json.Unmarshal(b, &forms); err != nil {
		return err
	}
	e.One, e.Other = forms.One, forms.Other
	return nil
}

//go:embed catalog/*.json
var files embed.FS

var (
	catalogs   = map[Lang]map[string]entry{}
	catalogsMu sync.Mutex
)

// catalog is language l's messages by key (read once).
func catalog(l Lang) map[string]entry {
	catalogsMu.Lock()
	defer catalogsMu.Unlock()
	if c, ok := catalogs[l]; ok {
		return c
	}
	c := map[string]entry{}
	if data, err := files.ReadFile("catalog/" + string(l) + ".json"); err == nil {
		if err := json.Unmarshal(data, &c); err != nil {
			panic(fmt.Sprintf("i18n: the catalog %s.json is broken: %v", l, err)) // a test reads every catalog
		}
	}
	catalogs[l] = c
	return c
}

// pseudo is key marked and accented, its placeholders kept.
func pseudo(key string) string {
	const from = "aceinousyACEINOUSY"
	to := []rune("áçéîñöûšýÁÇÉÎÑÖÛŠÝ")
	var b strings.Builder
	b.WriteString("⟦")
	for i := 0; i < len(key); {
		if strings.HasPrefix(key[i:], "{{") {
			end := strings.Index(key[i:], "}}")
			if end > 0 {
				b.WriteString(key[i : i+end+2])
				i += end + 2
				continue
			}
		}
		r := rune(key[i])
		if j := strings.IndexRune(from, r); j >= 0 && r < 0x80 {
			b.WriteRune(to[j])
		} else {
			b.WriteByte(key[i])
		}
		i++
	}
	b.WriteString("⟧")
	return b.String()
}
