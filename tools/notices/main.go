// Command notices writes THIRD_PARTY_NOTICES.txt for the packages: the
// licence of every Go module compiled into the programs named, read from
// their build information (internal/notices).
//
//	go run ./tools/notices -o THIRD_PARTY_NOTICES.txt PROGRAM…
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"imagecx/internal/notices"
)

func main() {
	out := flag.String("o", "THIRD_PARTY_NOTICES.txt", "the file to write")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: notices [-o FILE] PROGRAM…")
		os.Exit(2)
	}
	env, err := exec.Command("go", "env", "GOMODCACHE", "GOROOT").Output()
	if err != nil {
		fail(fmt.Errorf("go env: %w", err))
	}
	lines := strings.Split(strings.TrimSpace(string(env)), "\n")
	if len(lines) != 2 {
		fail(fmt.Errorf("go env said %q", env))
	}
	mods, err := notices.Modules(lines[0], lines[1], flag.Args()...)
	if err != nil {
		fail(err)
	}
	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	if err := notices.Write(f, "imagecx", mods); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "notices:", err)
	os.Exit(1)
}
