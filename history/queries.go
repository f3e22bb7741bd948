package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"imagecx/i18n"
	"imagecx/uploader"
)

// ErrNotFound is an id the history does not have.
var ErrNotFound error = i18n.Errorf("no such entry in the history")

const columns = `id, created, source, name, file, sha256, bytes, width, height, mime, window, title,
	state, error, permanent, attempts, next_try, uploaded, url, viewer_url, short_url, thumb_url, delete_url, expires, owner,
	destination, interrupted, duration`

func scan(row interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	var created, next, uploaded, expires int64
	var perm int
	var duration int64
	err := row.Scan(&e.ID, &created, &e.Source, &e.Name, &e.File, &e.SHA256, &e.Bytes, &e.Width, &e.Height, &e.MIME, &e.Window, &e.Title,
		&e.State, &e.Error, &perm, &e.Attempts, &next, &uploaded, &e.URL, &e.ViewerURL, &e.ShortURL, &e.ThumbURL, &e.DeleteURL, &expires, &e.Owner,
		&e.Destination, &e.Interrupted, &duration)
	e.Duration = time.Duration(duration) * time.Millisecond
	e.Created, e.NextTry, e.Uploaded, e.Expires, e.Permanent = at(created), at(next), at(uploaded), at(expires), perm != 0
	return e, err
}

// Add records a new capture (its State, Saved when empty) and returns its
// id. A saved or uploading entry is this process's to upload (Owner): no
// other one takes it over while this one runs.
func (s *Store) Add(ctx context.Context, e Entry) (int64, error) {
	id, err := insert(ctx, s.db, e)
	if err != nil {
		return 0, fmt.Errorf("record the capture in the history: %w", err)
	}
	return id, nil
}

// Import records many entries in one transaction (a captures folder
// recovered, a test's ten thousand rows).
func (s *Store) Import(ctx context.Context, entries []Entry) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, err := insert(ctx, tx, e); err != nil {
			tx.Rollback()
			return fmt.Errorf("record in the history: %w", err)
		}
	}
	return tx.Commit()
}

// insert adds e through db (the database or a transaction).
func insert(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, e Entry) (int64, error) {
	if e.State == "" {
		e.State = Saved
	}
	if e.Created.IsZero() {
		e.Created = time.Now()
	}
	if e.State == Saved || e.State == Uploading {
		e.Owner = Self()
	}
	r, err := db.ExecContext(ctx, `INSERT INTO captures (created, source, name, file, sha256, bytes, width, height, mime, window, title,
		state, error, permanent, attempts, next_try, uploaded, url, viewer_url, short_url, thumb_url, delete_url, expires, owner,
		destination, interrupted, duration)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ms(e.Created), e.Source, e.Name, e.File, e.SHA256, e.Bytes, e.Width, e.Height, e.MIME, e.Window, e.Title,
		e.State, e.Error, e.Permanent, e.Attempts, ms(e.NextTry), ms(e.Uploaded), e.URL, e.ViewerURL, e.ShortURL, e.ThumbURL, e.DeleteURL, ms(e.Expires), e.Owner,
		e.Destination, e.Interrupted, e.Duration.Milliseconds())
	if err != nil {
		return 0, err
	}
	return r.LastInsertId()
}

// update changes one row and says ErrNotFound when there is none.
func (s *Store) update(ctx context.Context, id int64, set string, args ...any) error {
	r, err := s.db.ExecContext(ctx, "UPDATE captures SET "+set+" WHERE id = ?", append(args, id)...)
	if err != nil {
		return fmt.Errorf("update the history: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// ErrSetAside is an upload that is not started: the app stopped twice
// while it read the host's answer to it (the answer may be what makes it
// crash), so it waits for the person, with a note, instead of stopping
// the app at every start.
var ErrSetAside error = i18n.Errorf("imagecx stopped twice while reading the answer to it, so it is set aside rather than sent again by itself; Retry in the history sends it")

// Uploading records that an upload of id starts, before it is sent: a
// row left so by a crash is sent again at the next start. A row that is
// still "uploading", and whose answer had come (Answering), was cut off
// while the answer was read; the second time in a row it is set aside
// (failed, for the person to retry), ErrSetAside returned, and nothing is
// to be sent. (An app stopped while the upload was on its way, a kill or
// a power cut, is not counted: the upload is simply sent again.)
func (s *Store) Uploading(ctx context.Context, id int64, title string) error {
	// One statement (SQLite evaluates every assignment on the old row), so
	// that writers at once wait for each other rather than fail.
	const cut = "(interrupted + (state = 'uploading' AND reading = 1))"
	var state State
	err := s.db.QueryRowContext(ctx, `UPDATE captures SET
		interrupted = `+cut+`,
		attempts = attempts + (`+cut+` < 2),
		permanent = (`+cut+` >= 2),
		error = CASE WHEN `+cut+` >= 2 THEN ? ELSE error END,
		owner = CASE WHEN `+cut+` >= 2 THEN '' ELSE ? END,
		next_try = 0, title = ?, reading = 0,
		state = CASE WHEN `+cut+` >= 2 THEN ? ELSE ? END
		WHERE id = ? RETURNING state`, i18n.T(explainSetAside), Self(), title, Failed, Uploading, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("update the history: %w", err)
	}
	if state == Failed {
		return ErrSetAside
	}
	return nil
}

// explainSetAside is the history's note on an entry set aside.
var explainSetAside = i18n.Mark("imagecx stopped twice while reading the host's answer to this upload, so it was set aside rather than sent again at every start. Retry sends it.")

// Answering records that the host's answer to id's upload has come and is
// being read.
func (s *Store) Answering(ctx context.Context, id int64) error {
	return s.update(ctx, id, "reading = 1")
}

// Requeue puts id back in the queue after an upload that was stopped on
// purpose (the app quitting): it is sent again at the next start, and the
// stop does not count as an interruption.
func (s *Store) Requeue(ctx context.Context, id int64) error {
	return s.update(ctx, id, "state = ?, reading = 0", Saved)
}

// Done records the site's answer for id.
func (s *Store) Done(ctx context.Context, id int64, name string, r uploader.Result) error {
	return s.update(ctx, id, `state = ?, error = '', permanent = 0, next_try = 0, interrupted = 0, reading = 0, uploaded = ?, name = ?,
		url = ?, viewer_url = ?, short_url = ?, thumb_url = ?, delete_url = ?, expires = ?`,
		Uploaded, ms(time.Now()), name, r.URL, r.ViewerURL, r.ShortURL, r.ThumbURL, r.DeleteURL, ms(r.Expires))
}

// Fail records why id's upload failed; permanent failures wait for the
// person, others are tried again at next (zero: when the person asks).
func (s *Store) Fail(ctx context.Context, id int64, why string, permanent bool, next time.Time) error {
	return s.update(ctx, id, "state = ?, error = ?, permanent = ?, next_try = ?, interrupted = 0, reading = 0", Failed, why, permanent, ms(next))
}

// Moved records where a capture's file is now ("" when it is gone).
func (s *Store) Moved(ctx context.Context, id int64, file string) error {
	return s.update(ctx, id, "file = ?", file)
}

// MarkDeleted records that id was taken down from the site.
func (s *Store) MarkDeleted(ctx context.Context, id int64) error {
	return s.update(ctx, id, "state = ?", Deleted)
}

// Remove forgets id (the file and the upload stay where they are).
func (s *Store) Remove(ctx context.Context, id int64) error {
	r, err := s.db.ExecContext(ctx, "DELETE FROM captures WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("remove from the history: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Get is one entry.
func (s *Store) Get(ctx context.Context, id int64) (Entry, error) {
	e, err := scan(s.db.QueryRowContext(ctx, "SELECT "+columns+" FROM captures WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, ErrNotFound
	}
	return e, err
}

// Due is the queue's entries whose time has come at now, oldest first:
// saved and uploading ones no running process looks after (a crash, kill
// -9, a power cut left them, or the person asked to retry), and passing
// failures whose next try is due. What this process saved or is uploading
// is its own business, not due.
func (s *Store) Due(ctx context.Context, now time.Time) ([]Entry, error) {
	all, err := s.query(ctx, "SELECT "+columns+` FROM captures
		WHERE state IN (?, ?) OR (state = ? AND permanent = 0 AND next_try > 0 AND next_try <= ?)
		ORDER BY id`, Saved, Uploading, Failed, ms(now))
	var due []Entry
	for _, e := range all {
		if e.State != Failed && e.Owner != "" && Running(e.Owner) {
			continue
		}
		due = append(due, e)
	}
	return due, err
}

// NextTry is when the next planned try is due, if one is planned.
func (s *Store) NextTry(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT MIN(next_try) FROM captures WHERE state = ? AND permanent = 0 AND next_try > 0", Failed).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return at(next.Int64), true, nil
}

// Failed counts the failed entries (the ones "Retry failed uploads"
// sends again).
func (s *Store) Failed(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM captures WHERE state = ?", Failed).Scan(&n)
	return n, err
}

// RetryFailed queues every failed entry again, now, and returns how many.
func (s *Store) RetryFailed(ctx context.Context) (int, error) {
	r, err := s.db.ExecContext(ctx, "UPDATE captures SET state = ?, next_try = 0, permanent = 0, owner = '', interrupted = 0, reading = 0 WHERE state = ?", Saved, Failed)
	if err != nil {
		return 0, fmt.Errorf("queue the failed uploads again: %w", err)
	}
	n, _ := r.RowsAffected()
	return int(n), nil
}

// Again queues id to be uploaded again (the history window's "Upload
// again", a notification's Retry).
func (s *Store) Again(ctx context.Context, id int64) error {
	return s.update(ctx, id, "state = ?, next_try = 0, permanent = 0, error = '', owner = '', interrupted = 0, reading = 0", Saved)
}

// Query selects entries for the history window and `imagecx history`.
type Query struct {
	Text   string  // in the title, the window's title, the file name or the date (2026-12-01)
	States []State // any of these; none: all
	Limit  int     // at most this many; 0: no limit
	Offset int
}

func (q Query) where() (string, []any) {
	var conds []string
	var args []any
	if t := strings.TrimSpace(q.Text); t != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(t) + "%"
		conds = append(conds, `(title LIKE ? ESCAPE '\' OR window LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\' OR url LIKE ? ESCAPE '\'
			OR strftime('%Y-%m-%d %H:%M', created / 1000, 'unixepoch', 'localtime') LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like, like)
	}
	if len(q.States) > 0 {
		conds = append(conds, "state IN (?"+strings.Repeat(", ?", len(q.States)-1)+")")
		for _, st := range q.States {
			args = append(args, st)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// List is the entries q selects, newest first.
func (s *Store) List(ctx context.Context, q Query) ([]Entry, error) {
	where, args := q.where()
	sqlText := "SELECT " + columns + " FROM captures" + where + " ORDER BY id DESC"
	if q.Limit > 0 {
		sqlText += fmt.Sprintf(" LIMIT %d OFFSET %d", q.Limit, q.Offset)
	}
	return s.query(ctx, sqlText, args...)
}

// Count is how many entries q selects.
func (s *Store) Count(ctx context.Context, q Query) (int, error) {
	where, args := q.where()
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM captures"+where, args...).Scan(&n)
	return n, err
}

// Recent is the newest n uploaded entries.
func (s *Store) Recent(ctx context.Context, n int) ([]Entry, error) {
	return s.List(ctx, Query{States: []State{Uploaded}, Limit: n})
}

func (s *Store) query(ctx context.Context, q string, args ...any) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read the history: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read the history: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Plan sets when a passing failure of id is tried again.
func (s *Store) Plan(ctx context.Context, id int64, next time.Time) error {
	return s.update(ctx, id, "next_try = ?", ms(next))
}

// Waiting counts the passing failures that are planned to be tried again.
func (s *Store) Waiting(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM captures WHERE state = ? AND permanent = 0 AND next_try > 0", Failed).Scan(&n)
	return n, err
}

// Wake makes every planned try due now (the network came back) and
// returns how many there are.
func (s *Store) Wake(ctx context.Context, now time.Time) (int, error) {
	r, err := s.db.ExecContext(ctx, "UPDATE captures SET next_try = ? WHERE state = ? AND permanent = 0 AND next_try > ?", ms(now), Failed, ms(now))
	if err != nil {
		return 0, err
	}
	n, _ := r.RowsAffected()
	return int(n), nil
}
