// Package deptest checks, in a window program's tests, that the program
// links nothing of the capture stack: the windows are programs of their
// own so the tray app stays small, and they must stay small too.
package deptest

import (
	"os/exec"
	"strings"
	"testing"
)

// captureStack is what no window links.
var captureStack = []string{"imagecx/capture", "imagecx/clipboard", "imagecx/encode", "imagecx/shot", "imagecx/daemon", "imagecx/region", "github.com/jezek/xgb"}

// NoCaptureStack fails t when the package in the current folder (the
// program called name) depends on the capture stack.
func NoCaptureStack(t *testing.T, name string) {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range captureStack {
			if pkg == banned || strings.HasPrefix(pkg, banned+"/") {
				t.Errorf("%s links %s", name, pkg)
			}
		}
	}
}
