// Package fynelang makes fyne's own words (its dialogs' buttons, the file
// chooser, an entry's menu) speak the language imagecx speaks, from the
// same catalogs as the rest. Only the window programs link it (fyne is
// not in the tray app).
//
// fyne's lang package picks its language from the system's list (on
// Linux the environment) among the catalogs it has, then looks words up
// by the language alone; it has no Traditional Chinese or Japanese, and
// serves Simplified Chinese to Taiwan. Use gives it the chosen language's
// catalog under each tag it may look up, and names that language in the
// environment it reads. On Windows and macOS it reads the system's list
// itself: fyne's few words follow the system's language there, imagecx's
// the setting.
package fynelang

import (
	"encoding/json"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"imagecx/i18n"
)

// Words are fyne's own catalog keys that show in imagecx's windows.
var Words = []string{
	i18n.Mark("Advanced"), i18n.Mark("Cancel"), i18n.Mark("Confirm"), i18n.Mark("Copy"), i18n.Mark("Create Folder"),
	i18n.Mark("Cut"), i18n.Mark("Enter filename"), i18n.Mark("Error"), i18n.Mark("Favourites"), i18n.Mark("File"),
	i18n.Mark("Folder"), i18n.Mark("New Folder"), i18n.Mark("No"), i18n.Mark("OK"), i18n.Mark("Open"), i18n.Mark("Paste"),
	i18n.Mark("Quit"), i18n.Mark("Redo"), i18n.Mark("Save"), i18n.Mark("Select all"), i18n.Mark("Show Hidden Files"),
	i18n.Mark("Undo"), i18n.Mark("Yes"), i18n.Mark("file.name"), i18n.Mark("file.parent"),
}

// Use makes fyne speak l: call it before the app is made.
func Use(l i18n.Lang) {
	name := locale(l)
	os.Setenv("LANGUAGE", name)
	if c := effective(); c == "" || c == "C" || c == "POSIX" || strings.HasPrefix(c, "C.") {
		// LANGUAGE counts only beside a real locale.
		os.Setenv("LC_ALL", name+".UTF-8")
	}
	// fyne's words only: go-i18n refuses a file with a key such as
	// "description" among the rest.
	words := map[string]string{}
	if l != i18n.English {
		for _, w := range Words {
			words[w] = i18n.In(l, w)
		}
	}
	data, _ := json.Marshal(words) // English: fyne's own; adding nothing makes it choose again
	// fyne 2.7 looks its words up by the language alone ("zh" for zh_TW),
	// which its matcher takes to its own Simplified Chinese: the chosen
	// language's words go under every tag that language may end up as.
	for _, tag := range tags(l) {
		lang.AddTranslationsForLocale(data, fyne.Locale(tag)) // the last one makes fyne choose again
	}
}

// tags are the locale tags fyne may look l's words up under.
func tags(l i18n.Lang) []string {
	switch l {
	case i18n.Traditional, i18n.Simplified:
		return []string{"zh", "zh-Hans", "zh-Hant"}
	case i18n.Japanese:
		return []string{"ja"}
	}
	return []string{"en"}
}

// locale is l as a locale name the environment holds.
func locale(l i18n.Lang) string {
	switch l {
	case i18n.Traditional:
		return "zh_TW"
	case i18n.Simplified:
		return "zh_CN"
	case i18n.Japanese:
		return "ja_JP"
	}
	return "en_US"
}

// effective is the locale the environment sets for messages.
func effective() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// Theme is base with text in one weight where the language's characters
// come from the system's fonts (Chinese, Japanese): fyne finds no bold
// CJK font, and a button's Latin in bold beside its Han in regular reads
// as two weights. Elsewhere it is base.
func Theme(base fyne.Theme) fyne.Theme { return oneWeight{base} }

type oneWeight struct{ fyne.Theme }

func (t oneWeight) Font(s fyne.TextStyle) fyne.Resource {
	if !Latin(i18n.Current()) {
		s.Bold = false
	}
	return t.Theme.Font(s)
}

// Latin says whether l is written with the theme's own font.
func Latin(l i18n.Lang) bool {
	return l != i18n.Traditional && l != i18n.Simplified && l != i18n.Japanese
}

// OneWeight says whether s draws in one weight when bold: none of its
// characters comes from the system's CJK font.
func OneWeight(s string) bool {
	for _, r := range s {
		if r >= 0x2e80 {
			return false
		}
	}
	return true
}
