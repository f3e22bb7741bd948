package uploader

import "golang.org/x/sys/windows"

// The socket errors networkWhy puts in words: Winsock's own numbers, which
// syscall's ECONN… constants do not match on Windows.
var (
	errConnRefused error = windows.WSAECONNREFUSED
	errNetUnreach  error = windows.WSAENETUNREACH
	errHostUnreach error = windows.WSAEHOSTUNREACH
	errConnAborted error = windows.WSAECONNABORTED
	errConnReset   error = windows.WSAECONNRESET
)
