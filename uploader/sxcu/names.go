package sxcu

import (
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"imagecx/i18n"
)

// ShareX fills "name codes" (%y, %mo, %guid…) into the values of an
// uploader's parameters, headers and arguments, and into its Data, before
// anything else. imagecx fills in those it can know at upload; the rest
// are refused at import, by name, rather than sent as they are written.

// escapedPercent stands for a "\%" while a template is read, so that the
// % it writes is not taken for a name code.
const escapedPercent = "\uE000"

// nameCodes are the codes imagecx fills in.
var nameCodes = []string{"guid", "unix", "mon2", "ms", "mo", "mi", "yy", "y", "d", "h", "s", "pm", "w2", "rn", "ra", "rx", "un", "cn", "n"}

// refusedCodes are ShareX's other codes, and what they stand for.
var refusedCodes = map[string]string{
	"t": i18n.Mark("the active window's title"), "pn": i18n.Mark("the active window's process name"),
	"mon": i18n.Mark("the month's name in the local language (%mon2 is the English one)"),
	"w":   i18n.Mark("the weekday's name in the local language (%w2 is the English one)"),
	"wy":  i18n.Mark("the week of the year"), "i": i18n.Mark("an auto-increment number"), "ia": i18n.Mark("an auto-increment number"),
	"iAa": i18n.Mark("an auto-increment number"), "ib": i18n.Mark("an auto-increment number"), "ix": i18n.Mark("an auto-increment number"),
	"rna": i18n.Mark("random unambiguous characters"), "radjective": i18n.Mark("a random adjective"), "ranimal": i18n.Mark("a random animal"),
	"remoji": i18n.Mark("a random emoji"), "rf": i18n.Mark("a random line from a file"), "width": i18n.Mark("the image's width"),
	"height": i18n.Mark("the image's height"), "uln": i18n.Mark("the user's login name"),
}

// codeAt is the name code s starts with (after its %), the longest one;
// "" when none.
func codeAt(s string) string {
	best := ""
	for _, c := range nameCodes {
		if strings.HasPrefix(s, c) && len(c) > len(best) {
			best = c
		}
	}
	for c := range refusedCodes {
		if strings.HasPrefix(s, c) && len(c) > len(best) {
			best = c
		}
	}
	return best
}

// checkNames says which code in s imagecx cannot fill in.
func checkNames(s string) error {
	for i := strings.IndexByte(s, '%'); i >= 0; i = strings.IndexByte(s, '%') {
		s = s[i+1:]
		c := codeAt(s)
		if why, ok := refusedCodes[c]; ok {
			return i18n.Errorf("%{{.code}} ({{.what}}) is a ShareX name code that imagecx does not fill in (write \\%{{.code}} for the text itself)", "code", c, "what", i18n.Say(why))
		}
	}
	return nil
}

// expandNames fills the name codes of s in, at now.
func expandNames(s string, now time.Time, r *rand.Rand) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i+1:]
		c := codeAt(s)
		if _, refused := refusedCodes[c]; c == "" || refused {
			b.WriteByte('%')
			continue
		}
		b.WriteString(nameValue(c, now, r))
		s = s[len(c):]
	}
}

func nameValue(code string, now time.Time, r *rand.Rand) string {
	const alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	switch code {
	case "y":
		return strconv.Itoa(now.Year())
	case "yy":
		return fmt.Sprintf("%02d", now.Year()%100)
	case "mo":
		return fmt.Sprintf("%02d", int(now.Month()))
	case "mon2":
		return now.Month().String()
	case "d":
		return fmt.Sprintf("%02d", now.Day())
	case "h":
		return fmt.Sprintf("%02d", now.Hour())
	case "mi":
		return fmt.Sprintf("%02d", now.Minute())
	case "s":
		return fmt.Sprintf("%02d", now.Second())
	case "ms":
		return fmt.Sprintf("%03d", now.Nanosecond()/1e6)
	case "pm":
		if now.Hour() < 12 {
			return "AM"
		}
		return "PM"
	case "w2":
		return now.Weekday().String()
	case "unix":
		return strconv.FormatInt(now.Unix(), 10)
	case "rn":
		return strconv.Itoa(r.IntN(10))
	case "ra":
		return string(alnum[r.IntN(len(alnum))])
	case "rx":
		return string("0123456789abcdef"[r.IntN(16)])
	case "guid":
		var g [16]byte
		crand.Read(g[:])
		g[6] = g[6]&0x0f | 0x40
		g[8] = g[8]&0x3f | 0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", g[0:4], g[4:6], g[6:8], g[8:10], g[10:])
	case "un":
		if u, err := user.Current(); err == nil {
			return u.Username[strings.LastIndexByte(u.Username, '\\')+1:] // DOMAIN\user on Windows
		}
	case "cn":
		h, _ := os.Hostname()
		return h
	case "n":
		return "\n"
	}
	return ""
}
