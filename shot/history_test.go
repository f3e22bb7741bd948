package shot

import (
	"context"
	"errors"
	"os"
	"testing"

	"imagecx/clipboard"
	"imagecx/history"
	"imagecx/uploader"
)

// Every job is in the history from the moment it exists, and its upload
// is recorded as it goes.
func TestTheHistoryFollowsEveryJob(t *testing.T) {
	ctx := context.Background()
	p, s := newPipeline(t)
	store, err := history.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	p.History = store
	up := &fakeUploader{fail: map[string]error{}}

	jobs, err := p.Record(ctx, []Job{captured(t, p, s)}, history.FromHotkey, history.Saved)
	job := jobs[0]
	if err != nil || job.ID == 0 {
		t.Fatalf("recorded %+v: %v", job, err)
	}
	e, _ := store.Get(ctx, job.ID)
	if e.State != history.Saved || e.File != job.File || e.Width != 40 || e.Height != 30 || e.SHA256 == "" || e.Source != history.FromHotkey {
		t.Errorf("saved entry %+v", e)
	}
	if _, err := os.Stat(store.ThumbPath(job.ID)); err != nil {
		t.Errorf("no thumbnail: %v", err)
	}

	up.fail[job.Name] = &uploader.Error{Kind: uploader.ErrServer, Status: 502}
	p.Deliver(ctx, Delivery{Client: up}, []Job{job})
	if e, _ := store.Get(ctx, job.ID); e.State != history.Failed || e.Permanent || e.Attempts != 1 || e.Error == "" {
		t.Errorf("after a passing failure %+v", e)
	}
	up.fail[job.Name] = &uploader.Error{Kind: uploader.ErrBadKey}
	p.Deliver(ctx, Delivery{Client: up}, []Job{job})
	if e, _ := store.Get(ctx, job.ID); e.State != history.Failed || !e.Permanent || e.Attempts != 2 {
		t.Errorf("after a rejected key %+v", e)
	}
	delete(up.fail, job.Name)
	p.Deliver(ctx, Delivery{Client: up}, []Job{job})
	if e, _ := store.Get(ctx, job.ID); e.State != history.Uploaded || e.URL == "" || e.Attempts != 3 {
		t.Errorf("after the upload %+v", e)
	}

	// An image from the clipboard is spooled until it is uploaded, and
	// can be read back after a restart.
	clip := &fakeClip{content: clipboard.Content{Kind: clipboard.Image, Image: job.Data, MIME: "image/png"}}
	cjobs, _ := p.FromClipboard(ctx, clip)
	cjobs, _ = p.Record(ctx, cjobs, history.FromClipboard, history.Saved)
	cj := cjobs[0]
	if !store.Spooled(cj.File) {
		t.Fatalf("clipboard image not spooled: %q", cj.File)
	}
	e, _ = store.Get(ctx, cj.ID)
	back, err := JobFrom(e)
	if err != nil || string(back.Data) != string(cj.Data) || !back.FromClipboard || back.ID != cj.ID {
		t.Fatalf("read back: %v", err)
	}
	p.Deliver(ctx, Delivery{Client: up}, []Job{back})
	if _, err := os.Stat(cj.File); !errors.Is(err, os.ErrNotExist) {
		t.Error("the spooled copy outlived its upload")
	}
	if e, _ := store.Get(ctx, cj.ID); e.File != "" || e.State != history.Uploaded {
		t.Errorf("clipboard entry %+v", e)
	}
	if _, err := JobFrom(history.Entry{Name: "gone.png"}); err == nil {
		t.Error("an entry with no file made a job")
	}
}
