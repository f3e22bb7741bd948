package tray

import "imagecx/assets"

// iconBytes is state's icon as the Windows tray wants it: an ICO.
func iconBytes(state assets.State) []byte { return assets.ICO(state) }
