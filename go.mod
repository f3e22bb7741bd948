module imagecx

go 1.26.0

require (
	fyne.io/systray v1.12.2
	github.com/HugoSmits86/nativewebp v0.9.3
	github.com/godbus/dbus/v5 v5.2.4
	github.com/jezek/xgb v1.1.1
	github.com/klauspost/compress v1.20.4
	github.com/zalando/go-keyring v0.2.8
	golang.org/x/image v0.48.0
	golang.org/x/term v0.48.0
)

require (
	github.com/danieljoos/wincred v1.2.3 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
