// Command docgen writes the man page and the shell completions that the
// packages install, from the command line's own definitions:
//
//	go run ./tools/docgen -version 1.2.3 -date 2026-12-01 DIR
//
// DIR gets imagecx.1, imagecx.bash, _imagecx (zsh) and imagecx.fish.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"imagecx/cli"
	"imagecx/tools/clidoc"
)

func main() {
	version := flag.String("version", "dev", "the version the man page names")
	date := flag.String("date", "", "the man page's date (YYYY-MM-DD)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: docgen [-version V] [-date D] DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	docs := cli.Docs()
	files := map[string]func(io.Writer) error{
		"imagecx.1":    func(w io.Writer) error { return clidoc.Man(w, docs, *version, *date) },
		"imagecx.bash": func(w io.Writer) error { return clidoc.Bash(w, docs) },
		"_imagecx":     func(w io.Writer) error { return clidoc.Zsh(w, docs) },
		"imagecx.fish": func(w io.Writer) error { return clidoc.Fish(w, docs) },
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err)
	}
	for name, write := range files {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			fail(err)
		}
		if err := write(f); err != nil {
			fail(err)
		}
		if err := f.Close(); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "docgen:", err)
	os.Exit(1)
}
