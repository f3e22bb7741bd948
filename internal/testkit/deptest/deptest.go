// Package deptest checks, in a window program's tests, that the program
// links nothing of the capture stack: the windows are programs of their
// own so the tray app stays small, and they must stay small too.
package deptest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// captureStack is what no window links.
var captureStack = []string{"imagecx/capture", "imagecx/clipboard", "imagecx/encode", "imagecx/shot", "imagecx/daemon", "imagecx/region", "imagecx/internal/xconn", "imagecx/internal/win32", "github.com/jezek/xgb"}

// NoCaptureStack fails t when the package in the current folder (the
// program called name) depends on the capture stack, as built for Linux
// or for Windows.
func NoCaptureStack(t *testing.T, name string) {
	t.Helper()
	for _, goos := range []string{"linux", "windows"} {
		list := exec.Command("go", "list", "-deps", ".")
		list.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=1")
		out, err := list.Output()
		if err != nil {
			t.Fatalf("go list for %s: %v", goos, err)
		}
		pkgs := strings.Fields(string(out))
		if len(pkgs) < 10 {
			t.Fatalf("go list for %s named only %v", goos, pkgs)
		}
		for _, pkg := range pkgs {
			for _, banned := range captureStack {
				if pkg == banned || strings.HasPrefix(pkg, banned+"/") {
					t.Errorf("%s for %s links %s", name, goos, pkg)
				}
			}
		}
	}
}
