package tray

import "testing"

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
