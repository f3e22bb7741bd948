//go:build linux || freebsd || openbsd || netbsd

package hotkeys

import "os"

func hasX() bool { return os.Getenv("DISPLAY") != "" }
