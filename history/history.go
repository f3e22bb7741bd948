// Package history is imagecx's record of every capture and upload, and
// the upload queue: one SQLite database (modernc.org/sqlite, pure Go, so
// the Windows build needs no cgo) in the data folder, history.db, in WAL
// mode so the tray app, the command line and the history window can use
// it at once.
//
// A capture is a row from the moment it exists. Its state says where it
// is: saved (waiting to be uploaded) → uploading → uploaded, or failed
// (with the reason, whether trying again can help, and when), or deleted
// (taken down from the site). The queue is the rows that are saved,
// uploading or failed for a passing reason: a tray app killed in the
// middle of an upload finds its rows again at the next start.
package history

import (
	"net/url"
	"time"

	"imagecx/uploader"
)

// State is where a capture is on its way to the site.
type State string

const (
	Saved     State = "saved"     // waiting to be uploaded
	Local     State = "local"     // kept on this computer only, as asked (capture --no-upload)
	Uploading State = "uploading" // an upload was started (and may have been cut off)
	Uploaded  State = "uploaded"
	Failed    State = "failed"
	Deleted   State = "deleted"   // taken down from the site
	Recovered State = "recovered" // found in the captures folder when the history was rebuilt; not known to be uploaded
)

// Source says who asked for a capture.
type Source string

const (
	FromHotkey    Source = "hotkey"
	FromMenu      Source = "menu"
	FromHandOff   Source = "handoff" // another imagecx process (a desktop shortcut)
	FromClipboard Source = "clipboard"
	FromCLI       Source = "cli"
	FromFolder    Source = "folder" // found when the history was rebuilt
	FromFiles     Source = "files"  // files chosen, dropped or sent from a file manager
)

// Entry is one capture or uploaded file.
type Entry struct {
	ID      int64
	Created time.Time
	Source  Source
	Name    string // the file name sent to the site
	File    string // where it is on this computer; "" when nowhere
	SHA256  string // of the bytes as captured
	Bytes   int64
	Width   int
	Height  int
	MIME    string
	Window  string // the focused window's title at the capture
	Title   string // the title sent with the upload
	// Duration is how long a recording plays; 0 for a still image.
	Duration time.Duration

	State     State
	Error     string    // why the last try failed, in words
	Permanent bool      // the failure needs the person (a rejected key, a refused file)
	Attempts  int       // uploads started
	NextTry   time.Time // when a passing failure is tried again; zero: not planned
	Uploaded  time.Time
	// Owner is the process that looks after a saved or uploading entry
	// (Self), "" when none does: another one takes it over only once that
	// one is gone.
	Owner string
	// Destination is where the capture goes: the custom uploader chosen
	// when it was taken, "" for image.cx. A later change of the default
	// does not move it.
	Destination string
	// Interrupted counts the uploads of it in a row that the app stopped
	// during while it read the host's answer; see Uploading.
	Interrupted int

	URL, ViewerURL, ShortURL, ThumbURL string
	// DeleteURL deletes the upload on a plain GET: shown, stored, fetched
	// only when the person asks.
	DeleteURL string
	Expires   time.Time
}

// Link is the link to hand out: the direct one, else the viewer page.
func (e Entry) Link() string {
	if e.URL != "" {
		return e.URL
	}
	return e.ViewerURL
}

// Site is the host an upload went to (its delete link's, else its
// link's): "image.cx", or a custom uploader's host; "" before an upload.
func (e Entry) Site() string {
	for _, l := range []string{e.DeleteURL, e.Link()} {
		if u, err := url.Parse(l); err == nil && u.Hostname() != "" {
			return u.Hostname()
		}
	}
	return ""
}

// Queued reports whether e waits for an upload: saved, cut off while
// uploading, or failed for a passing reason.
func (e Entry) Queued() bool {
	return e.State == Saved || e.State == Uploading || (e.State == Failed && !e.Permanent)
}

// Waits reports whether e is still the queue's to send at now, as Due
// would say: a stale copy of an entry that was uploaded since, or whose
// next try was planned for later, is not.
func (e Entry) Waits(now time.Time) bool {
	switch e.State {
	case Saved, Uploading:
		return e.Owner == "" || e.Owner == Self() || !Running(e.Owner)
	case Failed:
		return !e.Permanent && !e.NextTry.IsZero() && !e.NextTry.After(now)
	}
	return false
}

// Result is the entry as the site described the upload, for formatting
// its link.
func (e Entry) Result() uploader.Result {
	return uploader.Result{Filename: e.Name, Title: e.Title, Width: e.Width, Height: e.Height, URL: e.URL, ViewerURL: e.ViewerURL,
		ShortURL: e.ShortURL, ThumbURL: e.ThumbURL, DeleteURL: e.DeleteURL, Expires: e.Expires, AwaitingApproval: e.URL == "" && e.ViewerURL != ""}
}
