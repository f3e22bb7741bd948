// Package explain turns errors into the sentences people read: in
// notifications, on the command line and in the settings window. The
// technical chain (err.Error()) goes to the log; Error says what went wrong
// and, where there is something to do, what.
//
// It is a leaf. Errors that know better say it themselves by implementing
// Explainer (uploader.Error, settings.CorruptError, hotkeys.TakenError);
// errors of the standard library (files, contexts) are explained here; the
// rest are shown as they read, tidied.
package explain

import (
	"context"
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"imagecx/i18n"
)

// Explainer is an error that can say itself in words for people.
type Explainer interface {
	Explain() string
}

// Error is err as sentences for people; "" for nil.
func Error(err error) string {
	if err == nil {
		return ""
	}
	var ex Explainer
	if errors.As(err, &ex) {
		if ie, ok := ex.(*i18n.Error); ok {
			local := ie.ExplainWith(Inner)
			// English detail around a catalog message (fmt.Errorf("%w: …")):
			// the detail is kept, the message said in the person's language.
			if outer, en := err.Error(), ie.Error(); outer != en && strings.Contains(outer, en) {
				return Sentence(tidy(strings.Replace(outer, en, local, 1)))
			}
			return Sentence(local)
		}
		return Sentence(ex.Explain())
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return Sentence(pathError(pe))
	}
	switch err {
	case context.Canceled:
		return i18n.T("It was cancelled.")
	case context.DeadlineExceeded:
		return i18n.T("It took too long and was given up.")
	}
	return Sentence(tidy(err.Error()))
}

// Inner is an error inside a sentence: said like Error, without its
// capital (unless it starts with a name) and full stop.
func Inner(err error) string {
	return Lower(strings.TrimSuffix(strings.TrimSuffix(Error(err), "."), "。"))
}

// pathError says what could not be done to a file and why.
func pathError(pe *fs.PathError) string {
	p := pe.Path
	switch {
	case errors.Is(pe.Err, fs.ErrNotExist):
		return i18n.T("{{.file}} does not exist", "file", p)
	case errors.Is(pe.Err, syscall.ENOSPC):
		return i18n.T("The disk is full: {{.file}} could not be written", "file", p)
	case errors.Is(pe.Err, syscall.EDQUOT):
		return i18n.T("Your disk quota is used up: {{.file}} could not be written", "file", p)
	case errors.Is(pe.Err, syscall.EROFS):
		return i18n.T("{{.file}} is on a read-only disk", "file", p)
	case errors.Is(pe.Err, fs.ErrPermission):
		return i18n.T(notAllowed[verb(pe.Op)], "file", p)
	case errors.Is(pe.Err, syscall.EISDIR):
		return i18n.T("{{.file}} is a folder, not a file", "file", p)
	case errors.Is(pe.Err, syscall.ENOTDIR):
		return i18n.T("A part of {{.file}} is a file, not a folder", "file", p)
	case errors.Is(pe.Err, syscall.ENAMETOOLONG):
		return i18n.T("The name {{.file}} is too long", "file", p)
	}
	return i18n.T(couldNot[verb(pe.Op)], "file", p, "why", tidy(pe.Err.Error()))
}

// verb names a file operation: open, read, write, rename, mkdir, delete,
// stat, close, or use for the rest.
func verb(op string) string {
	switch op {
	case "open", "read", "write", "rename", "mkdir", "stat", "close":
		return op
	case "remove", "unlinkat":
		return "delete"
	case "lstat":
		return "stat"
	case "sync":
		return "close"
	}
	return "use"
}

// What could not be done to a file, and what imagecx may not do, by verb.
var (
	couldNot = map[string]string{
		"open":   i18n.Mark("Could not open {{.file}}: {{.why}}"),
		"read":   i18n.Mark("Could not read {{.file}}: {{.why}}"),
		"write":  i18n.Mark("Could not write {{.file}}: {{.why}}"),
		"rename": i18n.Mark("Could not rename {{.file}}: {{.why}}"),
		"mkdir":  i18n.Mark("Could not create the folder {{.file}}: {{.why}}"),
		"delete": i18n.Mark("Could not delete {{.file}}: {{.why}}"),
		"stat":   i18n.Mark("Could not look at {{.file}}: {{.why}}"),
		"close":  i18n.Mark("Could not finish writing {{.file}}: {{.why}}"),
		"use":    i18n.Mark("Could not use {{.file}}: {{.why}}"),
	}
	notAllowed = map[string]string{
		"open":   i18n.Mark("imagecx is not allowed to open {{.file}}"),
		"read":   i18n.Mark("imagecx is not allowed to read {{.file}}"),
		"write":  i18n.Mark("imagecx is not allowed to write {{.file}}"),
		"rename": i18n.Mark("imagecx is not allowed to rename {{.file}}"),
		"mkdir":  i18n.Mark("imagecx is not allowed to create the folder {{.file}}"),
		"delete": i18n.Mark("imagecx is not allowed to delete {{.file}}"),
		"stat":   i18n.Mark("imagecx is not allowed to look at {{.file}}"),
		"close":  i18n.Mark("imagecx is not allowed to finish writing {{.file}}"),
		"use":    i18n.Mark("imagecx is not allowed to use {{.file}}"),
	}
)

// tidy removes what means nothing to people from an error's text: a
// context error's wording at the end, and a part said twice in a row
// ("open x: open x: …").
func tidy(s string) string {
	for _, suffix := range []string{": " + context.DeadlineExceeded.Error(), ": " + context.Canceled.Error()} {
		s = strings.TrimSuffix(s, suffix)
	}
	parts := strings.Split(s, ": ")
	out := parts[:0]
	for i, p := range parts {
		if i > 0 && p == parts[i-1] {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ": ")
}

// Size formats a byte count the way image hosts state their limits:
// "5.0 MB", "740 KB", "12 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 0, 64) + " KB"
	}
	return i18n.N(int(n), "{{.n}} byte", "{{.n}} bytes")
}

// Duration says a wait the way a notification does: "30 s", "2 min",
// "1 hour", "3 days".
func Duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return i18n.T("{{.n}} s", "n", int(d.Round(time.Second).Seconds()))
	case d < time.Hour:
		return i18n.T("{{.n}} min", "n", int(d.Round(time.Minute).Minutes()))
	case d < 48*time.Hour:
		return i18n.N(int(d.Round(time.Hour).Hours()), "{{.n}} hour", "{{.n}} hours")
	}
	return i18n.N(int(d.Round(24*time.Hour).Hours()/24), "{{.n}} day", "{{.n}} days")
}

// Bytes is an exact byte count with thin groups: "5 242 881 bytes".
func Bytes(n int64) string {
	return i18n.T("{{.count}} bytes", "count", Count(n))
}

// Count is a number with its thousands in groups: "1 234", "-5 242 881"
// (a space, which reads the same in every language the app speaks, where
// a comma or a full stop would mean different things).
func Count[N int | int64](n N) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// lowerNames are names written in lower case even at the start of a
// sentence.
var lowerNames = []string{"imagecx", "image.cx", "grim", "slurp", "wl-copy", "wl-paste", "xdg-desktop-portal", "xclip"}

// Sentence capitalises s (unless it starts with a name such as imagecx,
// or a file's)
// and ends it with a full stop, unless it ends with one already (before
// closing quotes or brackets), or with ? or !.
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	lower := false
	for _, n := range lowerNames {
		if strings.HasPrefix(s, n) && (len(s) == len(n) || !unicode.IsLetter(rune(s[len(n)]))) {
			lower = true
		}
	}
	// A file's name (notes.txt: …, /tmp/x: …) is written as it is.
	if first, _, _ := strings.Cut(s, " "); strings.ContainsAny(strings.TrimRight(first, ":,"), "./\\") {
		lower = true
	}
	if !lower {
		r, size := utf8.DecodeRuneInString(s)
		s = string(unicode.ToUpper(r)) + s[size:]
	}
	end := strings.TrimRight(s, `)"'”’）」』`)
	if strings.HasSuffix(end, ".") || strings.HasSuffix(end, "?") || strings.HasSuffix(end, "!") ||
		strings.HasSuffix(end, "。") || strings.HasSuffix(end, "？") || strings.HasSuffix(end, "！") {
		return s
	}
	if strings.IndexFunc(end, wide) >= 0 {
		return s + "。" // a Chinese or Japanese sentence ends with its own stop
	}
	return s + "."
}

// wide says whether r is Chinese or Japanese (Han, kana, or their
// full-width punctuation).
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// Lower puts the first letter of a sentence in lower case, to follow
// "what: " ("big.png: the file is too large"); names and abbreviations
// ("HTTP") stay as they are.
func Lower(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[size:])
	if !unicode.IsUpper(r) || unicode.IsUpper(next) {
		return s
	}
	// A name written in camel case (RequestURL, ErrorMessage) keeps its
	// capital: it is a field's name, not a sentence's first word.
	word, _, _ := strings.Cut(s, " ")
	for _, c := range word[size:] {
		if unicode.IsUpper(c) {
			return s
		}
	}
	return string(unicode.ToLower(r)) + s[size:]
}
