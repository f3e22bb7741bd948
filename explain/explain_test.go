package explain

import "testing"

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		"the server failed": "The server failed.",
		"émoji ok.":         "Émoji ok.",
		"is it?":            "Is it?",
		" spaced ":          "Spaced.",
		"(in brackets)":     "(in brackets).",
		"x (y.)":            "X (y.)",
		`said "hi."`:        `Said "hi."`,
		"imagecx stopped":   "imagecx stopped.",
	} {
		if got := Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KB", 5 << 20: "5.0 MB", 2_500_000: "2.4 MB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
