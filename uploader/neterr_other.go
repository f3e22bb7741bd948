//go:build !windows

package uploader

import "syscall"

// The socket errors networkWhy puts in words.
var (
	errConnRefused error = syscall.ECONNREFUSED
	errNetUnreach  error = syscall.ENETUNREACH
	errHostUnreach error = syscall.EHOSTUNREACH
	errConnAborted error = syscall.EPIPE
	errConnReset   error = syscall.ECONNRESET
)
