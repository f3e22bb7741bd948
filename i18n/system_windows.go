package i18n

import "golang.org/x/sys/windows"

// System is the system's language: on Windows the user's UI languages
// (not the regional format), the first that imagecx speaks; LANG and
// friends when set (an MSYS or Cygwin shell).
func System(getenv func(string) string) Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		if getenv(k) != "" {
			return FromEnv(getenv)
		}
	}
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil {
		return English
	}
	for _, name := range langs {
		if l, ok := Parse(name); ok && l != Pseudo {
			return l
		}
	}
	return English
}
