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
		return Sentence(ex.Explain())
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return Sentence(pathError(pe))
	}
	switch err {
	case context.Canceled:
		return "It was cancelled."
	case context.DeadlineExceeded:
		return "It took too long and was given up."
	}
	return Sentence(tidy(err.Error()))
}

// pathError says what could not be done to a file and why.
func pathError(pe *fs.PathError) string {
	p := pe.Path
	switch {
	case errors.Is(pe.Err, fs.ErrNotExist):
		return p + " does not exist"
	case errors.Is(pe.Err, syscall.ENOSPC):
		return "The disk is full: " + p + " could not be written"
	case errors.Is(pe.Err, syscall.EDQUOT):
		return "Your disk quota is used up: " + p + " could not be written"
	case errors.Is(pe.Err, syscall.EROFS):
		return p + " is on a read-only disk"
	case errors.Is(pe.Err, fs.ErrPermission):
		return "imagecx is not allowed to " + verb(pe.Op) + " " + p
	case errors.Is(pe.Err, syscall.EISDIR):
		return p + " is a folder, not a file"
	case errors.Is(pe.Err, syscall.ENOTDIR):
		return "A part of " + p + " is a file, not a folder"
	case errors.Is(pe.Err, syscall.ENAMETOOLONG):
		return "The name " + p + " is too long"
	}
	return "Could not " + verb(pe.Op) + " " + p + ": " + tidy(pe.Err.Error())
}

// verb names a file operation in words.
func verb(op string) string {
	switch op {
	case "open", "read", "write", "rename":
		return op
	case "mkdir":
		return "create the folder"
	case "remove", "unlinkat":
		return "delete"
	case "stat", "lstat":
		return "look at"
	case "sync", "close":
		return "finish writing"
	}
	return "use"
}

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
	return strconv.FormatInt(n, 10) + " bytes"
}

// Duration says a wait the way a notification does: "30 s", "2 min",
// "1 hour", "3 days".
func Duration(d time.Duration) string {
	plural := func(n int, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + one + "s"
	}
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Round(time.Second).Seconds())) + " s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Round(time.Minute).Minutes())) + " min"
	case d < 48*time.Hour:
		return plural(int(d.Round(time.Hour).Hours()), "hour")
	}
	return plural(int(d.Round(24*time.Hour).Hours()/24), "day")
}

// Bytes is an exact byte count with thin groups: "5 242 881 bytes".
func Bytes(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String() + " bytes"
	}
	return b.String() + " bytes"
}

// lowerNames are names written in lower case even at the start of a
// sentence.
var lowerNames = []string{"imagecx", "image.cx", "grim", "slurp", "wl-copy", "wl-paste", "xdg-desktop-portal", "xclip"}

// Sentence capitalises s (unless it starts with a name such as imagecx)
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
	if !lower {
		r, size := utf8.DecodeRuneInString(s)
		s = string(unicode.ToUpper(r)) + s[size:]
	}
	if end := strings.TrimRight(s, `)"'”’`); !strings.HasSuffix(end, ".") && !strings.HasSuffix(end, "?") && !strings.HasSuffix(end, "!") {
		s += "."
	}
	return s
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
