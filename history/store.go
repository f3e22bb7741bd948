package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"imagecx/i18n"
)

// FileName is the database's file in the data folder.
const FileName = "history.db"

// Store is the history database.
type Store struct {
	db   *sql.DB
	dir  string
	path string
}

// migrations take the schema from version i to i+1; the database's
// user_version says how many ran. Never change one that shipped: add one.
var migrations = []string{
	// 1: captures, and the queue as an index over them.
	`CREATE TABLE captures (
		id INTEGER PRIMARY KEY,
		created INTEGER NOT NULL,
		source TEXT NOT NULL,
		name TEXT NOT NULL,
		file TEXT NOT NULL DEFAULT '',
		sha256 TEXT NOT NULL DEFAULT '',
		bytes INTEGER NOT NULL DEFAULT 0,
		width INTEGER NOT NULL DEFAULT 0,
		height INTEGER NOT NULL DEFAULT 0,
		mime TEXT NOT NULL DEFAULT '',
		window TEXT NOT NULL DEFAULT '',
		title TEXT NOT NULL DEFAULT '',
		state TEXT NOT NULL,
		error TEXT NOT NULL DEFAULT '',
		permanent INTEGER NOT NULL DEFAULT 0,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_try INTEGER NOT NULL DEFAULT 0,
		uploaded INTEGER NOT NULL DEFAULT 0,
		url TEXT NOT NULL DEFAULT '',
		viewer_url TEXT NOT NULL DEFAULT '',
		short_url TEXT NOT NULL DEFAULT '',
		thumb_url TEXT NOT NULL DEFAULT '',
		delete_url TEXT NOT NULL DEFAULT '',
		expires INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX captures_state ON captures(state, next_try);
	CREATE INDEX captures_created ON captures(created);`,
	// 2: which process looks after an entry (Self: its id and start), so
	// no other takes over an upload while that one runs.
	`ALTER TABLE captures ADD COLUMN owner TEXT NOT NULL DEFAULT '';`,
	// 3: where an upload goes, chosen when the capture was taken (a custom
	// uploader's name, '' for image.cx); whether the host's answer to the
	// upload running now has come (reading), and how many of its uploads
	// in a row the app stopped during while reading the answer (a crash
	// there), so one that keeps killing it is set aside.
	`ALTER TABLE captures ADD COLUMN destination TEXT NOT NULL DEFAULT '';
	ALTER TABLE captures ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE captures ADD COLUMN reading INTEGER NOT NULL DEFAULT 0;`,
	// 4: how long a recording plays, in milliseconds (0: a still image).
	`ALTER TABLE captures ADD COLUMN duration INTEGER NOT NULL DEFAULT 0;`,
}

// Version is the schema version this build writes.
var Version = len(migrations)

// CorruptError says the database could not be used and was moved aside;
// Open returns it with a new, empty store.
type CorruptError struct {
	Path, MovedTo string
	Err           error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("the history %s could not be read (%v); it was moved to %s and a new one started", e.Path, e.Err, e.MovedTo)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Explain is the error in words.
func (e *CorruptError) Explain() string {
	return "The upload history " + e.Path + " was damaged, so imagecx started a new one and filled it from the captures folder. The old file is kept as " + e.MovedTo + "."
}

// Open opens (or makes) the history in dir. A database that is not one,
// or fails its check, is moved aside and a new one made: the error is
// then a *CorruptError and the store is usable.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make the history folder: %w", err)
	}
	s := &Store{dir: dir, path: filepath.Join(dir, FileName)}
	err := s.open(ctx)
	if err == nil || !corrupt(err) {
		return s, wrapOpen(s, err)
	}
	aside := s.path + ".corrupt-" + time.Now().Format("20060102-150405")
	if s.db != nil {
		s.db.Close()
	}
	if rerr := os.Rename(s.path, aside); rerr != nil {
		return nil, fmt.Errorf("the history %s is damaged (%v) and could not be moved aside: %w", s.path, err, rerr)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		os.Rename(s.path+ext, aside+ext)
	}
	if oerr := s.open(ctx); oerr != nil {
		return nil, wrapOpen(s, oerr)
	}
	return s, &CorruptError{Path: s.path, MovedTo: aside, Err: err}
}

func wrapOpen(s *Store, err error) error {
	if err == nil {
		return nil
	}
	if s.db != nil {
		s.db.Close()
	}
	return fmt.Errorf("open the history %s: %w", s.path, err)
}

// OpenMemory is a history that lives as long as the program, for when the
// file cannot be used (its thumbnails and spool in a temporary folder).
func OpenMemory(ctx context.Context) (*Store, error) {
	dir, err := os.MkdirTemp("", "imagecx-history-")
	if err != nil {
		return nil, err
	}
	s := &Store{dir: dir, path: ":memory:"}
	if err := s.open(ctx); err != nil {
		return nil, wrapOpen(s, err)
	}
	return s, nil
}

// open connects, checks the file and brings the schema up to date.
func (s *Store) open(ctx context.Context) error {
	// FULL: a commit survives a power cut (the queue is what must).
	dsn := "file:" + s.path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	if s.path == ":memory:" {
		dsn = "file::memory:"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	s.db = db
	if s.path == ":memory:" {
		db.SetMaxOpenConns(1) // every connection would have a database of its own
	}
	if err := db.PingContext(ctx); err != nil {
		return err
	}
	os.Chmod(s.path, 0o600)
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil {
		return err
	}
	if check != "ok" {
		return fmt.Errorf("%w: %s", errDamaged, check)
	}
	return s.migrate(ctx)
}

var errDamaged error = i18n.Errorf("the database is damaged")

// corrupt reports whether err means the file is not a usable database.
func corrupt(err error) bool {
	if errors.Is(err, errDamaged) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return true
		}
	}
	return false
}

// migrate runs the migrations the database has not had, each in a
// transaction of its own. A database from a newer imagecx is refused.
func (s *Store) migrate(ctx context.Context) error {
	var have int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return err
	}
	if have > Version {
		return i18n.Errorf("it was written by a newer imagecx (schema {{.have}}; this one knows {{.knows}}): update imagecx", "have", have, "knows", Version)
	}
	for v := have; v < Version; v++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("upgrade the history to schema %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("upgrade the history to schema %d: %w", v+1, err)
		}
	}
	return nil
}

// Close closes the database (and removes a memory history's folder).
func (s *Store) Close() error {
	err := s.db.Close()
	if s.path == ":memory:" {
		os.RemoveAll(s.dir)
	}
	return err
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Dir is the folder the database is in.
func (s *Store) Dir() string { return s.dir }

// ms is t as stored: Unix milliseconds, 0 for the zero time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// at is the time stored as ms.
func at(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

// Full reports whether err means the disk is full.
func Full(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL {
		return true
	}
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "no space")
}

// Watch calls changed, every so often (every), after another process
// (the tray app, a command) or this one has committed a change to the
// history, until ctx ends: a window shows the history as it is.
func (s *Store) Watch(ctx context.Context, every time.Duration, changed func()) error {
	// PRAGMA data_version is a connection's own count: one connection,
	// kept, asks it every time.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	version := func() (int64, error) {
		var v int64
		err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
		return v, err
	}
	last, err := version()
	if err != nil {
		return err
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		v, err := version()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if v != last {
			last = v
			changed()
		}
	}
}
