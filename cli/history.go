package cli

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/instance"
	"imagecx/outbox"
	"imagecx/programs"
	"imagecx/shot"
	"imagecx/uploader"
	"imagecx/uploaders"
)

var historyUsage = i18n.Mark(`history
       imagecx history [--json] [--failed] [-n N] [SEARCH]
       imagecx history delete [--yes] ID

With nothing after it, on a terminal, opens the history window; otherwise
lists captures and uploads, newest first: id, time, state, size and the link
(or why it failed). SEARCH looks in titles, window titles, file names and
dates (2026-12-01). "delete" takes an upload down from image.cx with its
delete link, after asking.`)

func runHistory(ctx context.Context, args []string, env Env) int {
	if len(args) > 0 && args[0] == "delete" {
		return runHistoryDelete(ctx, args[1:], env)
	}
	if len(args) == 0 && env.StdoutTerminal {
		return runWindow(env, programs.History)
	}
	fs := newFlags(env, "history", historyUsage)
	asJSON := fs.Bool("json", false, i18n.T("one JSON object per line, with every link (the delete link too)"))
	failed := fs.Bool("failed", false, i18n.T("only the failed uploads"))
	n := fs.Int("n", 20, i18n.T("at most this many (0: all)"))
	if code, ok := parse(fs, args); !ok {
		return code
	}
	w, err := load(ctx, env)
	if err != nil {
		return fail(env, "", err)
	}
	books := w.history()
	if books == nil {
		return exitFail
	}
	defer books.Close()
	q := history.Query{Text: strings.Join(fs.Args(), " "), Limit: max(*n, 0)}
	if *failed {
		q.States = []history.State{history.Failed}
	}
	entries, err := books.List(ctx, q)
	if err != nil {
		return fail(env, "", err)
	}
	for _, e := range entries {
		line := historyLine(e)
		if *asJSON {
			line = jsonLine(historyJSON(e))
		}
		if emit(env, line) != nil {
			return exitFail
		}
	}
	if len(entries) == 0 && !*asJSON {
		errorf(env, "nothing in the history matches")
	}
	return exitOK
}

// historyLine is an entry for people: id, time, state, size, link or
// why, and the title or window it was given; columns line up in every
// language (a Chinese character is two columns wide).
func historyLine(e history.Entry) string {
	what := e.Link()
	switch e.State {
	case history.Failed:
		what = e.Error
		if !e.Permanent && !e.NextTry.IsZero() {
			what = i18n.T("{{.why}} (tried again at {{.time}})", "why", e.Error, "time", e.NextTry.Local().Format("15:04"))
		}
	case history.Saved, history.Uploading, history.Local, history.Recovered:
		what = e.File
	}
	if title := cmp.Or(e.Title, e.Window); title != "" {
		what += "  " + title
	}
	return fmt.Sprintf("%6d  %s  %s  %8s  %s", e.ID, e.Created.Local().Format("2006-01-02 15:04"), pad(stateWord(e.State), 10), explain.Size(e.Bytes), what)
}

// stateWord is a state in a word or two.
func stateWord(s history.State) string {
	switch s {
	case history.Uploaded:
		return i18n.T("uploaded")
	case history.Failed:
		return i18n.T("failed")
	case history.Saved:
		return i18n.T("waiting")
	case history.Uploading:
		return i18n.T("uploading")
	case history.Deleted:
		return i18n.T("deleted")
	case history.Local:
		return i18n.T("not uploaded")
	case history.Recovered:
		return i18n.T("found")
	}
	return string(s)
}

// pad is s and spaces to n columns of a terminal.
func pad(s string, n int) string {
	w := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w += 2
		default:
			w++
		}
	}
	return s + strings.Repeat(" ", max(0, n-w))
}

// historyJSON is an entry for scripts.
func historyJSON(e history.Entry) any {
	type out struct {
		ID        int64     `json:"id"`
		Created   time.Time `json:"created"`
		Source    string    `json:"source"`
		State     string    `json:"state"`
		Name      string    `json:"name"`
		File      string    `json:"file,omitempty"`
		Bytes     int64     `json:"bytes"`
		Width     int       `json:"width,omitempty"`
		Height    int       `json:"height,omitempty"`
		MIME      string    `json:"mime,omitempty"`
		Seconds   float64   `json:"seconds,omitempty"` // how long a recording plays
		Window    string    `json:"window,omitempty"`
		Title     string    `json:"title,omitempty"`
		Error     string    `json:"error,omitempty"`
		URL       string    `json:"url,omitempty"`
		ViewerURL string    `json:"url_viewer,omitempty"`
		ThumbURL  string    `json:"thumb_url,omitempty"`
		DeleteURL string    `json:"delete_url,omitempty"`
		Expires   time.Time `json:"expires,omitzero"`
	}
	return out{e.ID, e.Created, string(e.Source), string(e.State), e.Name, e.File, e.Bytes, e.Width, e.Height, e.MIME, e.Duration.Seconds(), e.Window, e.Title, e.Error,
		e.URL, e.ViewerURL, e.ThumbURL, e.DeleteURL, e.Expires}
}

func runHistoryDelete(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "history delete", "history delete [--yes] ID\n\nTakes the upload down from the site (its delete link) after asking.")
	yes := fs.Bool("yes", false, i18n.T("do not ask"))
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return errorf(env, "{{.id}} is not an id from `imagecx history`", "id", strconv.Quote(fs.Arg(0)))
	}
	w, err := load(ctx, env)
	if err != nil {
		return fail(env, "", err)
	}
	books := w.history()
	if books == nil {
		return exitFail
	}
	defer books.Close()
	e, err := books.Get(ctx, id)
	if errors.Is(err, history.ErrNotFound) {
		return errorf(env, "No entry {{.id}} in the history; `imagecx history` lists them.", "id", id)
	}
	if err != nil {
		return fail(env, "", err)
	}
	if e.State == history.Deleted {
		return errorf(env, "{{.link}} was deleted from the site already.", "link", e.Link())
	}
	if e.DeleteURL == "" {
		return errorf(env, "The site gave no delete link for entry {{.id}}, so imagecx cannot delete it.", "id", id)
	}
	if !*yes {
		if !env.StdinTerminal {
			return errorf(env, "Deleting needs a yes: run it in a terminal, or add --yes.")
		}
		fmt.Fprint(env.Stderr, i18n.T("Delete {{.link}} from the site? It cannot be undone. [y/N] ", "link", e.Link()))
		answer, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			errorf(env, "not deleted")
			return exitFail
		}
	}
	if err := uploader.Delete(ctx, e.DeleteURL); err != nil {
		return fail(env, "", err)
	}
	if err := books.MarkDeleted(ctx, id); err != nil {
		return fail(env, "", err)
	}
	errorf(env, "deleted {{.link}} from the site", "link", e.Link())
	return exitOK
}

// runRetry sends the failed uploads again: the running tray app does it
// (its clipboard, its notifications), else this command.
func runRetry(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "retry", "retry\n\nTries every failed upload again: the running tray app does, or this command.")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if code, handed := handOff(ctx, env, instance.Retry); handed {
		return code
	}
	w, err := load(ctx, env)
	if err != nil {
		return fail(env, "", err)
	}
	books := w.history()
	if books == nil {
		return exitFail
	}
	defer books.Close()
	entries, err := books.List(ctx, history.Query{States: []history.State{history.Failed}})
	if err != nil {
		return fail(env, "", err)
	}
	if len(entries) == 0 {
		errorf(env, "no failed uploads")
		return exitOK
	}
	ob := w.outbox(books, quietPipeline())
	var ids []int64
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	if _, err := ob.Again(ctx, ids...); err != nil {
		return fail(env, "", err)
	}
	// Each to the destination chosen when it was taken.
	deliveries := func(ctx context.Context, dest string) (outbox.Delivery, error) {
		d, _, _, err := w.delivery(ctx, cmp.Or(dest, uploaders.Default))
		return d, err
	}
	failed := 0
	for i := len(entries) - 1; i >= 0; i-- { // oldest first
		e := entries[i]
		job := outbox.Job{ID: e.ID, Destination: e.Destination, Job: shot.Job{Name: e.Name, File: e.File, FromClipboard: e.Source == history.FromClipboard}}
		out := ob.Send(ctx, deliveries, []outbox.Job{job})
		if out.Err != nil {
			fail(env, e.Name, out.Err)
			failed++
			if ctx.Err() != nil {
				break
			}
			continue
		}
		if len(out.Links) == 0 {
			continue // sent by someone else meanwhile
		}
		if emit(env, out.Links[0]) != nil {
			return exitFail
		}
	}
	if failed > 0 {
		return exitFail
	}
	return exitOK
}
