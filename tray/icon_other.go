//go:build !windows && !linux

package tray

import "imagecx/assets"

// iconBytes is state's icon as StatusNotifierItem hosts want it: a PNG.
func iconBytes(state assets.State) []byte { return assets.Icon(state, 64) }
