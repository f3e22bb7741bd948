package choose

import (
	"path"
	"slices"
	"testing"
)

func TestSplitMulti(t *testing.T) {
	for _, c := range []struct {
		parts, want []string
	}{
		{[]string{"C:\\Users\\ada\\a.png", ""}, []string{"C:\\Users\\ada\\a.png"}},
		{[]string{"/home/ada", "a.png", "b c.mp4", "", "junk"}, []string{"/home/ada/a.png", "/home/ada/b c.mp4"}},
		{[]string{""}, nil},
		{nil, nil},
	} {
		if got := splitMulti(c.parts, path.Join); !slices.Equal(got, c.want) {
			t.Errorf("splitMulti(%q) = %q, want %q", c.parts, got, c.want)
		}
	}
	if got := withUpper([]string{"*.png"}); !slices.Equal(got, []string{"*.png", "*.PNG"}) {
		t.Errorf("withUpper: %q", got)
	}
}
