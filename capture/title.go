package capture

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanTitle makes a window title read from the window system fit to show
// and send: Latin-1 (the X STRING type) turned into UTF-8, a character
// cut in half at the end of a bounded read dropped, invalid bytes and
// control characters replaced, runs of spaces made one.
func cleanTitle(b []byte, latin1 bool) string {
	var s string
	if latin1 {
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		s = string(r)
	} else {
		// A character cut at the end: its first bytes are dropped.
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
		s = strings.ToValidUTF8(string(b), "\uFFFD")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
