//go:build !windows

package programs

const exeSuffix = ""
