package choose

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"

	"imagecx/i18n"
)

var (
	comdlg32             = windows.NewLazySystemDLL("comdlg32.dll")
	user32               = windows.NewLazySystemDLL("user32.dll")
	getOpenFileName      = comdlg32.NewProc("GetOpenFileNameW")
	commDlgExtendedError = comdlg32.NewProc("CommDlgExtendedError")
	enumThreadWindows    = user32.NewProc("EnumThreadWindows")
	postMessage          = user32.NewProc("PostMessageW")
	closeEach            = windows.NewCallback(func(hwnd, _ uintptr) uintptr {
		const wmClose = 0x0010
		postMessage.Call(hwnd, wmClose, 0, 0)
		return 1
	})
)

// openFileName is OPENFILENAMEW.
type openFileName struct {
	structSize      uint32
	owner           uintptr
	instance        uintptr
	filter          *uint16
	customFilter    *uint16
	maxCustomFilter uint32
	filterIndex     uint32
	file            *uint16
	maxFile         uint32
	fileTitle       *uint16
	maxFileTitle    uint32
	initialDir      *uint16
	title           *uint16
	flags           uint32
	fileOffset      uint16
	fileExtension   uint16
	defExt          *uint16
	custData        uintptr
	hook            uintptr
	templateName    *uint16
	reserved        uintptr
	reserved2       uint32
	flagsEx         uint32
}

// Files asks for files to upload with Windows' Open dialog, titled title;
// the dialog is closed when ctx ends.
func Files(ctx context.Context, _ func(string) string, title string) ([]string, error) {
	const (
		ofnNoChangeDir      = 0x8
		ofnAllowMultiSelect = 0x200
		ofnPathMustExist    = 0x800
		ofnFileMustExist    = 0x1000
		ofnExplorer         = 0x80000
		ofnDontAddToRecent  = 0x2000000
		bufferChars         = 1 << 16
	)
	filter := i18n.T(filterMedia) + "\x00" + strings.Join(Patterns, ";") + "\x00" + i18n.T(filterAll) + "\x00*.*\x00\x00"
	filterW := utf16.Encode([]rune(filter)) // zeros inside: not UTF16FromString
	titleW, err := windows.UTF16PtrFromString(title)
	if err != nil {
		return nil, err
	}
	buf := make([]uint16, bufferChars)
	ofn := openFileName{filter: &filterW[0], filterIndex: 1, file: &buf[0], maxFile: bufferChars, title: titleW,
		flags: ofnNoChangeDir | ofnAllowMultiSelect | ofnPathMustExist | ofnFileMustExist | ofnExplorer | ofnDontAddToRecent}
	ofn.structSize = uint32(unsafe.Sizeof(ofn))

	// The dialog runs on this thread: closing its windows ends it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tid := windows.GetCurrentThreadId()
	stop := context.AfterFunc(ctx, func() { enumThreadWindows.Call(uintptr(tid), closeEach, 0) })
	ok, _, _ := getOpenFileName.Call(uintptr(unsafe.Pointer(&ofn)))
	stop()
	if ok == 0 {
		if code, _, _ := commDlgExtendedError.Call(); code != 0 {
			return nil, fmt.Errorf("the Open dialog failed (error %#x)", code)
		}
		return nil, ErrCancelled
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return splitMulti(zeroEnded(buf), filepath.Join), nil
}

// zeroEnded reads the strings of buf, each ended by a zero, up to an
// empty one.
func zeroEnded(buf []uint16) []string {
	var parts []string
	start := 0
	for i, c := range buf {
		if c != 0 {
			continue
		}
		if i == start {
			break
		}
		parts = append(parts, windows.UTF16ToString(buf[start:i]))
		start = i + 1
	}
	return parts
}
