// Package fynelang makes fyne's own words (its dialogs' buttons, the file
// chooser, an entry's menu) speak the language imagecx speaks, from the
// same catalogs as the rest. Only the window programs link it (fyne is
// not in the tray app).
//
// fyne's lang package picks its language from the system's list (on
// Linux the environment) among the catalogs it has; it has none for
// Traditional Chinese or Japanese, and would serve Simplified Chinese to
// Taiwan. Use gives it imagecx's three catalogs (zh-Hant by that name, so
// zh_TW matches it) and names the chosen language first in the
// environment it reads. On Windows and macOS it reads the system's list
// itself: fyne's few words follow the system's language there, imagecx's
// the setting.
package fynelang

import (
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
	for _, c := range i18n.Langs[1:] {
		if data := i18n.File(c); data != nil {
			lang.AddTranslationsForLocale(data, fyne.Locale(c)) // the last one makes fyne choose again
		}
	}
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
