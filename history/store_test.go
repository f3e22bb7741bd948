package history

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"imagecx/uploader"
)

// tempDir is a folder for one test, removed after it as far as the
// system lets (under Wine 8 nothing in one can be removed, which
// t.TempDir takes for a failure).
func tempDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "imagecx-history-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ids(es []Entry) string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprint(e.ID))
	}
	return strings.Join(out, ",")
}

// A capture's way through the queue.
func TestTheQueueIsTheTable(t *testing.T) {
	ctx := context.Background()
	s := open(t, tempDir(t))
	if runtime.GOOS != "windows" {
		if st, err := os.Stat(s.Path()); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("database mode %v %v", st.Mode(), err)
		}
	}
	a, _ := s.Add(ctx, Entry{Source: FromHotkey, Name: "a.png", File: "/p/a.png", Bytes: 10, Width: 4, Height: 3, Window: "Editor"})
	b, _ := s.Add(ctx, Entry{Source: FromMenu, Name: "b.png"})
	now := time.Now()
	if due, _ := s.Due(ctx, now); len(due) != 0 {
		t.Fatalf("what this process saved is its own, not due: %s", ids(due))
	}
	s.Uploading(ctx, a, "Editor 2026")
	// The process that saved them is gone (a crash).
	orphan := func() { s.db.Exec("UPDATE captures SET owner = 'gone'") }
	orphan()
	if due, _ := s.Due(ctx, now); ids(due) != fmt.Sprintf("%d,%d", a, b) || due[0].State != Uploading || due[0].Attempts != 1 || due[0].Title != "Editor 2026" {
		t.Fatalf("saved ones and an upload cut off are due again: %+v", due)
	}
	s.Done(ctx, a, "a.png", uploader.Result{URL: "https://i.cx/a.png", ViewerURL: "https://i.cx/image/a", DeleteURL: "https://i.cx/image/a/delete/00"})
	s.Fail(ctx, b, "the server failed", false, now.Add(time.Minute))
	if due, _ := s.Due(ctx, now); len(due) != 0 {
		t.Fatalf("nothing due before the next try: %s", ids(due))
	}
	if next, ok, _ := s.NextTry(ctx); !ok || next.UnixMilli() != now.Add(time.Minute).UnixMilli() {
		t.Errorf("next try %v %v", next, ok)
	}
	if due, _ := s.Due(ctx, now.Add(2*time.Minute)); ids(due) != fmt.Sprint(b) {
		t.Errorf("due after its time: %s", ids(due))
	}
	s.Fail(ctx, b, "image.cx rejected the API key", true, time.Time{})
	if due, _ := s.Due(ctx, now.Add(time.Hour)); len(due) != 0 {
		t.Error("a permanent failure waits for the person")
	}
	if n, _ := s.Failed(ctx); n != 1 {
		t.Errorf("failed: %d", n)
	}
	if n, _ := s.RetryFailed(ctx); n != 1 {
		t.Errorf("retried %d", n)
	}
	// (b was saved by this process: orphaned above, as retried ones are.)
	if due, _ := s.Due(ctx, now); ids(due) != fmt.Sprint(b) {
		t.Errorf("retried ones are due: %s", ids(due))
	}
	recent, _ := s.Recent(ctx, 10)
	if len(recent) != 1 || recent[0].Link() != "https://i.cx/a.png" || recent[0].DeleteURL == "" || recent[0].Uploaded.IsZero() {
		t.Errorf("recent %+v", recent)
	}
	e, _ := s.Get(ctx, a)
	if e.Window != "Editor" || e.Width != 4 || e.Source != FromHotkey || e.Created.IsZero() {
		t.Errorf("entry %+v", e)
	}
	s.MarkDeleted(ctx, a)
	if e, _ := s.Get(ctx, a); e.State != Deleted {
		t.Errorf("deleted: %s", e.State)
	}
	if s.Remove(ctx, a) != nil || !errors.Is(s.Remove(ctx, a), ErrNotFound) {
		t.Error("remove")
	}
	if _, err := s.Get(ctx, a); !errors.Is(err, ErrNotFound) {
		t.Errorf("get after remove: %v", err)
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	s := open(t, tempDir(t))
	day := time.Date(2026, 12, 1, 10, 0, 0, 0, time.Local)
	s.Add(ctx, Entry{Created: day, Name: "imagecx-1.png", Window: "Release notes — Editor", State: Uploaded})
	s.Add(ctx, Entry{Created: day.Add(24 * time.Hour), Name: "imagecx-2.png", Title: "50% off_sale", State: Failed})
	s.Add(ctx, Entry{Created: day.Add(48 * time.Hour), Name: "report.png", State: Uploaded})
	for _, c := range []struct {
		q    Query
		want int
	}{
		{Query{}, 3},
		{Query{Text: "editor"}, 1},
		{Query{Text: "50%"}, 1},
		{Query{Text: "_"}, 1}, // a literal underscore, not "any character"
		{Query{Text: "imagecx"}, 2},
		{Query{Text: "2026-12-02"}, 1},
		{Query{States: []State{Failed}}, 1},
		{Query{States: []State{Uploaded}, Text: "report"}, 1},
	} {
		if n, err := s.Count(ctx, c.q); err != nil || n != c.want {
			t.Errorf("%+v: %d %v, want %d", c.q, n, err, c.want)
		}
	}
	page, _ := s.List(ctx, Query{Limit: 2, Offset: 1})
	if len(page) != 2 || page[0].Name != "imagecx-2.png" {
		t.Errorf("page %+v", page)
	}
}

// A file that is not a database is moved aside, a new history starts, and
// what the captures folder holds comes back, not queued.
func TestCorruptHistoryIsRebuilt(t *testing.T) {
	ctx := context.Background()
	dir := tempDir(t)
	os.WriteFile(filepath.Join(dir, FileName), bytes.Repeat([]byte("not a database "), 1000), 0o600)
	s, err := Open(ctx, dir)
	var ce *CorruptError
	if !errors.As(err, &ce) || s == nil {
		t.Fatalf("err = %v", err)
	}
	defer s.Close()
	if data, _ := os.ReadFile(ce.MovedTo); !bytes.HasPrefix(data, []byte("not a database")) {
		t.Error("the damaged file was not kept")
	}
	captures := tempDir(t)
	var buf bytes.Buffer
	png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 7, 5)))
	os.WriteFile(filepath.Join(captures, "imagecx-1.png"), buf.Bytes(), 0o600)
	os.WriteFile(filepath.Join(captures, "imagecx-2.png"), buf.Bytes(), 0o600)
	os.WriteFile(filepath.Join(captures, "notes.txt"), []byte("hello"), 0o600)
	if n, err := s.Recover(ctx, captures); n != 2 || err != nil {
		t.Fatalf("recovered %d: %v", n, err)
	}
	if n, _ := s.Recover(ctx, captures); n != 0 {
		t.Errorf("recovered again: %d", n)
	}
	all, _ := s.List(ctx, Query{})
	if len(all) != 2 || all[1].Name != "imagecx-1.png" || all[0].State != Recovered || all[0].Width != 7 || all[0].SHA256 == "" {
		t.Errorf("recovered %+v", all)
	}
	if due, _ := s.Due(ctx, time.Now()); len(due) != 0 {
		t.Error("recovered captures must not be uploaded on their own")
	}
}

// fixtures are rows as each older schema stored them: fixtures[v] for a
// database at version v.
var fixtures = map[int]string{
	1: `INSERT INTO captures (created, source, name, file, state, attempts, url) VALUES
		(1764583200000, 'hotkey', 'a.png', '/p/a.png', 'uploaded', 1, 'https://i.cx/a.png'),
		(1764583260000, 'menu', 'b.png', '/p/b.png', 'uploading', 1, '');`,
}

// Every older schema is brought up to date, its rows kept.
func TestUpgradesFromEveryOlderVersion(t *testing.T) {
	ctx := context.Background()
	for v := 0; v < Version; v++ {
		t.Run(fmt.Sprintf("from %d", v), func(t *testing.T) {
			dir := tempDir(t)
			db, err := sql.Open("sqlite", filepath.Join(dir, FileName))
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < v; i++ {
				if _, err := db.Exec(migrations[i]); err != nil {
					t.Fatal(err)
				}
			}
			db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v))
			rows := 0
			if f, ok := fixtures[v]; ok {
				if _, err := db.Exec(f); err != nil {
					t.Fatal(err)
				}
				db.QueryRow("SELECT COUNT(*) FROM captures").Scan(&rows)
			}
			db.Close()
			s := open(t, dir)
			var have int
			s.db.QueryRow("PRAGMA user_version").Scan(&have)
			if have != Version {
				t.Fatalf("schema %d after the upgrade, want %d", have, Version)
			}
			if n, _ := s.Count(ctx, Query{}); n != rows {
				t.Errorf("%d rows after the upgrade, want %d", n, rows)
			}
			if _, err := s.Add(ctx, Entry{Name: "new.png"}); err != nil {
				t.Errorf("add after the upgrade: %v", err)
			}
			if v == 1 {
				// An upload cut off under schema 1 has no owner: it is due
				// (the new entry is this process's).
				due, _ := s.Due(ctx, time.Now())
				if len(due) != 1 || due[0].Name != "b.png" || due[0].Owner != "" {
					t.Errorf("due after the upgrade: %+v", due)
				}
				if e, _ := s.Get(ctx, 1); e.Link() != "https://i.cx/a.png" || e.Created.UnixMilli() != 1764583200000 {
					t.Errorf("kept %+v", e)
				}
			}
		})
	}
	// A history from a newer imagecx is not touched.
	dir := tempDir(t)
	db, _ := sql.Open("sqlite", filepath.Join(dir, FileName))
	db.Exec(fmt.Sprintf("PRAGMA user_version = %d", Version+1))
	db.Close()
	if _, err := Open(ctx, dir); err == nil || !strings.Contains(err.Error(), "newer imagecx") {
		t.Errorf("newer schema: %v", err)
	}
}

// The tray app, the command line and the history window write at once.
func TestWritersAtOnce(t *testing.T) {
	ctx := context.Background()
	dir := tempDir(t)
	stores := []*Store{open(t, dir), open(t, dir), open(t, dir)}
	var wg sync.WaitGroup
	errs := make(chan error, 300)
	for _, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				id, err := s.Add(ctx, Entry{Name: "x.png"})
				if err == nil {
					err = s.Uploading(ctx, id, "")
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, _ := stores[0].Count(ctx, Query{}); n != 300 {
		t.Errorf("%d rows", n)
	}
}

// What a running imagecx looks after is not taken over; what a process
// that is gone left (a crash, kill -9) is, and so is a process id used
// again by another process.
func TestOwners(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses Unix processes")
	}
	ctx := context.Background()
	s := open(t, tempDir(t))
	saved, _ := s.Add(ctx, Entry{Name: "mine.png"})
	cli, _ := s.Add(ctx, Entry{Name: "cli.png", State: Uploading})
	if e, _ := s.Get(ctx, cli); e.Owner != Self() || !Running(e.Owner) {
		t.Fatalf("owner %q", e.Owner)
	}
	if due, _ := s.Due(ctx, time.Now()); len(due) != 0 {
		t.Errorf("what this process looks after is due: %s", ids(due))
	}
	other := exec.Command("sleep", "30")
	other.Start()
	defer other.Process.Kill()
	s.db.Exec("UPDATE captures SET owner = ? WHERE id = ?", identity(other.Process.Pid), cli)
	if due, _ := s.Due(ctx, time.Now()); len(due) != 0 {
		t.Errorf("another live process's upload was taken: %s", ids(due))
	}
	gone := identity(other.Process.Pid)
	other.Process.Kill()
	other.Wait()
	if due, _ := s.Due(ctx, time.Now()); ids(due) != fmt.Sprint(cli) {
		t.Errorf("a dead process's upload was not taken over: %s", ids(due))
	}
	// The same id, started at another time, is not the same owner.
	s.db.Exec("UPDATE captures SET owner = ? WHERE id = ?", strings.Split(Self(), ":")[0]+":another-boot:1", saved)
	if due, _ := s.Due(ctx, time.Now()); len(due) != 2 {
		t.Errorf("an owner whose id was used again was trusted: %s", ids(due))
	}
	if Running(gone) || Running("") || Running("x:y") {
		t.Error("Running of the gone")
	}
}

// A queue's copy of an entry found due no longer waits once it was sent,
// or once its next try was planned for later: it is not sent twice.
func TestWaits(t *testing.T) {
	ctx := context.Background()
	s := open(t, tempDir(t))
	now := time.Now()
	id, _ := s.Add(ctx, Entry{Name: "a.png", State: Saved})
	wait := func(want bool, what string) {
		t.Helper()
		e, err := s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Waits(now) != want {
			t.Errorf("%s: Waits = %v, state %s, next %v", what, !want, e.State, e.NextTry)
		}
	}
	wait(true, "saved")
	s.Uploading(ctx, id, "")
	wait(true, "this process's upload (cut off when the worker sees it again)")
	s.Fail(ctx, id, "503", false, now.Add(-time.Second))
	wait(true, "a passing failure whose try is due")
	s.Plan(ctx, id, now.Add(time.Minute))
	wait(false, "planned for later")
	s.Fail(ctx, id, "rejected key", true, time.Time{})
	wait(false, "a failure that waits for the person")
	s.Done(ctx, id, "a.png", uploader.Result{URL: "https://i.cx/a.png"})
	wait(false, "uploaded")
	s.MarkDeleted(ctx, id)
	wait(false, "deleted")
}

// Site names where an upload went: image.cx, or a custom uploader's host.
func TestSite(t *testing.T) {
	for _, c := range []struct {
		e    Entry
		want string
	}{
		{Entry{URL: "https://image.cx/images/a.png", DeleteURL: "https://image.cx/i/a/delete/x"}, "image.cx"},
		{Entry{URL: "https://pics.example.com/f/1.png"}, "pics.example.com"},
		{Entry{ViewerURL: "https://image.cx/i/a"}, "image.cx"},
		{Entry{}, ""},
	} {
		if got := c.e.Site(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.e, got, c.want)
		}
	}
}

// An upload whose answer the app died reading twice in a row (the answer
// may be what crashes it) is set aside for the person; a stop on purpose
// (Requeue), or one while the upload was on its way, does not count;
// Retry clears it. The destination chosen at the capture stays with it.
func TestInterruptedTwiceIsSetAside(t *testing.T) {
	ctx := context.Background()
	s := open(t, tempDir(t))
	id, err := s.Add(ctx, Entry{Name: "a.png", Destination: "home"})
	if err != nil {
		t.Fatal(err)
	}
	step := func(want error) {
		t.Helper()
		if err := s.Uploading(ctx, id, ""); !errors.Is(err, want) || (want == nil) != (err == nil) {
			t.Fatalf("Uploading: %v, want %v", err, want)
		}
	}
	step(nil)          // sent…
	s.Requeue(ctx, id) // …and the app quit on purpose: not an interruption
	step(nil)          // sent, and the app was killed on the way: not counted either
	step(nil)          // sent again; the answer comes, and the app dies reading it
	s.Answering(ctx, id)
	step(nil) // the next start sends it again (cut once); it dies reading the answer again
	s.Answering(ctx, id)
	step(ErrSetAside)
	e, _ := s.Get(ctx, id)
	if e.State != Failed || !e.Permanent || !strings.Contains(e.Error, "stopped twice") || e.Destination != "home" || e.Attempts != 4 {
		t.Fatalf("set aside: %+v", e)
	}
	if n, _ := s.RetryFailed(ctx); n != 1 {
		t.Fatal("retry")
	}
	step(nil)
	if e, _ := s.Get(ctx, id); e.Interrupted != 0 || e.State != Uploading {
		t.Errorf("after Retry: %+v", e)
	}
}

// A recording's length is kept with it.
func TestDurationIsKept(t *testing.T) {
	s, err := Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id, err := s.Add(context.Background(), Entry{Source: FromHotkey, Name: "rec.mp4", MIME: "video/mp4", Duration: 12345 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if e, err := s.Get(context.Background(), id); err != nil || e.Duration != 12345*time.Millisecond {
		t.Errorf("%v, %v", e.Duration, err)
	}
}

// A window watching the history is told of what another process adds.
func TestWatchSeesOtherWriters(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mine, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	theirs, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	changed := make(chan struct{}, 10)
	go mine.Watch(ctx, 20*time.Millisecond, func() { changed <- struct{}{} })
	time.Sleep(100 * time.Millisecond)
	select {
	case <-changed:
		t.Fatal("told of a change before any")
	default:
	}
	if _, err := theirs.Add(ctx, Entry{Source: FromHotkey, Name: "a.png"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("not told of the other process's capture")
	}
}
