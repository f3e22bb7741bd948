// Package explain turns errors into the sentences people read: in
// notifications, on the command line and in the settings window. The
// technical chain (err.Error()) goes to the log; Error says what happened
// and what to do.
//
// It is a leaf: errors that know better say it themselves by implementing
// Explainer (uploader.Error, settings.CorruptError, hotkeys.TakenError…);
// errors of the standard library (files, the network, contexts) are
// explained here.
package explain

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// Sentence capitalises s and ends it with a full stop (or keeps its own
// closing punctuation).
func Sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[size:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, ")") {
		s += "."
	}
	return s
}

// Error is err as a sentence for people; "" for nil.
func Error(err error) string {
	if err == nil {
		return ""
	}
	return Sentence(err.Error())
}
