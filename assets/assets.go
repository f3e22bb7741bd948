// Package assets holds imagecx's icons, embedded in the binary.
// Regenerate them with `go generate ./assets`.
package assets

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
)

//go:generate go run ./internal/gen -o .

//go:embed icon-*.png imagecx-256.png
var files embed.FS

// State is what the tray icon shows.
type State string

const (
	Idle  State = "idle"
	Busy  State = "busy"
	Error State = "error"
	// Recording: the screen is being recorded.
	Recording State = "recording"
)

// Icon returns the PNG of state at size 16, 32 or 64 pixels.
func Icon(state State, size int) []byte {
	b, err := files.ReadFile(fmt.Sprintf("icon-%s-%d.png", state, size))
	if err != nil {
		panic(fmt.Sprintf("assets: no icon %s/%d", state, size)) // a build without the files is broken
	}
	return b
}

// AppIcon is the 256-pixel application icon.
func AppIcon() []byte {
	b, _ := files.ReadFile("imagecx-256.png")
	return b
}

// IconFile is the application's icon as a file in dir (the data folder),
// for notifications, written once; "" when it cannot be written.
func IconFile(dir string) string {
	path := filepath.Join(dir, "imagecx.png")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	os.MkdirAll(dir, 0o700)
	if err := os.WriteFile(path, AppIcon(), 0o600); err != nil {
		return ""
	}
	return path
}
