package shot

import (
	"image"
	"math/rand/v2"
	"strings"
	"testing"

	"imagecx/uploader"
)

func noiseImage(w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(5, 6))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	return img
}

func TestDeliverFitsAnOversizedCapture(t *testing.T) {
	up := &fakeUploader{}
	p, _, notes, _ := setup(t, up)
	p.Screen = fakeScreen{noiseImage(1800, 1200)} // about 6.5 MB as PNG
	job, err := p.CaptureFull(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(job.Data) <= uploader.MaxSize {
		t.Fatalf("the test capture is only %d bytes", len(job.Data))
	}
	out := p.Deliver(t.Context(), []Job{job})
	if out.Err != nil || len(out.Fitted) != 1 || !strings.HasSuffix(up.names[0], ".jpg") {
		t.Fatalf("%v %v %v", out.Err, out.Fitted, up.names)
	}
	if b := notes.notes[0].Body; !strings.Contains(b, "Uploaded as JPEG q") || !strings.Contains(b, "to fit 5.0 MB") {
		t.Errorf("note %q", b)
	}
}
