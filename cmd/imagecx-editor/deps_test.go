package main

import (
	"testing"

	"imagecx/internal/testkit/deptest"
)

// The editor draws and writes images; it does not capture the screen.
func TestLinksNoCaptureStack(t *testing.T) { deptest.NoCaptureStack(t, "imagecx-editor") }
