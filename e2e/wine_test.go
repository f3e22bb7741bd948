package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/wine"
	"imagecx/internal/testkit/xvfb"
)

// The Windows-only unit tests, cross-compiled and run under Wine: what the
// Linux build cannot exercise (GDI monitor enumeration, Windows paths).
func TestWindowsUnitTestsUnderWine(t *testing.T) {
	xvfb.Need(t, wine.Tools...)
	x := xvfb.Start(t, 1280, 800)
	prefix := wine.New(t, x.Display)
	for _, c := range []struct {
		pkg   string
		tests []string
	}{
		{"capture", []string{"TestMonitorsManyTimes", "TestWayland"}},
		{"instance", []string{"TestPathOnWindows", "TestPipeHandOff"}},
		{"clipboard", []string{"TestWindowsClipboard", "TestDIBRoundTrip"}},
		{"explain", []string{"TestError"}},
		{"hotkeys/global", []string{"TestWindowsHotkeys", "TestVirtualKey"}},
		{"shot", []string{"TestFoldersOnWindows"}},
		{"autostart", []string{"TestRunValue"}},
		{"history", []string{"TestTheQueueIsTheTable", "TestWritersAtOnce", "TestCorruptHistoryIsRebuilt", "TestOwnersOnWindows"}},
		{"internal/winrt", []string{"TestStrings", "TestMissingClass", "TestCallByPlace"}},
		{"ocr", []string{"TestFindOnWindows", "TestNameOf", "TestBGRAOf"}},
		{"record", []string{"TestMFPlumbing", "TestMFWriter"}},
	} {
		exe := filepath.Join(t.TempDir(), c.pkg+".test.exe")
		build := exec.Command("go", "test", "-c", "-o", exe, "../"+c.pkg)
		build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("build %s's tests for Windows: %v\n%s", c.pkg, err, out)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		out, err := prefix.Run(ctx, exe, "-test.v", "-test.run", "^("+strings.Join(c.tests, "|")+")$")
		cancel()
		if err != nil {
			t.Errorf("%s under Wine: %v\n%s", c.pkg, err, out)
			continue
		}
		for _, name := range c.tests {
			if !strings.Contains(out, "--- PASS: "+name) {
				t.Errorf("%s under Wine: %s did not pass\n%s", c.pkg, name, out)
			}
		}
	}
}
