package explain

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"imagecx/i18n"
)

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"the server failed":       "The server failed.",
		"émoji ok.":               "Émoji ok.",
		"is it?":                  "Is it?",
		" spaced ":                "Spaced.",
		"(in brackets)":           "(in brackets).",
		"x (y.)":                  "X (y.)",
		`said "hi."`:              `Said "hi."`,
		"imagecx stopped":         "imagecx stopped.",
		"notes.txt: not an image": "notes.txt: not an image.",
		"/tmp/x is gone":          "/tmp/x is gone.",
	} {
		if got := Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Second: "30 s", 2 * time.Minute: "2 min", time.Hour: "1 hour", 3 * time.Hour: "3 hours", 24 * time.Hour: "24 hours", 72 * time.Hour: "3 days"} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 999: "999 bytes", 1000: "1 000 bytes", 5<<20 + 1: "5 242 881 bytes", -1234: "-1 234 bytes"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
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

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1 000", 12345: "12 345", -1234: "-1 234", 1234567: "1 234 567"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCatalogErrorSaysWhatItWraps(t *testing.T) {
	defer i18n.Use(i18n.Current())
	inside := &fs.PathError{Op: "open", Path: "/tmp/x.png", Err: fs.ErrNotExist}
	err := i18n.Errorf("Not saved: {{.why}}", "why", inside)
	i18n.Use(i18n.English)
	if got, want := Error(err), "Not saved: /tmp/x.png does not exist."; got != want {
		t.Errorf("Error = %q, want %q", got, want)
	}
	i18n.Use(i18n.Traditional)
	if got := Error(err); !strings.Contains(got, "/tmp/x.png") || strings.Contains(got, "does not exist") || strings.Contains(got, "Not saved") {
		t.Errorf("in Traditional Chinese both the sentence and what it wraps are translated: %q", got)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("the catalog error wraps the file error")
	}
}

// A catalog error wrapped with English detail keeps the detail; the
// catalog's part is said in the person's language.
func TestCatalogErrorWrappedWithDetail(t *testing.T) {
	defer i18n.Use(i18n.Current())
	inner := i18n.Errorf("the clipboard holds no image")
	err := fmt.Errorf("%w: x.png is a named pipe", inner)
	i18n.Use(i18n.English)
	if got, want := Error(err), "The clipboard holds no image: x.png is a named pipe."; got != want {
		t.Errorf("Error = %q, want %q", got, want)
	}
	i18n.Use(i18n.Traditional)
	if got := Error(err); !strings.Contains(got, "x.png is a named pipe") || !strings.HasPrefix(got, i18n.T("the clipboard holds no image")) {
		t.Errorf("in Traditional Chinese: %q", got)
	}
}
