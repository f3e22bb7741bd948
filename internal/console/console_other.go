//go:build !windows

// Package console runs console programs (ffmpeg, tesseract) from a
// program that may have no console: on Windows, without a console
// window of their own opening.
package console

import "os/exec"

// Hidden: only Windows opens a window for a console program.
func Hidden(cmd *exec.Cmd) *exec.Cmd { return cmd }
