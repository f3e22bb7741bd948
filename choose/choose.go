// Package choose asks the person for files to upload with the desktop's
// own file chooser: the FileChooser portal (GNOME, KDE, sway, and any
// desktop with xdg-desktop-portal), else zenity or kdialog, on Linux;
// the common Open dialog on Windows.
package choose

import (
	"errors"
	"strings"

	"imagecx/i18n"
)

// Errors.
var (
	// ErrCancelled means the person closed the chooser without a file.
	ErrCancelled = errors.New("no file chosen")
	// ErrUnavailable means the desktop has no file chooser imagecx can
	// open.
	ErrUnavailable error = i18n.Errorf("this desktop has no file chooser imagecx can open (xdg-desktop-portal, zenity or kdialog)")
)

// Patterns are the file name patterns of what image.cx takes, for the
// choosers that filter by name.
var Patterns = []string{"*.png", "*.jpg", "*.jpeg", "*.gif", "*.bmp", "*.webp", "*.avif", "*.mp4", "*.mov", "*.webm"}

// Names of the filters (catalog keys).
var (
	filterMedia = i18n.Mark("Images and videos")
	filterAll   = i18n.Mark("All files")
)

// withUpper adds each pattern's upper case (*.PNG), for choosers that
// match names case by case.
func withUpper(p []string) []string {
	out := append([]string(nil), p...)
	for _, s := range p {
		out = append(out, strings.ToUpper(s))
	}
	return out
}

// splitMulti reads the names a chooser returns for several files: the
// folder, then each file's name, each ended by a zero and the list by
// another; or one full path.
func splitMulti(parts []string, join func(elem ...string) string) []string {
	var names []string
	for _, p := range parts {
		if p == "" {
			break
		}
		names = append(names, p)
	}
	if len(names) <= 1 {
		return names
	}
	var paths []string
	for _, n := range names[1:] {
		paths = append(paths, join(names[0], n))
	}
	return paths
}
