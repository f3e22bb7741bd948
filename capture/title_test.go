package capture

import (
	"strings"
	"testing"
)

func TestCleanTitle(t *testing.T) {
	euro := []byte(strings.Repeat("a", 1022) + "€") // 1025 bytes: the read of 1024 cuts the €
	for _, c := range []struct {
		in     []byte
		latin1 bool
		want   string
	}{
		{[]byte("Release notes — Editor"), false, "Release notes — Editor"},
		{euro[:1024], false, strings.Repeat("a", 1022)},
		{euro[:1023], false, strings.Repeat("a", 1022)},
		{[]byte("tab\there\nnew\x00line"), false, "tab here new line"},
		{[]byte("bad \xff byte"), false, "bad \uFFFD byte"},
		{[]byte("caf\xe9"), true, "café"},
	} {
		if got := cleanTitle(c.in, c.latin1); got != c.want {
			t.Errorf("cleanTitle(%.20q…) = %.40q…, want %.40q…", c.in, got, c.want)
		}
	}
}
