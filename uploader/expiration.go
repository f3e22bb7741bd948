package uploader

import (
	"regexp"
	"strconv"
	"strings"

	"imagecx/i18n"
)

var (
	isoDuration   = regexp.MustCompile(`^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$`)
	humanDuration = regexp.MustCompile(`^(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?|w|weeks?|mo|months?|y|years?)$`)
)

// ParseExpiration turns "5m", "1h", "1d", "1w", "1mo", "1y", a number of
// seconds or an ISO-8601 duration ("PT5M", "P1D") into the ISO-8601 form the
// API takes. "" and "never" give "" (no expiration). The server clamps the
// value to 5 minutes … 1 year and may ignore it for guests.
func ParseExpiration(s string) (string, error) {
	s = strings.TrimSpace(s)
	low := strings.ToLower(s)
	if low == "" || low == "never" || low == "0" {
		return "", nil
	}
	up := strings.ToUpper(s)
	if isoDuration.MatchString(up) && up != "P" && !strings.HasSuffix(up, "T") {
		return up, nil
	}
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return "PT" + strconv.Itoa(n) + "S", nil
	}
	m := humanDuration.FindStringSubmatch(low)
	if m == nil || m[1] == "0" {
		return "", i18n.Errorf("expiration {{.value}} not understood: use never, 5m, 1h, 1d, 1w, 1mo, 1y or an ISO-8601 duration like PT5M", "value", strconv.Quote(s))
	}
	n := strings.TrimLeft(m[1], "0")
	switch unit := m[2]; {
	case strings.HasPrefix(unit, "mo"):
		return "P" + n + "M", nil
	case strings.HasPrefix(unit, "m"):
		return "PT" + n + "M", nil
	case strings.HasPrefix(unit, "s"):
		return "PT" + n + "S", nil
	case strings.HasPrefix(unit, "h"):
		return "PT" + n + "H", nil
	case strings.HasPrefix(unit, "d"):
		return "P" + n + "D", nil
	case strings.HasPrefix(unit, "w"):
		return "P" + n + "W", nil
	default:
		return "P" + n + "Y", nil
	}
}
