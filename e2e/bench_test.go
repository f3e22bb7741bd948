package e2e

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"imagecx/internal/refdesk"
	"imagecx/uploader/cxtest"
)

// BenchmarkHotkeyToLink presses the hotkey 20 times on the 4K reference
// desktop against a loopback fake image.cx and measures from the key press
// (xdotool) to the link on the clipboard (the notification, which is sent
// after the clipboard is set). It reports the median and p95.
func BenchmarkHotkeyToLink(b *testing.B) {
	for b.Loop() {
		runHotkeyToLink(b, 20)
	}
}

func runHotkeyToLink(b *testing.B, n int) {
	d := newDesk(b, deskOpts{noTray: true})
	d.start()
	var took []time.Duration
	for i := range n {
		from := len(d.notes.All())
		start := time.Now()
		d.key("ctrl+shift+1")
		d.notes.Wait(d.t, from, 30*time.Second, titled("Uploaded"))
		took = append(took, time.Since(start))
		d.waitStored(i+1, 10*time.Second)
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Milliseconds()), "median-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Milliseconds()), "p95-ms")
	for _, l := range strings.Split(d.logText(), "\n")[len(strings.Split(d.logText(), "\n"))-8:] {
		b.Log(l)
	}
	b.Logf("hotkey → link over %d captures: median %v, p95 %v, min %v, max %v", n, took[len(took)/2], took[len(took)*95/100], took[0], took[len(took)-1])
}

// BenchmarkPeakMemory reports the tray app's peak resident memory (VmHWM,
// in MB) on the 4K reference desktop: idle; after 20 hotkey presses in a
// burst while a slow server (0.3 s an upload) keeps them queued; and after
// one capture of a 4K noise screen that must be converted to fit 5 MB.
func BenchmarkPeakMemory(b *testing.B) {
	b.Run("idle", func(b *testing.B) {
		for b.Loop() {
			d := newDesk(b, deskOpts{noTray: true})
			p := d.start()
			time.Sleep(2 * time.Second)
			b.ReportMetric(peakMB(b, p), "peak-MB")
		}
	})
	b.Run("20-presses", func(b *testing.B) {
		for b.Loop() {
			d := newDesk(b, deskOpts{noTray: true, server: cxtest.Config{Delay: 300 * time.Millisecond}})
			p := d.start()
			keys := []string{"key", "--delay", "5"}
			for range 20 {
				keys = append(keys, "ctrl+shift+1")
			}
			d.tool("xdotool", keys...)
			d.waitStored(20, 2*time.Minute)
			b.ReportMetric(peakMB(b, p), "peak-MB")
		}
	})
	b.Run("fit-4K-noise", func(b *testing.B) {
		for b.Loop() {
			d := newDesk(b, deskOpts{noTray: true, screen: refdesk.Noise(3840, 2160, 7)})
			p := d.start()
			d.key("ctrl+shift+1")
			d.waitStored(1, 2*time.Minute)
			b.ReportMetric(peakMB(b, p), "peak-MB")
		}
	})
}

// peakMB is the process's peak resident memory so far, in MB.
func peakMB(b testing.TB, p *proc) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmHWM")
	return 0
}
