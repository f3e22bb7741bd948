package shot

import (
	"context"
	"strings"
	"testing"

	"imagecx/internal/refdesk"

	"imagecx/uploader"
)

func TestDeliverFitsAnOversizedCapture(t *testing.T) {
	up := &fakeUploader{}
	p, s := newPipeline(t)
	p.Screen = fakeScreen{refdesk.Noise(1800, 1200, 5)} // about 6.5 MB as PNG
	job := captured(t, p, s)
	if len(job.Data) <= uploader.MaxSize {
		t.Fatalf("the test capture is only %d bytes", len(job.Data))
	}
	out := p.Deliver(context.Background(), Delivery{Client: up}, []Job{job})
	if out.Err != nil || len(out.Fitted) != 1 || !strings.HasSuffix(up.names[0], ".jpg") {
		t.Fatalf("%v %v %v", out.Err, out.Fitted, up.names)
	}
	if !strings.HasPrefix(out.Fitted[0], "uploaded as JPEG q") || !strings.HasSuffix(out.Fitted[0], "to fit 5.0 MB") {
		t.Errorf("fitted %q", out.Fitted[0])
	}
	out = p.Deliver(context.Background(), Delivery{Client: up, Lossless: true}, []Job{job})
	if out.Err == nil || !strings.Contains(out.Err.Error(), "lossless only") {
		t.Errorf("lossless only: %v", out.Err)
	}
}
