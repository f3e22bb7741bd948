// Command stand stands, under Wine, for a program of the machine Wine
// runs on (package hostprog): built for Windows as ffmpeg.exe, say, it
// runs the real ffmpeg through the test's hostprog.Serve.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"imagecx/internal/testkit/wine/hostprog"
)

func main() {
	// Where the program it stands for is served: by its own name
	// (IMAGECX_TEST_HOSTPROG_FFMPEG for ffmpeg.exe).
	name := strings.TrimSuffix(strings.ToUpper(filepath.Base(os.Args[0])), ".EXE")
	env := hostprog.EnvAddr + "_" + name
	addr := os.Getenv(env)
	if addr == "" {
		fmt.Fprintln(os.Stderr, "stand: "+env+" is not set (it stands for a program in the tests under Wine)")
		os.Exit(2)
	}
	code, err := hostprog.Run(addr, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stand:", err)
		os.Exit(2)
	}
	os.Exit(code)
}
