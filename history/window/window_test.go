package window

import (
	"context"
	"database/sql"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"imagecx/history"
	"imagecx/i18n"
	"imagecx/internal/testkit/poll"
	"imagecx/uploader"

	_ "modernc.org/sqlite"
)

type fakeLaunch struct {
	mu     sync.Mutex
	opened []string
}

func (f *fakeLaunch) URL(link string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, link)
	return nil
}
func (f *fakeLaunch) Folder(file string) error { return f.URL("folder:" + filepath.Dir(file)) }
func (f *fakeLaunch) last() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.opened[len(f.opened)-1]
}

type harness struct {
	dir     string
	w       *Window
	store   *history.Store
	launch  *fakeLaunch
	copied  string
	deleted []string
	queued  int
	title   string
	edited  []string
	mu      sync.Mutex

	// What the window runs on fyne's thread waits here for the test's
	// goroutine (settle): fyne's test driver would run it at once on the
	// window's own goroutines, beside the test's.
	uiMu sync.Mutex
	ui   []func()
}

// newHarness opens a history of n entries: every third failed, the rest
// uploaded with a delete link; entry 1's window title is "Release notes —
// Editor" and it has a file and a thumbnail.
func newHarness(t *testing.T, n int) *harness {
	test.NewTempApp(t)
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "imagecx-window-test-")
	t.Cleanup(func() { os.RemoveAll(dir) })
	store, err := history.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	file := filepath.Join(dir, "first.png")
	os.WriteFile(file, []byte("png"), 0o600)
	var entries []history.Entry
	day := time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)
	for i := 1; i <= n; i++ {
		e := history.Entry{Created: day.Add(time.Duration(i) * time.Minute), Source: history.FromHotkey, Name: fmt.Sprintf("imagecx-%d.png", i),
			Bytes: int64(1000 * i), Width: 3840, Height: 2160, State: history.Uploaded,
			URL: fmt.Sprintf("https://i.cx/images/%d.png", i), ViewerURL: fmt.Sprintf("https://i.cx/image/%d", i), DeleteURL: fmt.Sprintf("https://i.cx/image/%d/delete/00", i)}
		if i%3 == 0 {
			e.State, e.URL, e.ViewerURL, e.DeleteURL, e.Error, e.Permanent = history.Failed, "", "", "", "The server failed.", true
		}
		if i == 1 {
			e.Window, e.File = "Release notes — Editor", file
		}
		entries = append(entries, e)
	}
	if err := store.Import(ctx, entries); err != nil {
		t.Fatal(err)
	}
	store.SaveThumb(1, image.NewRGBA(image.Rect(0, 0, 16, 9)))
	h := &harness{dir: dir, store: store, launch: &fakeLaunch{}}
	h.w = New(Deps{
		Store: store, Launch: h.launch, Link: uploader.LinkURL,
		Copy:  func(s string) { h.copied = s },
		Queue: func(context.Context) error { h.queued++; return nil },
		Delete: func(_ context.Context, u string) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.deleted = append(h.deleted, u)
			return nil
		},
		SetTitle: func(s string) { h.title = s },
		OnThread: func(f func()) {
			h.uiMu.Lock()
			defer h.uiMu.Unlock()
			h.ui = append(h.ui, f)
		},
		Edit: func(file string) error { h.edited = append(h.edited, file); return nil },
	})
	test.NewWindow(h.w.Content)
	t.Cleanup(h.w.Close)
	h.settle(t)
	return h
}

// drain runs, on the test's goroutine, what the window has handed to
// fyne's thread so far; it reports whether there was anything.
func (h *harness) drain() bool {
	h.uiMu.Lock()
	fs := h.ui
	h.ui = nil
	h.uiMu.Unlock()
	for _, f := range fs {
		f()
	}
	return len(fs) > 0
}

// settle waits until what the window asked of the history shows.
func (h *harness) settle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ran := h.drain()
		if !ran && h.w.busy.Load() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the window's calls to the history did not end")
		}
		if !ran {
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// index is the list index of the entry with id (newest first).
func (h *harness) index(t *testing.T, n int, id int64) int { return n - int(id) }

func TestListSearchAndFilter(t *testing.T) {
	h := newHarness(t, 30)
	if h.title != "imagecx History (30)" || h.w.length() != 30 {
		t.Fatalf("title %q, %d rows", h.title, h.w.length())
	}
	if e, _ := h.w.at(0); e.ID != 30 {
		t.Errorf("newest first: %d", e.ID)
	}
	h.w.Search("editor")
	h.settle(t)
	if h.title != "imagecx History (1 of 30)" {
		t.Errorf("after searching: %q", h.title)
	}
	if e, _ := h.w.at(0); heading(e) != "Release notes — Editor" || !strings.Contains(summary(e), "3840×2160") {
		t.Errorf("found %q %q", heading(e), summary(e))
	}
	h.w.Search("")
	h.w.filter.SetSelected("Failed")
	h.settle(t)
	if h.w.length() != 10 {
		t.Errorf("failed: %d", h.w.length())
	}
	if e, _ := h.w.at(0); !strings.HasPrefix(stateWords(e), "failed: the server failed") {
		t.Errorf("state words %q", stateWords(e))
	}
}

func TestActionsOnTheSelected(t *testing.T) {
	h := newHarness(t, 30)
	h.w.Select(h.index(t, 30, 1))
	if h.w.current.ID != 1 || h.w.link.Text != "https://i.cx/images/1.png" || h.w.preview.File == "" {
		t.Fatalf("selected %d, link %q, preview %q", h.w.current.ID, h.w.link.Text, h.w.preview.File)
	}
	h.w.CopyLink()
	if h.copied != "https://i.cx/images/1.png" {
		t.Errorf("copied %q", h.copied)
	}
	h.w.format.SetSelected(uploader.LinkMarkdown.Label())
	h.w.CopyLink()
	if !strings.HasPrefix(h.copied, "![") {
		t.Errorf("markdown copied %q", h.copied)
	}
	h.w.OpenLink()
	if h.launch.last() != "https://i.cx/images/1.png" {
		t.Errorf("opened %q", h.launch.last())
	}
	h.w.ShowFolder()
	if !strings.HasPrefix(h.launch.last(), "folder:") {
		t.Errorf("folder %q", h.launch.last())
	}
	h.w.EditFile()
	if len(h.edited) != 1 || h.edited[0] != h.w.current.File {
		t.Errorf("edited %q", h.edited)
	}
	h.w.UploadAgain()
	h.settle(t)
	if e, _ := h.store.Get(context.Background(), 1); e.State != history.Saved || h.queued != 1 {
		t.Errorf("upload again: %s, queued %d", e.State, h.queued)
	}

	// Delete (asked, and yes: no window to ask in) and Remove.
	h.w.Select(h.index(t, 30, 2))
	if !h.w.buttons[btnFile].Disabled() || !h.w.buttons[btnEdit].Disabled() {
		t.Error("Open file or Edit enabled for an entry with no file")
	}
	h.w.AskDelete()
	poll.Until(t, 5*time.Second, "the delete", func() bool {
		e, _ := h.store.Get(context.Background(), 2)
		return e.State == history.Deleted
	})
	h.settle(t)
	if len(h.deleted) != 1 || h.deleted[0] != "https://i.cx/image/2/delete/00" {
		t.Errorf("deleted %q", h.deleted)
	}
	h.w.Select(h.index(t, 30, 3))
	if !h.w.buttons[btnDelete].Disabled() {
		t.Error("Delete enabled for a failed upload")
	}
	h.w.AskRemove()
	h.settle(t)
	if _, err := h.store.Get(context.Background(), 3); err == nil || h.title != "imagecx History (29)" {
		t.Errorf("removed: %v, title %q", err, h.title)
	}
}

// Ten thousand entries: the window reads one page, not all of them.
func TestTenThousandRowsReadAPageAtATime(t *testing.T) {
	h := newHarness(t, 10000)
	if h.w.length() != 10000 {
		t.Fatalf("%d rows", h.w.length())
	}
	if len(h.w.pages) > 2 {
		t.Errorf("%d pages read to show the first rows", len(h.w.pages))
	}
	if _, ok := h.w.at(9999); ok {
		t.Error("the last page was there before it was read")
	}
	h.settle(t) // read off fyne's thread
	if e, ok := h.w.at(9999); !ok || e.ID != 1 {
		t.Errorf("the last row: %+v", e)
	}
}

// In every language (and the pseudo-language, longer than any), the
// window's content fits the size it opens at: widths come from the text,
// none of it cut.
func TestEveryLanguageFits(t *testing.T) {
	defer i18n.Use(i18n.Current())
	for _, l := range append(slices.Clone(i18n.Langs), i18n.Pseudo) {
		i18n.Use(l)
		h := newHarness(t, 5)
		if m := h.w.Content.MinSize(); m.Width > WindowSize.Width || m.Height > WindowSize.Height {
			t.Errorf("%s: the content needs %v; the window opens at %v", l, m, WindowSize)
		}
	}
}

// What is dropped on the window goes to Upload as one batch: local files
// by their paths, links by their addresses; a drop of nothing uploadable
// uploads nothing.
func TestDropUploadsOneBatch(t *testing.T) {
	h := newHarness(t, 3)
	var batches [][]string
	h.w.deps.Upload = func(files []string) error { batches = append(batches, files); return nil }
	h.w.Drop([]fyne.URI{storage.NewFileURI("/home/ada/a b.png"), storage.NewFileURI("/home/ada/c.mp4"),
		mustURI(t, "https://example.com/cat.jpg"), mustURI(t, "mailto:ada@example.com")})
	want := []string{"/home/ada/a b.png", "/home/ada/c.mp4", "https://example.com/cat.jpg"}
	if len(batches) != 1 || !slices.Equal(batches[0], want) {
		t.Fatalf("batches %q, want one of %q", batches, want)
	}
	h.w.Drop([]fyne.URI{mustURI(t, "mailto:ada@example.com")})
	if len(batches) != 1 {
		t.Errorf("a drop of nothing uploadable uploaded %q", batches[1:])
	}
}

func mustURI(t *testing.T, s string) fyne.URI {
	u, err := storage.ParseURI(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The preview is always the selected entry's: one without a thumbnail,
// a search or a removal never leaves the last one's picture (someone
// about to delete from the site would see the wrong capture).
func TestPreviewMatchesTheSelection(t *testing.T) {
	h := newHarness(t, 5)
	h.w.Select(h.index(t, 5, 1)) // has a thumbnail
	if h.w.preview.File == "" || h.w.preview.Image == noPreview {
		t.Fatalf("entry 1's preview: %q %v", h.w.preview.File, h.w.preview.Image)
	}
	h.w.Select(h.index(t, 5, 2)) // has none
	if h.w.preview.File != "" || h.w.preview.Image != noPreview {
		t.Errorf("entry 2 shows %q", h.w.preview.File)
	}
	h.w.Select(h.index(t, 5, 1))
	h.w.Search("nothing like it")
	h.settle(t)
	if h.w.preview.File != "" || h.w.preview.Image != noPreview || h.w.selected != -1 {
		t.Errorf("after a search, the preview shows %q", h.w.preview.File)
	}
}

// A capture deleted from the site offers neither its link nor the
// browser.
func TestDeletedEntryHasNoLinkActions(t *testing.T) {
	h := newHarness(t, 2)
	if err := h.store.MarkDeleted(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	h.w.refresh()
	h.settle(t)
	h.w.Select(h.index(t, 2, 2))
	if !h.w.buttons[btnCopy].Disabled() || !h.w.buttons[btnOpen].Disabled() || h.w.link.Text != "" {
		t.Errorf("a deleted upload: copy %v, open %v, link %q", !h.w.buttons[btnCopy].Disabled(), !h.w.buttons[btnOpen].Disabled(), h.w.link.Text)
	}
}

// What another process records shows in the open window within a
// second, the selection kept.
func TestTheWindowIsLive(t *testing.T) {
	h := newHarness(t, 3)
	h.w.Select(h.index(t, 3, 2))
	other, err := history.Open(context.Background(), h.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Add(context.Background(), history.Entry{Source: history.FromHotkey, Name: "new.png", State: history.Uploaded, URL: "https://i.cx/images/new.png"}); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 3*time.Second, "the new capture in the window", func() bool {
		h.settle(t)
		return h.w.length() == 4
	})
	if id := h.w.current.ID; id != 2 {
		t.Errorf("the selection moved to %d", id)
	}
}

// The window never waits for the history: while another process holds
// its write lock (the tray app recording an upload), Upload again
// returns at once, and is done when the lock is let go.
func TestTheWindowDoesNotWaitForTheHistory(t *testing.T) {
	h := newHarness(t, 3)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.dir, "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	h.w.Select(h.index(t, 3, 1))
	returned := make(chan struct{})
	go func() { h.w.UploadAgain(); close(returned) }()
	select {
	case <-returned:
	case <-time.After(5 * time.Second): // the history's busy wait is 10 s
		t.Fatal("Upload again waited for the history's lock on the window's thread")
	}
	if e, _ := h.store.Get(context.Background(), 1); e.State == history.Saved {
		t.Fatal("queued through another process's lock")
	}
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	h.settle(t)
	if e, _ := h.store.Get(context.Background(), 1); e.State != history.Saved || h.queued != 1 {
		t.Errorf("after the lock: %s, queued %d", e.State, h.queued)
	}
}
