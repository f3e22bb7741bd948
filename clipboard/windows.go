//go:build windows

package clipboard

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/gif" // images handed to SetImage
	_ "image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"time"
	"unicode/utf16"
	"unsafe"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"
	"golang.org/x/sys/windows"

	"imagecx/i18n"
)

// The Windows clipboard, through user32. The system keeps what is copied,
// so a link outlives imagecx. Images are written as PNG (the registered
// "PNG" format, which browsers and editors read) and as CF_DIB (which
// everything reads); reading takes PNG, else a DIB (converted to PNG),
// else files copied in Explorer (CF_HDROP), else text.
// (golang.design/x/clipboard v0.9.0 is not used: every Write leaves a
// goroutine behind that polls the clipboard once a second until it
// changes.)

var (
	user32   = windows.NewLazySystemDLL("user32.dll")
	kernel32 = windows.NewLazySystemDLL("kernel32.dll")
	shell32  = windows.NewLazySystemDLL("shell32.dll")

	procOpenClipboard              = user32.NewProc("OpenClipboard")
	procCloseClipboard             = user32.NewProc("CloseClipboard")
	procEmptyClipboard             = user32.NewProc("EmptyClipboard")
	procGetClipboardData           = user32.NewProc("GetClipboardData")
	procSetClipboardData           = user32.NewProc("SetClipboardData")
	procIsClipboardFormatAvailable = user32.NewProc("IsClipboardFormatAvailable")
	procRegisterClipboardFormatW   = user32.NewProc("RegisterClipboardFormatW")
	procGlobalAlloc                = kernel32.NewProc("GlobalAlloc")
	procGlobalFree                 = kernel32.NewProc("GlobalFree")
	procGlobalLock                 = kernel32.NewProc("GlobalLock")
	procGlobalUnlock               = kernel32.NewProc("GlobalUnlock")
	procGlobalSize                 = kernel32.NewProc("GlobalSize")
	procRtlMoveMemory              = kernel32.NewProc("RtlMoveMemory")
	procDragQueryFileW             = shell32.NewProc("DragQueryFileW")
)

const (
	cfUnicodeText = 13
	cfDIB         = 8
	cfDIBV5       = 17
	cfHDrop       = 15
	gmemMoveable  = 0x0002
)

// Open opens the Windows clipboard; the display name is ignored.
func Open(string) (Conn, error) {
	if err := user32.Load(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	png, _, _ := procRegisterClipboardFormatW.Call(uintptr(unsafe.Pointer(windows.StringToUTF16Ptr("PNG"))))
	return &winClip{png: png}, nil
}

// OpenSession is Open here.
func OpenSession(func(string) string) (Conn, error) { return Open("") }

type winClip struct {
	png uintptr // the registered "PNG" format; 0 if it could not be had
}

var _ Conn = (*winClip)(nil)

// open opens the clipboard on a locked thread (the clipboard belongs to
// the thread that opened it), retrying while another program holds it.
func open(ctx context.Context) (func(), error) {
	runtime.LockOSThread()
	for {
		if r, _, _ := procOpenClipboard.Call(0); r != 0 {
			return func() {
				procCloseClipboard.Call()
				runtime.UnlockOSThread()
			}, nil
		}
		select {
		case <-ctx.Done():
			runtime.UnlockOSThread()
			return nil, fmt.Errorf("another program holds the clipboard: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (c *winClip) SetText(text string) error {
	u := utf16.Encode([]rune(text + "\x00"))
	data := unsafe.Slice((*byte)(unsafe.Pointer(&u[0])), len(u)*2)
	return c.set(map[uintptr][]byte{cfUnicodeText: data})
}

func (c *winClip) SetImage(mime string, data []byte) error {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("clipboard: the %s image cannot be read: %w", mime, err)
	}
	formats := map[uintptr][]byte{cfDIB: toDIB(img)}
	if c.png != 0 {
		if mime != "image/png" {
			var b bytes.Buffer
			if err := png.Encode(&b, img); err == nil {
				data = b.Bytes()
			}
		}
		formats[c.png] = data
	}
	return c.set(formats)
}

// set replaces the clipboard with formats.
func (c *winClip) set(formats map[uintptr][]byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	closeClip, err := open(ctx)
	if err != nil {
		return err
	}
	defer closeClip()
	if r, _, err := procEmptyClipboard.Call(); r == 0 {
		return fmt.Errorf("empty the clipboard: %w", err)
	}
	for format, data := range formats {
		h, _, err := procGlobalAlloc.Call(gmemMoveable, uintptr(len(data)))
		if h == 0 {
			return fmt.Errorf("clipboard memory: %w", err)
		}
		p, _, _ := procGlobalLock.Call(h)
		if len(data) > 0 {
			procRtlMoveMemory.Call(p, uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)))
		}
		procGlobalUnlock.Call(h)
		if r, _, err := procSetClipboardData.Call(format, h); r == 0 {
			procGlobalFree.Call(h)
			return fmt.Errorf("put data on the clipboard: %w", err)
		}
	}
	return nil
}

func (c *winClip) Read(ctx context.Context) (Content, error) {
	closeClip, err := open(ctx)
	if err != nil {
		return Content{}, err
	}
	defer closeClip()
	has := func(f uintptr) bool { r, _, _ := procIsClipboardFormatAvailable.Call(f); return f != 0 && r != 0 }
	if has(c.png) {
		data, err := get(c.png)
		if err == nil && len(data) > 0 {
			return Content{Kind: Image, Image: data, MIME: "image/png"}, nil
		}
		// An application that offered PNG and gave nothing: try its DIB.
	}
	if has(cfDIBV5) || has(cfDIB) {
		f := uintptr(cfDIB)
		if has(cfDIBV5) {
			f = cfDIBV5
		}
		data, err := get(f)
		if err != nil {
			return Content{}, err
		}
		img, err := fromDIB(data)
		if err != nil {
			return Content{}, fmt.Errorf("read the clipboard's image: %w", err)
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			return Content{}, err
		}
		return Content{Kind: Image, Image: b.Bytes(), MIME: "image/png"}, nil
	}
	if has(cfHDrop) {
		if files := dropFiles(); len(files) > 0 {
			return Content{Kind: Files, Files: files}, nil
		}
	}
	if has(cfUnicodeText) {
		data, err := get(cfUnicodeText)
		if err != nil {
			return Content{}, err
		}
		u := unsafe.Slice((*uint16)(unsafe.Pointer(unsafe.SliceData(data))), len(data)/2)
		for i, r := range u {
			if r == 0 {
				u = u[:i]
				break
			}
		}
		if len(u) > 0 {
			return Content{Kind: Text, Text: string(utf16.Decode(u))}, nil
		}
	}
	return Content{Kind: Empty}, nil
}

// get copies the clipboard's data in format (the clipboard is open).
func get(format uintptr) ([]byte, error) {
	h, _, err := procGetClipboardData.Call(format)
	if h == 0 {
		return nil, fmt.Errorf("read the clipboard: %w", err)
	}
	n, _, _ := procGlobalSize.Call(h)
	if n > maxRead {
		return nil, i18n.Errorf("the clipboard holds more than {{.mb}} MB", "mb", maxRead>>20)
	}
	p, _, err := procGlobalLock.Call(h)
	if p == 0 {
		return nil, fmt.Errorf("read the clipboard: %w", err)
	}
	defer procGlobalUnlock.Call(h)
	data := make([]byte, n)
	if n > 0 {
		procRtlMoveMemory.Call(uintptr(unsafe.Pointer(&data[0])), p, n)
	}
	return data, nil
}

// dropFiles lists the files copied in Explorer (the clipboard is open).
func dropFiles() []string {
	h, _, _ := procGetClipboardData.Call(cfHDrop)
	if h == 0 {
		return nil
	}
	n, _, _ := procDragQueryFileW.Call(h, 0xFFFFFFFF, 0, 0)
	var files []string
	for i := uintptr(0); i < n; i++ {
		size, _, _ := procDragQueryFileW.Call(h, i, 0, 0)
		buf := make([]uint16, size+1)
		procDragQueryFileW.Call(h, i, uintptr(unsafe.Pointer(&buf[0])), size+1)
		// Wine's conversion from text/uri-list may leave the line's end.
		if f := strings.TrimRight(windows.UTF16ToString(buf), "\r\n"); f != "" {
			files = append(files, f)
		}
	}
	return files
}

func (c *winClip) Close() error { return nil }

// maxRead bounds what Read accepts (a 4K screenshot as a DIB is 33 MB).
const maxRead = 96 << 20
