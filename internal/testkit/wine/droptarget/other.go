//go:build !windows

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "droptarget is a Windows program, for the tests under Wine")
	os.Exit(2)
}
