//go:build !windows

package uploader

import "syscall"

// The socket errors networkWhy puts in words.
var (
	errConnRefused error = syscall.ECONNREFUSED
	errNetUnreach  error = syscall.ENETUNREACH
	errHostUnreach error = syscall.EHOSTUNREACH
	errConnReset   error = syscall.ECONNRESET
)
