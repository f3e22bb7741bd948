package e2e

import (
	"bytes"
	"image/jpeg"
	"os"
	"strings"
	"testing"
	"time"

	"imagecx/internal/refdesk"
	"imagecx/uploader"
)

// A 4K photo or video frame is 20–30 MB as PNG: the host (5 MB) would
// refuse it, as it would refuse the peers' PNG. imagecx converts it.
func TestNoisyScreenIsFittedToTheLimit(t *testing.T) {
	noise := refdesk.Noise(3840, 2160, 7)
	d := newDesk(t, deskOpts{noTray: true, screen: noise})
	d.start()
	d.key("ctrl+shift+1")
	stored := d.waitStored(1, 60*time.Second)
	if len(stored[0].Data) > uploader.MaxSize || stored[0].ContentType != "image/jpeg" {
		t.Fatalf("uploaded %d bytes of %s", len(stored[0].Data), stored[0].ContentType)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(stored[0].Data)); err != nil || cfg.Width == 0 {
		t.Fatalf("not a JPEG: %v", err)
	}
	n := d.notes.Wait(t, 0, 30*time.Second, titled("Uploaded — link copied"))
	if !strings.Contains(n.Body, "to fit 5.0 MB") {
		t.Errorf("the notification does not say what was done: %q", n.Body)
	}
	files := savedCaptures(t, d.u)
	if len(files) != 1 {
		t.Fatalf("saved %v", files)
	}
	if st, _ := os.Stat(files[0]); st.Size() <= uploader.MaxSize {
		t.Errorf("the saved lossless capture is only %d bytes", st.Size())
	}
}
