package e2e

import (
	"context"
	"fmt"
	"image"
	"imagecx/internal/testkit/poll"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"imagecx/history"
	"imagecx/internal/testkit/refdesk"
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
			// Presses beyond what the capture worker holds are dropped
			// (and said): the ones taken are all stored.
			const dropped = "too much waiting; the action was dropped"
			poll.Until(b, time.Minute, "every press captured or dropped", func() bool {
				log := d.logText()
				return strings.Count(log, "msg=captured")+strings.Count(log, dropped) >= 20
			})
			n := strings.Count(d.logText(), "msg=captured")
			d.waitStored(n, 2*time.Minute)
			b.ReportMetric(peakMB(b, p), "peak-MB")
			b.ReportMetric(float64(20-n), "dropped")
		}
	})
	// The tray app while it records the 4K screen for 10 s and uploads
	// the video: the frames go to the encoder, a process of its own.
	b.Run("record-10s", func(b *testing.B) {
		for b.Loop() {
			d := newDesk(b, deskOpts{noTray: true})
			p := d.start()
			d.key("ctrl+shift+5")
			d.waitLog("recording starts", 1, 30*time.Second)
			time.Sleep(10 * time.Second)
			d.key("ctrl+shift+5")
			d.waitStored(1, 2*time.Minute)
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

// BenchmarkHistoryWindow opens the history window on ten thousand
// entries (the newest with thumbnails) and reports the time from its
// start to the window showing the count, and its memory then.
func BenchmarkHistoryWindow(b *testing.B) {
	d := newDesk(b, deskOpts{noTray: true})
	fillHistory(b, d.u, 10000)
	store, err := history.Open(context.Background(), filepath.Join(d.u.env["XDG_DATA_HOME"], "imagecx"))
	if err != nil {
		b.Fatal(err)
	}
	thumb := refdesk.Image().SubImage(image.Rect(0, 0, 256, 144))
	for id := int64(10000); id > 9980; id-- {
		store.SaveThumb(id, thumb)
	}
	store.Close()
	var took time.Duration
	var rss float64
	for b.Loop() {
		start := time.Now()
		cmd, _ := d.openHistory("imagecx History (10 000)", time.Minute)
		took = time.Since(start)
		time.Sleep(time.Second) // the first rows drawn, their thumbnails read
		rss = residentMB(b, cmd.Process.Pid)
		cmd.Process.Kill()
		cmd.Wait()
	}
	b.ReportMetric(float64(took.Milliseconds()), "open-ms")
	b.ReportMetric(rss, "RSS-MB")
}

// residentMB is a process's resident memory now, in MB.
func residentMB(b testing.TB, pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkEditorOpen selects the whole 4K reference desktop with
// "Capture region and edit" 5 times and reports how long the editor took
// to show it: from the selection (the tray app's "region chosen") to the
// editor's window up ("editor shown"), median and worst; and the editor's
// peak memory.
func BenchmarkEditorOpen(b *testing.B) {
	for b.Loop() {
		runEditorOpen(b, 5)
	}
}

func runEditorOpen(b *testing.B, n int) {
	d := newDesk(b, deskOpts{noTray: true})
	d.start()
	for i := range n {
		d.key("ctrl+shift+3")
		d.dragRegion(i, image.Pt(0, 0), image.Pt(3839, 2159))
		d.waitLog("editor shown", i+1, 30*time.Second)
		d.tool("xdotool", "mousemove", "100", "100")
		d.key("Escape")
		d.waitLog("editor ended", i+1, 30*time.Second)
	}
	var took []time.Duration
	var chosen time.Time
	peak := 0.0
	for _, l := range strings.Split(d.logText(), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, strings.TrimPrefix(f[0], "time="))
		switch {
		case err != nil:
		case strings.Contains(l, `msg="region chosen"`):
			chosen = at
		case strings.Contains(l, `msg="editor shown"`):
			took = append(took, at.Sub(chosen))
		case strings.Contains(l, `msg="editor ended"`):
			if _, mb, ok := strings.Cut(l, "peak_mb="); ok {
				if v, err := strconv.ParseFloat(strings.Fields(mb)[0], 64); err == nil && v > peak {
					peak = v
				}
			}
		}
	}
	if len(took) != n {
		b.Fatalf("%d editors timed of %d", len(took), n)
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[n/2].Milliseconds()), "median-ms")
	b.ReportMetric(float64(took[n-1].Milliseconds()), "max-ms")
	b.ReportMetric(peak, "editor-peak-MB")
	b.Logf("selection → editor shown, 4K capture, %d times: median %v, max %v; editor peak %.0f MB", n, took[n/2], took[n-1], peak)
}
