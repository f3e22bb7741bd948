// Command fmactions writes the file managers' imagecx actions a package
// installs for everyone (Dolphin's service menus, Nemo's actions) under
// DIR, as /usr/share holds them: `go run ./tools/fmactions -bin
// /usr/bin/imagecx DIR` (scripts/package.sh).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"imagecx/integrate"
)

func main() {
	bin := flag.String("bin", "/usr/bin/imagecx", "the installed program")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: fmactions [-bin PATH] DIR")
		os.Exit(2)
	}
	for _, f := range integrate.Packaged(*bin) {
		path := filepath.Join(flag.Arg(0), f.Path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "fmactions:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(path, []byte(f.Data), f.Mode); err != nil {
			fmt.Fprintln(os.Stderr, "fmactions:", err)
			os.Exit(1)
		}
		os.Chmod(path, f.Mode) // whatever the umask
	}
}
