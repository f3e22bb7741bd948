package tray

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestRecentLabel(t *testing.T) {
	cases := map[string]string{
		"https://image.cx/images/a.png": "1. https://image.cx/images/a.png",
		"https://image.cx/images/2026/11/28/imagecx-2026-11-28_12-34-56-with-a-long-tail.png": "1. https://image.cx/images/2026/1…12-34-56-with-a-long-tail.png",
		"https://i.cx/my_shot.png": "1. https://i.cx/my__shot.png",
	}
	for in, want := range cases {
		if got := RecentLabel(0, in); got != want {
			t.Errorf("RecentLabel(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestTooltip(t *testing.T) {
	if got := Tooltip(""); got != "imagecx — ready" {
		t.Errorf("empty: %q", got)
	}
	long := "the last upload failed and is tried again soon (2 waiting): could not reach 127.0.0.1:1: nothing answers there (connection refused)."
	got := Tooltip(long)
	if n := len(utf16.Encode([]rune(got))); n > 127 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(got, "imagecx — the last upload failed") {
		t.Errorf("long: %d units, %q", n, got)
	}
	if got := Tooltip("link copied"); got != "imagecx — link copied" {
		t.Errorf("short: %q", got)
	}
}
