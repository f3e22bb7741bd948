package main

import (
	"testing"

	"imagecx/internal/testkit/deptest"
)

// The settings window needs the settings, the key store and the uploader
// for Test, not the capture stack.
func TestLinksNoCaptureStack(t *testing.T) { deptest.NoCaptureStack(t, "imagecx-settings") }
