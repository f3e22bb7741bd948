package e2e

import (
	"bytes"
	"image/jpeg"
	"os"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/refdesk"
	"imagecx/uploader"
	"imagecx/uploader/cxtest"
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

// `imagecx upload` refuses an image over the limit and says that --fit
// converts it; with --fit it goes up converted, as from the tray app.
func TestUploadFit(t *testing.T) {
	srv := startServer(t, cxtest.Config{})
	u := newUser(t)
	u.env["IMAGECX_ENDPOINT"], u.env["IMAGECX_API_KEY"] = srv.URL, srv.Key
	big := writePNG(t, u.home, "big.png", 2400, 1600, true)
	if st, _ := os.Stat(big); st.Size() <= 5<<20 {
		t.Fatalf("the noisy PNG is only %d bytes", st.Size())
	}
	r := u.run("", "upload", big)
	if r.code != 1 || !strings.Contains(r.stderr, "too large") || !strings.Contains(r.stderr, "--fit") || len(srv.Requests()) != 0 {
		t.Fatalf("without --fit:\n%s", r)
	}
	r = u.run("", "upload", "--fit", big)
	if r.code != 0 || !strings.Contains(r.stderr, "uploaded as") || !strings.HasPrefix(r.stdout, srv.URL) {
		t.Fatalf("--fit:\n%s", r)
	}
	if up := srv.Stored()[0]; len(up.Data) > 5<<20 || up.ContentType == "image/png" {
		t.Errorf("stored %d bytes of %s", len(up.Data), up.ContentType)
	}
}
