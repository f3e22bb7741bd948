package main

import (
	"testing"

	"imagecx/internal/testkit/deptest"
)

// The history window needs the history, the uploader's delete and the
// instance socket, not the capture stack.
func TestLinksNoCaptureStack(t *testing.T) { deptest.NoCaptureStack(t, "imagecx-history") }
