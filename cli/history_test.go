package cli

import (
	"strings"
	"testing"
	"time"

	"imagecx/history"
	"imagecx/i18n"
)

// `imagecx history` in Chinese: the states in words of the language, the
// window's title shown as it was, and the columns after the state lined
// up although a Chinese character takes two columns.
func TestHistoryLinesLineUpInChinese(t *testing.T) {
	defer i18n.Use(i18n.Current())
	i18n.Use(i18n.Traditional)
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, time.Local)
	up := historyLine(history.Entry{ID: 1, Created: at, State: history.Uploaded, Bytes: 2048, URL: "https://image.cx/a.png", Window: "測試視窗 — 記事本"})
	failed := historyLine(history.Entry{ID: 2, Created: at, State: history.Failed, Bytes: 2048, Error: "x", Permanent: true})
	if !strings.Contains(up, i18n.T("uploaded")) || !strings.Contains(failed, i18n.T("failed")) || i18n.T("failed") == "failed" {
		t.Fatalf("states not in Chinese:\n%s\n%s", up, failed)
	}
	if !strings.HasSuffix(up, "https://image.cx/a.png  測試視窗 — 記事本") {
		t.Errorf("the title: %q", up)
	}
	col := func(line, s string) int { return columns(line[:strings.Index(line, s)]) }
	if a, b := col(up, "2 KB"), col(failed, "2 KB"); a != b {
		t.Errorf("the size is at column %d and %d:\n%s\n%s", a, b, up, failed)
	}
}

// columns is how many terminal columns s takes.
func columns(s string) int { return len([]rune(pad(s, 0))) + wide(s) }

func wide(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x2e80 {
			n++
		}
	}
	return n
}
