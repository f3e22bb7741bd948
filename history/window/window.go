// Package window is the history window (fyne), run as `imagecx history`
// in a process of its own so the tray app stays small: every capture and
// upload, newest first, with its thumbnail, searchable, and what can be
// done with each — copy its link in any format, open it, open the file or
// its folder, upload it again, take it down from the site (after asking;
// the delete link is fetched then and only then), remove it from the
// history. The list is virtual and reads the history a page at a time, and
// thumbnails are read as their rows come into view: ten thousand entries
// open as fast as ten. The history is read and written off fyne's thread,
// one call at a time (SQLite waits while the tray app writes; the window
// does not).
package window

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // thumbnails of what was uploaded from files
	_ "image/jpeg"
	_ "image/png"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/i18n/fynelang"
	"imagecx/internal/regular"
	"imagecx/internal/shrink"
	"imagecx/uploader"
)

// Title is the window's title before the count (a catalog key).
var Title = i18n.Mark("imagecx History")

// Launcher opens links and folders (package launch).
type Launcher interface {
	URL(link string) error
	Folder(file string) error
}

// Deps is what the window works on.
type Deps struct {
	Store  *history.Store
	Launch Launcher
	// Copy puts text on the clipboard.
	Copy func(text string)
	// Queue asks the running tray app to upload what waits now; an error
	// says it does not run (the entry then waits for its next start).
	Queue func(ctx context.Context) error
	// Delete takes an upload down (uploader.Delete).
	Delete func(ctx context.Context, deleteURL string) error
	// Link is the link format Copy link starts with.
	Link uploader.LinkFormat
	// SetTitle shows the window's title (with the count).
	SetTitle func(string)
	// Window parents the dialogs.
	Window fyne.Window
	// Edit opens the editor on a capture's file (`imagecx edit`: what it
	// uploads is a new capture); nil hides Edit.
	Edit func(file string) error
	// OnThread runs f on fyne's thread (fyne.Do when nil): what the
	// window's goroutines found is shown through it. Tests run it on
	// their own goroutine, as fyne's test driver would run f at once on
	// the goroutine that asks.
	OnThread func(f func())
	// Upload uploads files dropped on the window as one batch (`imagecx
	// open`: through the running tray app, which shows the progress);
	// nil refuses drops.
	Upload func(files []string) error
	// Pin keeps a capture's image on the screen (`imagecx pin`); nil
	// hides Pin to screen.
	Pin func(file string) error
}

// pageSize is how many entries are read at a time.
const pageSize = 100

// filters are the state choices, as the Select shows them.
var filters = []struct {
	label  string
	states []history.State
}{
	{i18n.Mark("All"), nil},
	{i18n.Mark("Uploaded"), []history.State{history.Uploaded}},
	{i18n.Mark("Failed"), []history.State{history.Failed}},
	{i18n.Mark("Waiting"), []history.State{history.Saved, history.Uploading}},
	{i18n.Mark("Not uploaded"), []history.State{history.Local, history.Recovered}},
	{i18n.Mark("Deleted"), []history.State{history.Deleted}},
}

// Window is the history window's content and what it does.
type Window struct {
	Content fyne.CanvasObject
	deps    Deps

	search *searchEntry
	filter *widget.Select
	list   *keyList
	empty  *widget.Label
	format *widget.Select

	// Thumbnails made for entries that have a file and none yet (uploads
	// from the command line), one at a time off fyne's thread.
	thumbs    chan history.Entry
	requested map[int64]bool
	stop      chan struct{}
	stopOnce  sync.Once
	worker    sync.WaitGroup
	ctx       context.Context // done on Close
	cancel    context.CancelFunc

	// The history's calls, in order, on a goroutine of their own; what
	// they found is shown on fyne's thread.
	jobsMu sync.Mutex
	jobs   []job
	wake   chan struct{}
	busy   atomic.Int32 // jobs not yet shown (Settle)
	asked  int          // the last reload asked for
	shown  int          // the reload shown: pages read for an older one are dropped
	paging map[int]bool // pages being read

	// The detail of the selected entry.
	preview           *canvas.Image
	name, when, state *widget.Label
	link              *widget.Label // selectable, wrapped: the whole link, never greyed
	buttons           map[string]*widget.Button
	selected          int // index in the list; -1 for none
	current           history.Entry
	asking            *dialog.ConfirmDialog // the question on screen, if any
	onYes             func()
	mu                sync.Mutex // guards the rows below: the list asks from fyne's thread, reloads come from it too
	query             history.Query
	count, total      int
	pages             map[int][]history.Entry
}

// Button names (catalog keys: the buttons say them in the person's
// language).
var (
	btnCopy   = i18n.Mark("Copy link")
	btnOpen   = i18n.Mark("Open in browser")
	btnFile   = i18n.Mark("Open file")
	btnFolder = i18n.Mark("Show in folder")
	btnAgain  = i18n.Mark("Upload again")
	btnDelete = i18n.Mark("Delete from the site…")
	btnRemove = i18n.Mark("Remove from history…")
	btnEdit   = i18n.Mark("Edit…")
	btnPin    = i18n.Mark("Pin to screen")
)

// New makes the window's content and reads the first page.
func New(deps Deps) *Window {
	w := &Window{deps: deps, selected: -1, pages: map[int][]history.Entry{}, buttons: map[string]*widget.Button{},
		thumbs: make(chan history.Entry, 64), requested: map[int64]bool{}, stop: make(chan struct{}),
		wake: make(chan struct{}, 1), paging: map[int]bool{}}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	w.worker.Add(2)
	go w.makeThumbs()
	go w.runJobs()
	w.search = newSearchEntry(w)
	w.search.SetPlaceHolder(i18n.T("Search titles, windows, file names, dates (2026-12-01)"))
	w.search.OnChanged = func(string) { w.reload() }
	var labels []string
	for _, f := range filters {
		labels = append(labels, i18n.T(f.label))
	}
	w.filter = widget.NewSelect(labels, func(string) { w.reload() })
	w.filter.SetSelectedIndex(0)

	w.list = newKeyList(w)
	w.list.OnSelected = func(id widget.ListItemID) { w.show(id) }
	w.empty = widget.NewLabel("")
	w.empty.Alignment = fyne.TextAlignCenter
	w.empty.Wrapping = fyne.TextWrapWord // across the list's width (a centred label would be one word, or one Chinese character, wide)

	w.preview = canvas.NewImageFromResource(nil)
	w.preview.FillMode = canvas.ImageFillContain
	w.preview.SetMinSize(fyne.NewSize(320, 180))
	w.name, w.when, w.state = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	w.name.TextStyle.Bold = true
	w.name.Wrapping, w.state.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	w.link = widget.NewLabel("")
	w.link.Selectable = true // read only, selectable; Copy link copies it
	w.link.Wrapping = fyne.TextWrapBreak
	var formats []string
	for _, f := range uploader.LinkFormats {
		formats = append(formats, f.Label())
	}
	w.format = widget.NewSelect(formats, func(string) { w.showLink() })
	w.format.SetSelected(cmpOr(deps.Link, uploader.LinkURL).Label())
	add := func(name string, icon fyne.Resource, do func()) *widget.Button {
		b := widget.NewButtonWithIcon(i18n.T(name), icon, do)
		w.buttons[name] = b
		return b
	}
	actions := container.NewVBox(
		container.NewBorder(nil, nil, nil, add(btnCopy, theme.ContentCopyIcon(), w.CopyLink), w.format),
		container.NewGridWithColumns(2,
			add(btnOpen, theme.ComputerIcon(), w.OpenLink),
			add(btnFile, theme.FileImageIcon(), w.OpenFile),
			add(btnFolder, theme.FolderOpenIcon(), w.ShowFolder),
			add(btnAgain, theme.UploadIcon(), w.UploadAgain),
			add(btnDelete, theme.DeleteIcon(), w.AskDelete),
			add(btnRemove, theme.ContentRemoveIcon(), w.AskRemove)),
	)
	var more []fyne.CanvasObject
	if deps.Edit != nil {
		more = append(more, add(btnEdit, theme.DocumentCreateIcon(), w.EditFile))
	}
	if deps.Pin != nil {
		more = append(more, add(btnPin, theme.ViewRestoreIcon(), w.PinFile))
	}
	if len(more) > 0 {
		actions.Add(container.NewGridWithColumns(2, more...))
	}
	detail := container.NewVBox(w.preview, w.name, w.when, w.state, w.link, actions)
	top := container.NewBorder(nil, nil, nil, w.filter, w.search)
	// The empty state at the top of the list's place, across its width (in
	// a box of its own size a wrapped label is one letter wide).
	emptyState := container.NewBorder(container.NewPadded(w.empty), nil, nil, nil)
	split := container.NewHSplit(container.NewStack(w.list, emptyState), container.NewPadded(container.NewVScroll(detail)))
	split.Offset = 0.55
	w.Content = container.NewBorder(container.NewPadded(top), nil, nil, nil, split)
	w.reload()
	w.show(-1)
	// What the tray app or a command records shows within a second.
	w.worker.Add(1)
	go func() {
		defer w.worker.Done()
		deps.Store.Watch(w.ctx, liveEvery, func() { w.onThread(w.live) })
	}()
	return w
}

// onThread runs f on fyne's thread.
func (w *Window) onThread(f func()) {
	if w.deps.OnThread != nil {
		w.deps.OnThread(f)
		return
	}
	fyne.Do(f)
}

// A job calls the history off fyne's thread and returns what shows its
// result, run on fyne's thread (nil for nothing).
type job func(ctx context.Context) (show func())

// do queues j; it never waits.
func (w *Window) do(j job) {
	w.busy.Add(1)
	w.jobsMu.Lock()
	w.jobs = append(w.jobs, j)
	w.jobsMu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// runJobs runs the jobs in order until Close.
func (w *Window) runJobs() {
	defer w.worker.Done()
	for {
		select {
		case <-w.stop:
			return
		case <-w.wake:
		}
		for {
			w.jobsMu.Lock()
			if len(w.jobs) == 0 {
				w.jobsMu.Unlock()
				break
			}
			j := w.jobs[0]
			w.jobs = w.jobs[1:]
			w.jobsMu.Unlock()
			show := j(w.ctx)
			w.onThread(func() {
				defer w.busy.Add(-1)
				if show != nil && w.ctx.Err() == nil {
					show()
				}
			})
		}
	}
}

// Settle waits until what was asked of the history shows (tests, and
// the screenshots).
func (w *Window) Settle(ctx context.Context) error {
	for w.busy.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// liveEvery is how often the window looks for changes to the history.
const liveEvery = 500 * time.Millisecond

// live shows the history as it is now, the selected entry still selected
// (found among the first pages) and the search kept.
func (w *Window) live() {
	select {
	case <-w.stop:
		return
	default:
	}
	w.refresh()
}

func cmpOr(f, def uploader.LinkFormat) uploader.LinkFormat {
	if f == "" {
		return def
	}
	return f
}

// newRow is a list row: the thumbnail, the title, and a line of detail.
func newRow() fyne.CanvasObject {
	img := canvas.NewImageFromResource(nil)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(96, 54))
	title := widget.NewLabel("")
	title.TextStyle.Bold = true
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, img, nil, container.New(layout.NewCustomPaddedVBoxLayout(-12), title, detail))
}

func (w *Window) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	row := o.(*fyne.Container)
	text := row.Objects[0].(*fyne.Container)
	img := row.Objects[1].(*canvas.Image)
	e, ok := w.at(i)
	if !ok {
		return
	}
	title := text.Objects[0].(*widget.Label)
	title.TextStyle.Bold = fynelang.OneWeight(heading(e)) // bold Latin beside regular Han would be two weights
	title.SetText(heading(e))
	text.Objects[1].(*widget.Label).SetText(summary(e))
	img.File = w.thumb(e)
	img.Refresh()
	if img.File == "" && e.File != "" && !w.requested[e.ID] {
		w.requested[e.ID] = true
		select {
		case w.thumbs <- e:
		default: // many at once (a fast scroll): asked again when shown again
			delete(w.requested, e.ID)
		}
	}
}

// makeThumbs makes the thumbnails asked for, until Close.
func (w *Window) makeThumbs() {
	defer w.worker.Done()
	for {
		select {
		case <-w.stop:
			return
		case e := <-w.thumbs:
			data, err := regular.Read(e.File, 256<<20)
			if err != nil {
				continue
			}
			img, _, err := image.Decode(bytes.NewReader(data))
			if err != nil {
				continue
			}
			if w.deps.Store.SaveThumb(e.ID, shrink.Thumbnail(img, history.ThumbSize)) == nil {
				w.onThread(func() { w.list.Refresh() })
			}
		}
	}
}

// Close stops the thumbnail maker.
func (w *Window) Close() {
	w.stopOnce.Do(func() { close(w.stop); w.cancel() })
	w.worker.Wait()
}

// noPreview is what the preview shows without a thumbnail: nothing (an
// empty File alone keeps the last picture on the screen).
var noPreview = image.NewNRGBA(image.Rect(0, 0, 1, 1))

// setPreview shows the thumbnail file, or nothing for "".
func (w *Window) setPreview(file string) {
	w.preview.Resource = nil
	w.preview.File = file
	w.preview.Image = nil
	if file == "" {
		w.preview.Image = noPreview
	}
	w.preview.Refresh()
}

// thumb is e's thumbnail file, "" when there is none.
func (w *Window) thumb(e history.Entry) string {
	p := w.deps.Store.ThumbPath(e.ID)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// heading is what names an entry: its title, the window it was taken
// from, or its file name.
func heading(e history.Entry) string {
	switch {
	case e.Title != "":
		return e.Title
	case e.Window != "":
		return e.Window
	}
	return e.Name
}

// summary is an entry's line of detail: when, how big, and its state.
func summary(e history.Entry) string {
	parts := []string{e.Created.Local().Format("2006-01-02 15:04")}
	if e.Width > 0 {
		parts = append(parts, fmt.Sprintf("%d×%d", e.Width, e.Height))
	}
	if e.Duration > 0 { // a recording: how long it plays
		s := int(e.Duration.Round(time.Second).Seconds())
		parts = append(parts, fmt.Sprintf("%d:%02d", s/60, s%60))
	}
	parts = append(parts, explain.Size(e.Bytes), stateWords(e))
	return strings.Join(parts, " · ")
}

// stateWords says an entry's state for people.
func stateWords(e history.Entry) string {
	switch e.State {
	case history.Uploaded:
		return i18n.T("uploaded")
	case history.Failed:
		if e.Permanent {
			return i18n.T("failed: {{.why}}", "why", explain.Lower(e.Error))
		}
		return i18n.T("failed, tried again soon: {{.why}}", "why", explain.Lower(e.Error))
	case history.Saved:
		return i18n.T("waiting to be uploaded")
	case history.Uploading:
		return i18n.T("uploading")
	case history.Deleted:
		return i18n.T("deleted from the site")
	case history.Local:
		return i18n.T("kept on this computer, not uploaded")
	case history.Recovered:
		return i18n.T("found in the captures folder; not known to be uploaded")
	}
	return string(e.State)
}

// length is the list's length.
func (w *Window) length() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.count
}

// at is the entry at list index i, read with its page when needed.
func (w *Window) at(i int) (history.Entry, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := i / pageSize
	page, ok := w.pages[p]
	if !ok {
		if !w.paging[p] { // read it, and show the rows when it is
			w.paging[p] = true
			q, shown := w.query, w.shown
			q.Limit, q.Offset = pageSize, p*pageSize
			w.do(func(ctx context.Context) func() {
				page, err := w.deps.Store.List(ctx, q)
				return func() {
					w.mu.Lock()
					if shown != w.shown { // the list started over meanwhile
						w.mu.Unlock()
						return
					}
					delete(w.paging, p)
					if err == nil {
						w.pages[p] = page
					}
					w.mu.Unlock()
					w.list.Refresh()
				}
			})
		}
		return history.Entry{}, false
	}
	if i%pageSize >= len(page) {
		return history.Entry{}, false
	}
	return page[i%pageSize], true
}

// reload reads the count again for the search and the filter, and starts
// the list over, nothing selected.
func (w *Window) reload() { w.load(0) }

// refresh reads the list again, the selected entry still selected (when
// it is among the first pages and still matches).
func (w *Window) refresh() {
	var keep int64
	if w.selected >= 0 {
		keep = w.current.ID
	}
	w.load(keep)
}

// load starts the list over for the search and the filter: the count,
// the first page, and the pages down to entry keep (up to five) to
// select it again.
func (w *Window) load(keep int64) {
	if w.list == nil || w.filter == nil {
		return // still being built
	}
	q := history.Query{Text: w.search.Text}
	if i := w.filter.SelectedIndex(); i > 0 {
		q.States = filters[i].states
	}
	w.asked++
	asked := w.asked
	w.do(func(ctx context.Context) func() {
		count, err := w.deps.Store.Count(ctx, q)
		total, _ := w.deps.Store.Count(ctx, history.Query{})
		pages, at := map[int][]history.Entry{}, -1
		for p := 0; err == nil && p < 5; p++ {
			pq := q
			pq.Limit, pq.Offset = pageSize, p*pageSize
			page, err := w.deps.Store.List(ctx, pq)
			if err != nil {
				break
			}
			pages[p] = page
			at = slices.IndexFunc(page, func(e history.Entry) bool { return e.ID == keep })
			if at >= 0 {
				at += p * pageSize
			}
			if keep == 0 || at >= 0 || len(page) < pageSize {
				break
			}
		}
		return func() {
			if asked != w.asked {
				return // a newer search is on its way
			}
			w.showList(q, count, total, pages, err)
			if at >= 0 {
				w.list.Select(at)
			}
		}
	})
}

// showList shows a list read for q, nothing selected.
func (w *Window) showList(q history.Query, count, total int, pages map[int][]history.Entry, err error) {
	if err != nil {
		w.fail(i18n.T("The history could not be read"), err)
	}
	w.mu.Lock()
	w.query, w.count, w.total, w.pages, w.paging = q, count, total, pages, map[int]bool{}
	w.shown++
	w.mu.Unlock()
	w.list.UnselectAll()
	w.list.Refresh()
	w.show(-1)
	switch {
	case total == 0:
		w.empty.SetText(i18n.T("Nothing captured yet. Captures and uploads show here, newest first."))
	case count == 0:
		w.empty.SetText(i18n.T("Nothing matches."))
	default:
		w.empty.SetText("")
	}
	if w.deps.SetTitle != nil {
		w.deps.SetTitle(w.title())
	}
}

// title is the window's title with the count: "imagecx History (10 000)",
// "imagecx History (12 of 10 000)" while searching.
func (w *Window) title() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.count == w.total {
		return i18n.T("{{.title}} ({{.n}})", "title", i18n.T(Title), "n", explain.Count(w.total))
	}
	return i18n.T("{{.title}} ({{.n}} of {{.all}})", "title", i18n.T(Title), "n", explain.Count(w.count), "all", explain.Count(w.total))
}

// show shows entry i's detail (none for -1).
func (w *Window) show(i int) {
	w.selected = i
	e, ok := history.Entry{}, false
	if i >= 0 {
		e, ok = w.at(i)
	}
	w.current = e
	if !ok {
		w.selected = -1
		w.setPreview("")
		w.name.SetText(i18n.T("Nothing selected"))
		w.when.SetText(i18n.T("Choose a capture in the list."))
		w.state.SetText("")
		w.link.SetText("")
		for _, b := range w.buttons {
			b.Disable()
		}
		return
	}
	w.setPreview(w.thumb(e))
	w.name.TextStyle.Bold = fynelang.OneWeight(heading(e))
	w.name.SetText(heading(e))
	w.when.SetText(summary(e))
	w.state.SetText(e.File)
	w.showLink()
	has := e.Link() != "" && e.State != history.Deleted // a dead link is not offered
	_, statErr := os.Stat(e.File)
	fileThere := e.File != "" && statErr == nil
	for name, on := range map[string]bool{
		btnCopy: has, btnOpen: has, btnFile: fileThere, btnFolder: fileThere,
		btnAgain:  fileThere && e.State != history.Uploading && e.State != history.Saved,
		btnDelete: e.DeleteURL != "" && e.State != history.Deleted, btnRemove: true,
		btnEdit: fileThere, btnPin: fileThere && (e.MIME == "" || strings.HasPrefix(e.MIME, "image/")),
	} {
		if w.buttons[name] == nil {
			continue
		}
		if on {
			w.buttons[name].Enable()
		} else {
			w.buttons[name].Disable()
		}
	}
}

// format is the link format chosen.
func (w *Window) linkFormat() uploader.LinkFormat {
	i := w.format.SelectedIndex()
	if i < 0 {
		return uploader.LinkURL
	}
	return uploader.LinkFormats[i]
}

// showLink shows the selected entry's link in the format chosen.
func (w *Window) showLink() {
	if w.selected < 0 || w.current.Link() == "" || w.current.State == history.Deleted {
		w.link.SetText("")
		return
	}
	w.link.SetText(uploader.FormatLink(w.current.Result(), w.linkFormat()))
}

// Select selects list index i, as a click would.
func (w *Window) Select(i int) {
	w.list.Select(i)
	w.list.ScrollTo(i)
}

// Search searches for text, as typing it would.
func (w *Window) Search(text string) { w.search.SetText(text) }

// CopyLink copies the selected entry's link in the format chosen.
func (w *Window) CopyLink() {
	if w.selected < 0 || w.current.Link() == "" {
		return
	}
	w.deps.Copy(uploader.FormatLink(w.current.Result(), w.linkFormat()))
}

// OpenLink opens the selected entry's link in the browser.
func (w *Window) OpenLink() {
	if w.selected >= 0 && w.current.Link() != "" {
		if err := w.deps.Launch.URL(w.current.Link()); err != nil {
			w.fail(i18n.T("The link could not be opened"), err)
		}
	}
}

// OpenFile opens the selected capture's file, the desktop's way.
func (w *Window) OpenFile() {
	if w.selected >= 0 && w.current.File != "" {
		if err := w.deps.Launch.URL(w.current.File); err != nil {
			w.fail(i18n.T("The file could not be opened"), err)
		}
	}
}

// ShowFolder opens the folder of the selected capture's file.
func (w *Window) ShowFolder() {
	if w.selected >= 0 && w.current.File != "" {
		if err := w.deps.Launch.Folder(w.current.File); err != nil {
			w.fail(i18n.T("The folder could not be opened"), err)
		}
	}
}

// EditFile opens the editor on the selected capture's file; what the
// person uploads from there is a capture of its own, in the history.
func (w *Window) EditFile() {
	if w.selected >= 0 && w.current.File != "" && w.deps.Edit != nil {
		if err := w.deps.Edit(w.current.File); err != nil {
			w.fail(i18n.T("The editor could not be opened"), err)
		}
	}
}

// PinFile keeps the selected capture's image on the screen.
func (w *Window) PinFile() {
	if w.selected >= 0 && w.current.File != "" && w.deps.Pin != nil {
		if err := w.deps.Pin(w.current.File); err != nil {
			w.fail(i18n.T("Not pinned"), err)
		}
	}
}

// UploadAgain queues the selected capture and asks the tray app to
// upload it.
func (w *Window) UploadAgain() {
	if w.selected < 0 {
		return
	}
	id := w.current.ID
	w.do(func(ctx context.Context) func() {
		if err := w.deps.Store.Again(ctx, id); err != nil {
			return func() { w.fail(i18n.T("Not queued"), err) }
		}
		notRunning := w.deps.Queue(ctx) != nil
		return func() {
			if notRunning {
				w.say(i18n.T("Queued"), i18n.T("imagecx is not running: it uploads this when it starts."))
			}
			w.refresh()
		}
	})
}

// Drop uploads the files dropped on the window as one batch; what is
// not a local file (a link dragged from a browser comes as one) is
// uploaded from its address.
func (w *Window) Drop(uris []fyne.URI) {
	if w.deps.Upload == nil {
		return
	}
	var files []string
	for _, u := range uris {
		switch u.Scheme() {
		case "file":
			files = append(files, u.Path())
		case "https", "http":
			files = append(files, u.String())
		}
	}
	if len(files) == 0 {
		w.say(i18n.T("Nothing to upload"), i18n.T("Drop image or video files here to upload them."))
		return
	}
	if err := w.deps.Upload(files); err != nil {
		w.fail(i18n.T("Not uploaded"), err)
	}
}

// AskDelete asks before taking the selected upload down from the site.
func (w *Window) AskDelete() {
	if w.selected < 0 || w.current.DeleteURL == "" {
		return
	}
	e := w.current
	w.confirm(i18n.T("Delete from {{.host}}?", "host", e.Site()), e.Link()+"\n\n"+i18n.T("It cannot be undone. The copy on this computer stays."), i18n.T("Delete"), func() { w.delete(e) })
}

// delete takes e down from the site (the question was answered yes).
func (w *Window) delete(e history.Entry) {
	w.worker.Add(1)
	w.busy.Add(1)
	go func() { // the network is not waited on in the window's thread, nor are the history's reads
		defer w.worker.Done()
		defer w.busy.Add(-1)
		ctx, cancel := context.WithTimeout(w.ctx, time.Minute)
		defer cancel()
		err := w.deps.Delete(ctx, e.DeleteURL)
		if err == nil {
			err = w.deps.Store.MarkDeleted(ctx, e.ID)
		}
		w.onThread(func() {
			if err != nil {
				w.fail(i18n.T("Not deleted"), err)
				return
			}
			w.refresh()
		})
	}()
}

// AskRemove asks before forgetting the selected entry.
func (w *Window) AskRemove() {
	if w.selected < 0 {
		return
	}
	e := w.current
	w.confirm(i18n.T("Remove from the history?"), heading(e)+"\n\n"+i18n.T("The file and the upload stay where they are; only this entry goes."), i18n.T("Remove"), func() {
		w.do(func(ctx context.Context) func() {
			if err := w.deps.Store.Remove(ctx, e.ID); err != nil && !errors.Is(err, history.ErrNotFound) {
				return func() { w.fail(i18n.T("Not removed"), err) }
			}
			return w.reload
		})
	})
}

// confirm asks before do; Enter answers yes, Esc no (Answer).
func (w *Window) confirm(title, text, yes string, do func()) {
	if w.deps.Window == nil {
		do()
		return
	}
	d := dialog.NewConfirm(title, text, func(ok bool) {
		w.asking, w.onYes = nil, nil
		if ok {
			do()
		}
	}, w.deps.Window)
	d.SetConfirmText(yes)
	d.SetDismissText(i18n.T("Cancel"))
	w.asking, w.onYes = d, do
	d.Show()
}

// Asking reports whether a question is on screen.
func (w *Window) Asking() bool { return w.asking != nil }

// Answer answers the question on screen, as its buttons would.
func (w *Window) Answer(yes bool) {
	d, do := w.asking, w.onYes
	if d == nil {
		return
	}
	w.asking, w.onYes = nil, nil
	d.Hide()
	if yes {
		do()
	}
}

func (w *Window) fail(title string, err error) {
	if w.deps.Window != nil {
		dialog.ShowInformation(title, explain.Error(err), w.deps.Window)
	}
}

func (w *Window) say(title, text string) {
	if w.deps.Window != nil {
		dialog.ShowInformation(title, text, w.deps.Window)
	}
}

// keyList is the list with the window's keys: Enter opens the selected
// link, Delete asks to take it down from the site (a focused list would
// keep them from the window).
type keyList struct {
	widget.List
	w *Window
}

func newKeyList(w *Window) *keyList {
	l := &keyList{w: w}
	l.Length, l.CreateItem, l.UpdateItem = w.length, newRow, w.updateRow
	l.ExtendBaseWidget(l)
	return l
}

func (l *keyList) TypedKey(k *fyne.KeyEvent) {
	if l.w.Asking() {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			l.w.Answer(true)
		case fyne.KeyEscape:
			l.w.Answer(false)
		}
		return
	}
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		l.w.OpenLink()
	case fyne.KeyDelete:
		l.w.AskDelete()
	case fyne.KeyEscape:
		l.w.closeWindow()
	default:
		l.List.TypedKey(k)
	}
}

// closeWindow closes the window (Esc).
func (w *Window) closeWindow() {
	if w.deps.Window != nil {
		w.deps.Window.Close()
	}
}

// searchEntry is the search field: Down moves to the list, Esc clears
// the search (and closes the window when there is none).
type searchEntry struct {
	widget.Entry
	w *Window
}

func newSearchEntry(w *Window) *searchEntry {
	e := &searchEntry{w: w}
	e.ExtendBaseWidget(e)
	return e
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape { // clears the search, then closes
		if e.Text != "" {
			e.SetText("")
		} else {
			e.w.closeWindow()
		}
		return
	}
	if k.Name == fyne.KeyDown && e.w.length() > 0 {
		e.w.Select(0)
		if c := fyne.CurrentApp().Driver().CanvasForObject(e.w.list); c != nil {
			c.Focus(e.w.list)
		}
		return
	}
	e.Entry.TypedKey(k)
}
