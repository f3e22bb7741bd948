//go:build !linux && !darwin && !windows

package settings

func keyringName() string { return "keyring" }
