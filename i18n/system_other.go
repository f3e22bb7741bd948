//go:build !windows

package i18n

// System is the system's language: on Linux and macOS the environment's.
func System(getenv func(string) string) Lang { return FromEnv(getenv) }
