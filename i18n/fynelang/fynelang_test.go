package fynelang

import (
	"os"
	"testing"

	"fyne.io/fyne/v2/lang"

	"imagecx/i18n"
)

// fyne's own words follow imagecx's language: Taiwan gets Traditional
// Chinese (fyne 2.7 alone drops the script and serves Simplified), China
// Simplified, Japan Japanese — even where the system's locale is C.
func TestFyneSpeaksTheChosenLanguage(t *testing.T) {
	for _, k := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("LANG", "C")
	for _, l := range []i18n.Lang{i18n.Traditional, i18n.Simplified, i18n.Japanese} {
		Use(l)
		want := i18n.In(l, "Create Folder")
		if got := lang.L("Create Folder"); got != want {
			t.Errorf("%s: fyne says %q, want %q", l, got, want)
		}
	}
	if i18n.In(i18n.Traditional, "Create Folder") == i18n.In(i18n.Simplified, "Create Folder") {
		t.Fatal("the test word is the same in both scripts")
	}
}

func TestOneWeight(t *testing.T) {
	for s, want := range map[string]bool{"Release notes — Editor": true, "發行說明 — 記事本": false, "Bug 2041：crash": false, "Café…": true} {
		if OneWeight(s) != want {
			t.Errorf("OneWeight(%q) = %v", s, !want)
		}
	}
}
