package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"
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
