package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The settings window is a program of its own so that the tray app stays
// small; it must not pull in the capture stack either (it only needs the
// settings, the key store and the uploader for Test).
func TestLinksNoCaptureStack(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range []string{"imagecx/capture", "imagecx/clipboard", "imagecx/encode", "imagecx/shot", "imagecx/daemon", "imagecx/region", "github.com/jezek/xgb"} {
			if pkg == banned || strings.HasPrefix(pkg, banned+"/") {
				t.Errorf("imagecx-settings links %s", pkg)
			}
		}
	}
}
