//go:build !windows

package record

import "os/exec"

// quiet: only Windows opens a window for a console program.
func quiet(cmd *exec.Cmd) *exec.Cmd { return cmd }
