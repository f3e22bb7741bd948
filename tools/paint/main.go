// Command paint makes a PNG the root window's background on $DISPLAY and
// keeps it there (for benchmarks against other screenshot tools).
//
//	go run ./tools/paint desktop.png
package main

import (
	"fmt"
	"image/png"
	"os"

	"imagecx/internal/testkit/xvfb"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: paint FILE.png")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	img, err := png.Decode(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := xvfb.Paint(os.Getenv("DISPLAY"), img); err != nil {
		fmt.Fprintln(os.Stderr, "paint:", err)
		os.Exit(1)
	}
}
