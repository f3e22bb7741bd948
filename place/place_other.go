//go:build !windows && !(linux && !wayland)

package place

// move leaves the window where fyne put it (centred on its screen).
func move(any) {}
