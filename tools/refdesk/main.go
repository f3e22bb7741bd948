// Command refdesk writes the reference desktop (internal/testkit/refdesk) as a PNG,
// for the benchmarks against other screenshot tools.
//
//	go run ./tools/refdesk desktop.png
package main

import (
	"fmt"
	"image/png"
	"os"

	"imagecx/internal/testkit/refdesk"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: refdesk FILE.png")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "refdesk:", err)
		os.Exit(1)
	}
}

func write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(f, refdesk.Draw()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
