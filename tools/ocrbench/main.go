// Command ocrbench measures `imagecx ocr` (`make bench`): imagecx's own
// sentences drawn as a screen draws them (12, 14 and 16 px, dark on
// light and light on dark) in each language imagecx speaks, read by the
// imagecx binary given and by the tesseract command run by hand on the
// same PNG with its default settings and the same languages. It prints
// each one's character accuracy and the time they took, and the means.
package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"imagecx/i18n"
	"imagecx/internal/testkit/textimg"
	"imagecx/ocr"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: ocrbench IMAGECX-BINARY")
		os.Exit(2)
	}
	binary := os.Args[1]
	dir, err := os.MkdirTemp("", "ocrbench-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	fmt.Println("OCR: character accuracy (spaces not counted) and time, imagecx ocr against tesseract by hand")
	fmt.Printf("%-8s %5s %-6s %9s %9s %9s %9s\n", "language", "size", "ground", "imagecx", "time", "by hand", "time")
	var ours, theirs float64
	var ourTime, theirTime time.Duration
	n := 0
	for _, l := range i18n.Langs {
		want := strings.Join(textimg.Samples(l), "\n")
		langs := strings.Join(ocr.Wanted(l), "+")
		for _, size := range []float64{12, 14, 16} {
			for _, dark := range []bool{false, true} {
				img, err := textimg.Render(textimg.Samples(l), l, textimg.Style{Size: size, Dark: dark})
				if err != nil {
					fail(err)
				}
				var buf bytes.Buffer
				png.Encode(&buf, img)
				file := filepath.Join(dir, fmt.Sprintf("%s-%v-%v.png", l, size, dark))
				if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
					fail(err)
				}
				got, d1 := run(exec.Command(binary, "ocr", "--lang", langs, file))
				hand, d2 := run(exec.Command("tesseract", file, "-", "-l", langs))
				a, b := ocr.Accuracy(got, want), ocr.Accuracy(hand, want)
				ground := "light"
				if dark {
					ground = "dark"
				}
				fmt.Printf("%-8s %4.0fpx %-6s %8.1f%% %9s %8.1f%% %9s\n", l, size, ground, 100*a, d1.Round(time.Millisecond), 100*b, d2.Round(time.Millisecond))
				ours, theirs, ourTime, theirTime, n = ours+a, theirs+b, ourTime+d1, theirTime+d2, n+1
			}
		}
	}
	fmt.Printf("mean: imagecx %.1f%%, by hand %.1f%%; time imagecx/by hand %.2f×\n", 100*ours/float64(n), 100*theirs/float64(n), float64(ourTime)/float64(theirTime))
}

// run runs cmd and returns what it printed and how long it took.
func run(cmd *exec.Cmd) (string, time.Duration) {
	start := time.Now()
	out, err := cmd.Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", strings.Join(cmd.Args, " "), err)
	}
	return string(out), time.Since(start)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ocrbench:", err)
	os.Exit(1)
}
