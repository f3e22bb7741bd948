// Package assets holds imagecx's icons, embedded in the binary.
// Regenerate them with `go generate ./assets`.
package assets

import (
	"embed"
	"fmt"
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
