//go:build !windows

package programs

// Tray is the program that starts the tray app: imagecx itself.
const Tray = CLI
