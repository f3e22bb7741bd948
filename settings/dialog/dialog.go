// Package dialog is the settings window (fyne), run as `imagecx settings`
// in a process of its own so the tray app stays small: the API key, the
// hotkeys, what happens after a capture, upload options and general
// settings. Save validates everything, shows problems beside the fields and
// writes atomically; Cancel changes nothing.
package dialog

import (
	"context"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	fdialog "fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"imagecx/action"
	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/record"
	"imagecx/settings"
	"imagecx/uploader"
	"imagecx/uploader/sxcu"
	"imagecx/uploaders"
)

// Autostart turns starting at login on and off.
type Autostart interface {
	Enabled() bool
	Set(on bool) error
}

// Deps is what the dialog works on.
type Deps struct {
	Store     settings.Store
	Keys      settings.Keys
	Autostart Autostart // nil where unsupported
	// Getenv is the environment (IMAGECX_ENDPOINT overrides the site);
	// nil means none.
	Getenv func(string) string
	// HotkeyErrors are the tray app's registration failures by action.
	HotkeyErrors map[action.ID]string
	// NewClient makes the client Test uses; nil means uploader.New.
	NewClient func(key, endpoint string) (verifier, error)
	// Saved runs after a successful save (tell the tray app to reload).
	Saved func()
	// Recording, if set, hears when a hotkey field starts and stops
	// recording: the tray app lets go of its hotkeys meanwhile, or
	// pressing one to record it would take a screenshot.
	Recording func(on bool)
	// Close closes the window (after Save or Cancel).
	Close func()
	// Window, if set, parents the folder picker.
	Window fyne.Window
	// ChooseFolder, if set, opens the desktop's own folder chooser at
	// current and waits for the person: the folder, "" when they closed
	// it, an error when the desktop has none (the window's own picker
	// opens instead).
	ChooseFolder func(current string) (string, error)
	// Desktop is what only the desktop does (GNOME's own keyboard
	// shortcuts, its screenshot permission); nil where there is nothing.
	Desktop Desktop
	// Uploaders are the imported custom uploaders; nil hides the
	// destination picker and Import….
	Uploaders *uploaders.Store
}

// Desktop is what the settings window asks of a desktop that gives
// imagecx no hotkeys of its own (GNOME on Wayland).
type Desktop interface {
	// Name is the desktop's name for people: "GNOME".
	Name() string
	// AddShortcuts makes the capture hotkeys the desktop's own keyboard
	// shortcuts, running imagecx's capture commands.
	AddShortcuts(hk settings.Hotkeys) error
	// ScreenshotsDenied reports whether the desktop was told to refuse
	// screenshots (Deny, when it asked).
	ScreenshotsDenied() bool
	// AllowScreenshots undoes that.
	AllowScreenshots() error
}

type verifier interface {
	Verify(ctx context.Context) error
}

// The same choices as the command line's --expire (their labels are
// catalog keys: labels says them).
var expiryLabels = []string{i18n.Mark("Never"), i18n.Mark("5 minutes"), i18n.Mark("1 hour"), i18n.Mark("1 day"), i18n.Mark("1 week"), i18n.Mark("1 month"), i18n.Mark("1 year")}
var expiryValues = []string{"", "PT5M", "PT1H", "P1D", "P1W", "P1M", "P1Y"}

var formatLabels = []string{i18n.Mark("PNG (lossless)"), "JPEG", i18n.Mark("WebP (lossless)")}
var formatValues = []string{"png", "jpeg", "webp"}

// labels are keys in the person's language.
func labels(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = i18n.T(k)
	}
	return out
}

// entry is a text field where Enter saves and Esc cancels, as in the rest
// of the window (a focused fyne Entry keeps those keys to itself).
type entry struct {
	widget.Entry
	d *Form
}

func (d *Form) newEntry(password bool) *entry {
	e := &entry{d: d}
	if password {
		e.Password = true
		e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	}
	e.OnSubmitted = func(string) { d.Save() }
	e.ExtendBaseWidget(e)
	return e
}

func (e *entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.d.Cancel()
		return
	}
	e.Entry.TypedKey(k)
}

// Form is the settings form.
type Form struct {
	deps Deps
	cfg  settings.Config

	Content fyne.CanvasObject

	key      *entry
	keyWhere *widget.Label
	// stored is what the keyring holds, read when the window opens and
	// after Save and Remove key, not at each keystroke (a keyring may take
	// a moment, and asks on the UI's goroutine).
	stored struct {
		key string
		loc settings.Location
		err error
	}
	keyStatus     *widget.Label
	keyMark       *widget.Icon
	chooseBtn     *widget.Button // beside keyStatus: a green tick or a red cross
	testBtn       *widget.Button
	removeBtn     *widget.Button
	hotkeys       map[action.ID]*hotkeyEntry
	hotkeyErrs    map[action.ID]*widget.Label
	shortcutsBtn  *widget.Button
	shortcutsMsg  *widget.Label
	allowBtn      *widget.Button
	allowMsg      *widget.Label
	link          *widget.Select
	keepLocal     *widget.Check
	afterRegion   *widget.RadioGroup
	saveDir       *entry
	format        *widget.Select
	quality       *widget.Slider
	qualityLbl    *widget.Label
	notify        *widget.Check
	thumbnail     *widget.Check
	sound         *widget.Check
	recordFPS     *widget.Select
	recordMax     *widget.Select
	recordKind    *widget.Select
	ffmpeg        *entry // nil where the row is not shown
	ffmpegMsg     *widget.Label
	album         *entry
	expiry        *widget.Select
	nsfw          *widget.Check
	title         *entry
	lossless      *widget.Check
	destination   *widget.Select
	importMsg     *widget.Label
	autostart     *widget.Check
	monitors      *widget.RadioGroup
	language      *widget.Select
	endpointEntry *entry
	endpointEr    *widget.Label
	saveErr       *widget.Label
	tabs          *container.AppTabs
	SaveBtn       *widget.Button
	CancelBtn     *widget.Button
}

// New builds the form from the stored settings.
func New(deps Deps) *Form {
	cfg, _ := deps.Store.Load() // a corrupt file was already reported; defaults are shown
	d := &Form{deps: deps, cfg: cfg, hotkeys: map[action.ID]*hotkeyEntry{}, hotkeyErrs: map[action.ID]*widget.Label{}}
	d.Content = container.NewBorder(nil, d.buttons(), nil, nil, d.buildTabs())
	return d
}

func (d *Form) buildTabs() fyne.CanvasObject {
	d.tabs = container.NewAppTabs(
		container.NewTabItem(i18n.T("Account"), d.account()),
		container.NewTabItem(i18n.T("Hotkeys"), d.hotkeyTab()),
		container.NewTabItem(i18n.T("After capture"), d.afterCapture()),
		container.NewTabItem(i18n.T("Upload"), d.uploadTab()),
		container.NewTabItem(i18n.T("General"), d.general()),
	)
	return d.tabs
}

func (d *Form) endpoint() string { return settings.Endpoint(d.endpointText(), d.deps.Getenv) }

// envEndpoint is IMAGECX_ENDPOINT, if it is set.
func (d *Form) envEndpoint() string {
	if d.deps.Getenv == nil {
		return ""
	}
	return strings.TrimSpace(d.deps.Getenv(settings.EnvEndpoint))
}

func (d *Form) endpointText() string {
	if d.endpointEntry != nil {
		return d.endpointEntry.Text
	}
	return d.cfg.Endpoint
}

func (d *Form) account() fyne.CanvasObject {
	d.key = d.newEntry(true)
	d.key.SetPlaceHolder(i18n.T("paste your API key (chv_…)"))
	d.keyWhere = widget.NewLabel("")
	d.keyWhere.Wrapping = fyne.TextWrapWord
	d.keyStatus = widget.NewLabel("")
	d.keyStatus.Wrapping = fyne.TextWrapWord
	d.keyMark = widget.NewIcon(nil)
	d.keyMark.Hide()
	d.key.OnChanged = func(string) { d.showWhere() }
	d.testBtn = widget.NewButtonWithIcon(i18n.T("Test"), theme.ConfirmIcon(), func() {
		d.setKeyStatus(i18n.T("Testing…"), neutral)
		go d.ShowTest(context.Background())
	})
	d.removeBtn = widget.NewButtonWithIcon(i18n.T("Remove key"), theme.DeleteIcon(), func() { d.RemoveKey() })
	d.refreshWhere()
	link := widget.NewHyperlink(i18n.T("Create a key on image.cx"), nil)
	if u, err := url.Parse(strings.TrimRight(d.endpoint(), "/") + "/settings/api"); err == nil {
		link.SetURL(u)
		link.SetText(i18n.T("Create a key at {{.url}}", "url", u.String()))
	}
	return container.NewVBox(
		widget.NewLabelWithStyle(i18n.T("API key"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		d.key,
		container.NewHBox(d.testBtn, d.removeBtn),
		container.NewBorder(nil, nil, d.keyMark, nil, d.keyStatus),
		d.keyWhere,
		link,
	)
}

// refreshWhere reads what the keyring holds again, and shows it.
func (d *Form) refreshWhere() {
	d.stored.key, d.stored.loc, d.stored.err = d.deps.Keys.Get(context.Background())
	d.showWhere()
}

// showWhere says what is stored: the key's last four characters and
// where, or that the key in the field is not saved yet; Remove key only
// where there is one.
func (d *Form) showWhere() {
	stored, loc, err := d.stored.key, d.stored.loc, d.stored.err
	typed := strings.TrimSpace(d.key.Text)
	d.removeBtn.Disable()
	switch {
	case err != nil:
		d.keyWhere.SetText(i18n.T("The stored key could not be read.") + " " + explain.Error(err))
	case typed != "" && typed != stored:
		d.keyWhere.SetText(i18n.T("Not saved yet: Save stores it."))
		if loc.Source != settings.SourceNone {
			d.removeBtn.Enable()
		}
	case loc.Source == settings.SourceNone:
		d.keyWhere.SetText(i18n.T("No key is stored yet."))
	default:
		d.keyWhere.SetText(i18n.T("A key ending in …{{.end}} is stored in {{.where}}.", "end", lastFour(stored), "where", loc.String()))
		d.removeBtn.Enable()
	}
}

// lastFour is the end of a key, enough to tell keys apart.
func lastFour(key string) string {
	if len(key) <= 8 {
		return ""
	}
	return key[len(key)-4:]
}

func (d *Form) hotkeyTab() fyne.CanvasObject {
	grid := container.New(layout.NewFormLayout())
	for _, a := range action.All {
		errLbl := widget.NewLabel("")
		errLbl.Wrapping = fyne.TextWrapWord
		errLbl.Importance = widget.DangerImportance
		d.hotkeyErrs[a.ID] = errLbl
		d.hotkeys[a.ID] = newHotkeyEntry(d.cfg.Hotkeys[a.ID], func(string) { d.checkHotkeys() }, d.Cancel)
		d.hotkeys[a.ID].onRecording = d.deps.Recording
		grid.Add(widget.NewLabel(a.Name()))
		grid.Add(container.NewVBox(d.hotkeys[a.ID], errLbl))
	}
	d.checkHotkeys()
	box := container.NewVBox(widget.NewLabel(i18n.T("Click a field, then press the keys. Backspace clears it.")), grid)
	if dt := d.deps.Desktop; dt != nil {
		info := widget.NewLabel(i18n.T("{{.desktop}} does not let applications take keys: these hotkeys work once they are {{.desktop}}'s own keyboard shortcuts, with or without the tray app.", "desktop", dt.Name()))
		info.Wrapping = fyne.TextWrapWord
		d.shortcutsMsg = widget.NewLabel("")
		d.shortcutsMsg.Wrapping = fyne.TextWrapWord
		d.shortcutsMsg.Hide()
		d.shortcutsBtn = widget.NewButtonWithIcon(i18n.T("Add keyboard shortcuts"), theme.ContentAddIcon(), d.addShortcuts)
		box.Add(widget.NewSeparator())
		box.Add(info)
		box.Add(container.NewHBox(d.shortcutsBtn))
		box.Add(d.shortcutsMsg)
	}
	return container.NewVScroll(box) // a row per action: more than the window's height
}

// addShortcuts binds the hotkeys in the fields (saved or not) as the
// desktop's own shortcuts.
func (d *Form) addShortcuts() {
	hk := settings.Hotkeys{}
	for id, e := range d.hotkeys {
		hk[id] = e.Value()
	}
	d.shortcutsMsg.Show()
	if err := d.deps.Desktop.AddShortcuts(hk); err != nil {
		d.shortcutsMsg.Importance = widget.DangerImportance
		d.shortcutsMsg.SetText(explain.Error(err))
		return
	}
	d.shortcutsMsg.Importance = widget.SuccessImportance
	d.shortcutsMsg.SetText(i18n.T("Added to {{.desktop}}'s keyboard shortcuts.", "desktop", d.deps.Desktop.Name()))
}

// allowRow offers to undo a Deny the desktop keeps, when it keeps one.
func (d *Form) allowRow() fyne.CanvasObject {
	dt := d.deps.Desktop
	if dt == nil || !dt.ScreenshotsDenied() {
		return nil
	}
	d.allowMsg = widget.NewLabel(i18n.T("{{.desktop}} was told not to let applications take screenshots (Deny, when it asked): every capture fails.", "desktop", dt.Name()))
	d.allowMsg.Wrapping = fyne.TextWrapWord
	d.allowMsg.Importance = widget.DangerImportance
	d.allowBtn = widget.NewButton(i18n.T("Allow screenshots"), func() {
		if err := dt.AllowScreenshots(); err != nil {
			d.allowMsg.SetText(explain.Error(err))
			return
		}
		d.allowMsg.Importance = widget.SuccessImportance
		d.allowMsg.SetText(i18n.T("Screenshots are allowed again."))
		d.allowBtn.Disable()
	})
	return container.NewVBox(d.allowMsg, container.NewHBox(d.allowBtn))
}

// setError shows msg under a field, or hides the label when there is none.
func setError(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// checkHotkeys marks combinations used by two actions.
func (d *Form) checkHotkeys() bool {
	ok := true
	seen := map[string]string{}
	for _, a := range action.All {
		v := d.hotkeys[a.ID].Value()
		msg := d.deps.HotkeyErrors[a.ID]
		if v != "" {
			if other, dup := seen[v]; dup {
				msg, ok = i18n.T("{{.hotkey}} is already used for {{.action}}", "hotkey", v, "action", other), false
			}
			seen[v] = a.Name()
		}
		setError(d.hotkeyErrs[a.ID], msg)
	}
	return ok
}

func (d *Form) afterCapture() fyne.CanvasObject {
	var formats []string
	for _, f := range uploader.LinkFormats {
		formats = append(formats, f.Label())
	}
	d.link = widget.NewSelect(formats, nil)
	d.link.SetSelectedIndex(indexOf(uploader.LinkFormats, uploader.LinkFormat(d.cfg.LinkFormat)))
	d.keepLocal = widget.NewCheck(i18n.T("Keep a local copy after the upload (a failed upload always keeps it)"), nil)
	d.keepLocal.SetChecked(d.cfg.Capture.KeepLocal)
	d.afterRegion = widget.NewRadioGroup(labels(afterRegionLabels), nil)
	d.afterRegion.Horizontal = true
	d.afterRegion.Required = true
	d.afterRegion.SetSelected(d.afterRegion.Options[indexOf(afterRegionValues, d.cfg.Capture.AfterRegion)])
	d.saveDir = d.newEntry(false)
	d.saveDir.SetText(d.cfg.Capture.SaveDir)
	d.saveDir.SetPlaceHolder("~/Pictures/imagecx")
	d.chooseBtn = widget.NewButton(i18n.T("Choose…"), d.chooseFolder)
	d.format = widget.NewSelect(labels(formatLabels), nil)
	d.format.SetSelectedIndex(indexOf(formatValues, d.cfg.Capture.Format))
	d.quality = widget.NewSlider(50, 100)
	d.quality.Step = 1
	d.qualityLbl = widget.NewLabel("")
	jpeg := func() bool { return formatValues[max(0, d.format.SelectedIndex())] == "jpeg" }
	showQuality := func() {
		text := i18n.T("JPEG quality {{.n}}", "n", int(d.quality.Value))
		d.qualityLbl.Importance = widget.MediumImportance
		if !jpeg() {
			text = i18n.T("JPEG quality {{.n}} (used with JPEG only)", "n", int(d.quality.Value))
			d.qualityLbl.Importance = widget.LowImportance
		}
		d.qualityLbl.SetText(text)
	}
	d.quality.OnChanged = func(float64) { showQuality() }
	d.quality.SetValue(float64(d.cfg.Capture.Quality))
	// The quality is JPEG's: with PNG or lossless WebP it does nothing.
	d.format.OnChanged = func(string) {
		if jpeg() {
			d.quality.Enable()
		} else {
			d.quality.Disable()
		}
		showQuality()
	}
	d.format.OnChanged(d.format.Selected)
	d.notify = widget.NewCheck(i18n.T("Show a notification after each capture (failures always show)"), nil)
	d.notify.SetChecked(d.cfg.Notify)
	d.sound = widget.NewCheck(i18n.T("Play the desktop's capture sound when the link is ready"), nil)
	d.sound.SetChecked(d.cfg.Sound)
	return container.NewVBox(
		widget.NewLabel(i18n.T("Copy to the clipboard")), d.link,
		d.keepLocal,
		widget.NewLabel(i18n.T("After selecting a region")), d.afterRegion,
		widget.NewLabel(i18n.T("Captures folder")), container.NewBorder(nil, nil, nil, d.chooseBtn, d.saveDir),
		widget.NewLabel(i18n.T("Image format")), d.format, d.qualityLbl, d.quality,
		d.notify, d.sound,
	)
}

// What can follow a region's selection, as the settings say it.
var (
	afterRegionValues = []string{settings.AfterRegionUpload, settings.AfterRegionEdit}
	afterRegionLabels = []string{i18n.Mark("Upload at once"), i18n.Mark("Open the editor")}
)

// chooseFolder asks for the captures folder, starting at the one the
// field names: in the desktop's own chooser where it has one, else in a
// picker inside the window.
func (d *Form) chooseFolder() {
	current := d.folderShown()
	if d.deps.ChooseFolder == nil {
		d.pickInWindow(current)
		return
	}
	d.chooseBtn.Disable() // one chooser at a time
	go func() {
		dir, err := d.deps.ChooseFolder(current)
		fyne.Do(func() {
			d.chooseBtn.Enable()
			switch {
			case err != nil:
				d.pickInWindow(current)
			case dir != "":
				d.saveDir.SetText(dir)
			}
		})
	}()
}

// folderShown is the folder the captures folder field names (its
// placeholder's when empty), or the nearest one above it that exists.
func (d *Form) folderShown() string {
	dir := strings.TrimSpace(d.saveDir.Text)
	if dir == "" {
		dir = d.saveDir.PlaceHolder
	}
	home, _ := os.UserHomeDir()
	if home != "" && (dir == "~" || strings.HasPrefix(dir, "~/")) {
		dir = filepath.Join(home, strings.TrimPrefix(dir, "~"))
	}
	for dir != "" && filepath.IsAbs(dir) {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return home
}

// pickInWindow is fyne's folder picker, inside the settings window.
func (d *Form) pickInWindow(current string) {
	if d.deps.Window == nil {
		return
	}
	picker := fdialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err == nil && u != nil {
			d.saveDir.SetText(u.Path())
		}
	}, d.deps.Window)
	if current != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(current)); err == nil {
			picker.SetLocation(l)
		}
	}
	picker.Show()
}

func (d *Form) uploadTab() fyne.CanvasObject {
	d.album = d.newEntry(false)
	d.album.SetText(d.cfg.Upload.AlbumID)
	d.album.SetPlaceHolder(i18n.T("album id, e.g. oHo (optional)"))
	d.expiry = widget.NewSelect(labels(expiryLabels), nil)
	d.expiry.SetSelectedIndex(max(0, indexOf(expiryValues, d.cfg.Upload.Expiration)))
	d.nsfw = widget.NewCheck(i18n.T("Mark uploads as not safe for work"), nil)
	d.nsfw.SetChecked(d.cfg.Upload.NSFW)
	d.title = d.newEntry(false)
	d.title.SetText(d.cfg.Upload.TitleTemplate)
	d.title.SetPlaceHolder(i18n.T("e.g. {window} {date} {time} (empty: the file name)"))
	d.lossless = widget.NewCheck(i18n.T("Always lossless: never convert a capture over 5 MB to JPEG"), nil)
	d.lossless.SetChecked(d.cfg.Upload.AlwaysLossless)
	var dest []fyne.CanvasObject
	if d.deps.Uploaders != nil {
		d.destination = widget.NewSelect(nil, nil)
		d.importMsg = widget.NewLabel("")
		d.importMsg.Wrapping = fyne.TextWrapWord
		d.importMsg.Hide()
		d.refreshDestinations(d.cfg.Upload.Destination)
		importBtn := widget.NewButton(i18n.T("Import…"), d.pickUploader)
		hint := widget.NewLabel(i18n.T("Import a ShareX custom uploader (.sxcu) to send to another host; the options below are image.cx's."))
		hint.Wrapping = fyne.TextWrapWord
		dest = []fyne.CanvasObject{widget.NewLabel(i18n.T("Send captures to")),
			container.NewBorder(nil, nil, nil, importBtn, d.destination), d.importMsg, hint}
	}
	return container.NewVBox(append(dest,
		widget.NewLabel(i18n.T("Album")), d.album,
		widget.NewLabel(i18n.T("Delete automatically after")), d.expiry,
		d.nsfw,
		widget.NewLabel(i18n.T("Title")), d.title,
		d.lossless,
	)...)
}

// refreshDestinations lists image.cx and the imported uploaders that take
// images, selecting current.
func (d *Form) refreshDestinations(current string) {
	opts := []string{uploaders.Default}
	names, _ := d.deps.Uploaders.Names()
	for _, n := range names {
		if u, err := d.deps.Uploaders.Info(n); err == nil && u.TakesImages() {
			opts = append(opts, n)
		}
	}
	d.destination.SetOptions(opts)
	if current == "" || indexOf(opts, current) < 0 {
		current = uploaders.Default
	}
	d.destination.SetSelected(current)
}

// pickUploader opens a file picker for an .sxcu file.
func (d *Form) pickUploader() {
	picker := fdialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, sxcu.MaxFileSize+1))
		if err != nil {
			d.sayImport(err.Error())
			return
		}
		d.ImportUploader(data)
	}, d.deps.Window)
	picker.SetFilter(storage.NewExtensionFileFilter([]string{".sxcu", ".json"}))
	picker.Show()
}

// ImportUploader shows where an .sxcu file sends (its host), and imports
// it once the person agrees; a file imagecx cannot use says why.
func (d *Form) ImportUploader(data []byte) {
	u, err := sxcu.Parse(data, sxcu.Options{})
	if err != nil {
		d.sayImport(i18n.T("Not imported: {{.why}}", "why", explain.Error(err)))
		return
	}
	// Values that look like tokens under names that do not say: the
	// person says which are secrets (ticked: kept in the keyring).
	undecided, _ := uploaders.Undecided(data)
	checks := make([]*widget.Check, len(undecided))
	for i, f := range undecided {
		checks[i] = widget.NewCheck(i18n.T("{{.field}} is a secret: keep it in the keyring, never show it", "field", f), nil)
		checks[i].SetChecked(true)
	}
	add := func() {
		answers := map[string]bool{}
		for i, f := range undecided {
			answers[f] = checks[i].Checked
		}
		a, err := d.deps.Uploaders.Add(context.Background(), data, sxcu.Options{}, answers)
		if err != nil {
			d.sayImport(i18n.T("Not imported: {{.why}}", "why", explain.Error(err)))
			return
		}
		msg := i18n.T("Imported “{{.name}}” ({{.host}}).", "name", a.U.Name, "host", a.U.Origin())
		if len(a.Secrets) > 0 {
			msg += " " + i18n.T("{{.fields}} went to the keyring.", "fields", strings.Join(a.Secrets, ", "))
		}
		if !a.U.TakesImages() {
			msg += " " + i18n.T("It uploads {{.what}}, so captures cannot go to it.", "what", a.U.Kinds.Describe())
		}
		d.refreshDestinations(d.destination.Selected)
		d.sayImport(msg)
	}
	question := i18n.T("It sends to {{.host}} ({{.method}}) and takes {{.what}}, and nothing goes anywhere else. Import it?", "host", u.Origin(), "method", u.Method, "what", u.Kinds.Describe())
	if d.deps.Window == nil {
		add()
		return
	}
	text := widget.NewLabel(question)
	text.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(text)
	if len(checks) > 0 {
		content.Add(widget.NewLabel(i18n.T("imagecx cannot tell from their names whether these are secrets:")))
		for _, c := range checks {
			content.Add(c)
		}
	}
	confirm := fdialog.NewCustomConfirm(i18n.T("Import “{{.name}}”?", "name", u.Name), i18n.T("Import"), i18n.T("Cancel"), content, func(ok bool) {
		if ok {
			add()
		}
	}, d.deps.Window)
	confirm.Resize(fyne.NewSize(460, 0))
	confirm.Show()
}

func (d *Form) sayImport(msg string) {
	d.importMsg.SetText(msg)
	d.importMsg.Show()
}

func (d *Form) general() fyne.CanvasObject {
	d.thumbnail = widget.NewCheck(i18n.T("Show a thumbnail in the corner after each capture"), nil)
	d.thumbnail.SetChecked(d.cfg.Capture.Thumbnail)
	d.autostart = widget.NewCheck(i18n.T("Start imagecx when I log in"), nil)
	if d.deps.Autostart != nil {
		d.autostart.SetChecked(d.deps.Autostart.Enabled())
	} else {
		d.autostart.Disable()
	}
	d.monitors = widget.NewRadioGroup(labels(monitorLabels), nil)
	d.monitors.Required = true
	d.monitors.SetSelected(d.monitors.Options[indexOf(monitorValues, d.cfg.Capture.Monitors)])
	d.language = widget.NewSelect(languageLabels(), nil)
	d.language.SetSelectedIndex(languageIndex(d.cfg.Language))
	d.endpointEntry = d.newEntry(false)
	d.endpointEntry.SetText(d.cfg.Endpoint)
	d.endpointEntry.SetPlaceHolder(uploader.DefaultEndpoint)
	d.endpointEr = widget.NewLabel("")
	d.endpointEr.Importance = widget.DangerImportance
	d.endpointEr.Wrapping = fyne.TextWrapWord
	d.endpointEr.Hide() // an empty label would leave a gap
	d.recordFPS = widget.NewSelect(nil, nil)
	for _, f := range recordFPS {
		d.recordFPS.Options = append(d.recordFPS.Options, i18n.T("{{.n}} frames a second", "n", f))
	}
	d.recordFPS.SetSelectedIndex(nearest(recordFPS, d.cfg.Record.FPS))
	d.recordMax = widget.NewSelect(nil, nil)
	for _, m := range recordMax {
		d.recordMax.Options = append(d.recordMax.Options, i18n.T("stop after {{.time}}", "time", explain.Duration(time.Duration(m)*time.Second)))
	}
	d.recordMax.SetSelectedIndex(nearest(recordMax, d.cfg.Record.MaxSeconds))
	d.recordKind = widget.NewSelect([]string{i18n.T("MP4 video"), i18n.T("GIF (fewer frames a second)")}, nil)
	d.recordKind.SetSelectedIndex(0)
	if d.cfg.Record.GIF {
		d.recordKind.SetSelectedIndex(1)
	}
	items := []fyne.CanvasObject{
		d.autostart, d.thumbnail,
		widget.NewLabel(i18n.T("Language")), d.language,
		widget.NewLabel(i18n.T("Full-screen capture takes")), d.monitors,
		widget.NewLabel(i18n.T("Screen recordings")), container.NewGridWithColumns(3, d.recordKind, d.recordFPS, d.recordMax),
	}
	items = append(items, d.ffmpegRow()...)
	items = append(items,
		widget.NewLabel(i18n.T("Site (advanced: a self-hosted Chevereto; https only)")), d.endpointEntry, d.endpointEr)
	if e := d.envEndpoint(); e != "" {
		items = append(items, widget.NewLabel(i18n.T("{{.name}} is set and overrides this: {{.value}}", "name", settings.EnvEndpoint, "value", e)))
	}
	if row := d.allowRow(); row != nil {
		items = append([]fyne.CanvasObject{row, widget.NewSeparator()}, items...)
	}
	return container.NewVBox(items...)
}

// ffmpegRow is where the person points to the ffmpeg that makes MP4
// recordings, and sees whether it is there: shown where ffmpeg does not
// come with imagecx's package (Windows, macOS), or once one was chosen.
func (d *Form) ffmpegRow() []fyne.CanvasObject {
	if runtime.GOOS == "linux" && d.cfg.Record.FFmpeg == "" {
		return nil
	}
	d.ffmpeg = d.newEntry(false)
	d.ffmpeg.SetText(d.cfg.Record.FFmpeg)
	d.ffmpeg.SetPlaceHolder(i18n.T("the ffmpeg program (empty: found on the PATH)"))
	d.ffmpegMsg = widget.NewLabel("")
	d.ffmpegMsg.Wrapping = fyne.TextWrapWord
	d.ffmpeg.OnChanged = func(string) { d.checkFFmpeg() }
	d.checkFFmpeg()
	choose := widget.NewButton(i18n.T("Choose…"), d.pickFFmpeg)
	return []fyne.CanvasObject{
		widget.NewLabel(i18n.T("ffmpeg for MP4 recordings (download it from ffmpeg.org; GIFs need nothing)")),
		container.NewBorder(nil, nil, nil, choose, d.ffmpeg), d.ffmpegMsg,
	}
}

// checkFFmpeg says whether MP4s can be made with the ffmpeg the field
// names (or the PATH's); false when the field names one that cannot be
// used.
func (d *Form) checkFFmpeg() bool {
	chosen := strings.TrimSpace(d.ffmpeg.Text)
	enc, err := record.FindEncoder(chosen)
	switch {
	case chosen != "" && !filepath.IsAbs(chosen):
		d.ffmpegMsg.SetText(i18n.T("Write the program's full path, or choose it."))
	case err != nil && chosen == "" && runtime.GOOS == "windows":
		d.ffmpegMsg.SetText(i18n.T("None was found on the PATH: MP4 recordings use Windows' own H.264 encoder where it has one, else need it."))
		d.ffmpegMsg.Importance = widget.LowImportance
		d.ffmpegMsg.Refresh()
		return true
	case err != nil && chosen == "":
		d.ffmpegMsg.SetText(i18n.T("None was found on the PATH: MP4 recordings need it."))
		d.ffmpegMsg.Importance = widget.WarningImportance
		d.ffmpegMsg.Refresh()
		return true
	case err != nil:
		d.ffmpegMsg.SetText(explain.Error(err))
	default:
		d.ffmpegMsg.SetText(i18n.T("MP4 recordings are made with {{.file}}.", "file", enc.FFmpeg))
		d.ffmpegMsg.Importance = widget.SuccessImportance
		d.ffmpegMsg.Refresh()
		return true
	}
	d.ffmpegMsg.Importance = widget.DangerImportance
	d.ffmpegMsg.Refresh()
	return false
}

// pickFFmpeg opens a file picker for the ffmpeg program, at the folder
// of the one named.
func (d *Form) pickFFmpeg() {
	if d.deps.Window == nil {
		return
	}
	picker := fdialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		d.ffmpeg.SetText(r.URI().Path())
	}, d.deps.Window)
	if runtime.GOOS == "windows" {
		picker.SetFilter(storage.NewExtensionFileFilter([]string{".exe"}))
	}
	if cur := strings.TrimSpace(d.ffmpeg.Text); filepath.IsAbs(cur) {
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(cur))); err == nil {
			picker.SetLocation(l)
		}
	}
	picker.Show()
}

// The recording choices: frames a second, and the cap in seconds.
var (
	recordFPS = []int{10, 15, 24, 30, 60}
	recordMax = []int{30, 60, 120, 300, 600}
)

// nearest is the index of the choice closest to v (a value written by
// hand in the file may be none of them).
func nearest(choices []int, v int) int {
	best := 0
	for i, c := range choices {
		if abs(c-v) < abs(choices[best]-v) {
			best = i
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func (d *Form) buttons() fyne.CanvasObject {
	d.saveErr = widget.NewLabel("")
	d.saveErr.Importance = widget.DangerImportance
	d.saveErr.Wrapping = fyne.TextWrapWord
	d.SaveBtn = widget.NewButtonWithIcon(i18n.T("Save"), theme.DocumentSaveIcon(), func() { d.Save() })
	d.SaveBtn.Importance = widget.HighImportance
	d.CancelBtn = widget.NewButton(i18n.T("Cancel"), func() { d.Cancel() })
	return container.NewVBox(d.saveErr, container.NewHBox(layout.NewSpacer(), d.CancelBtn, d.SaveBtn))
}

// Save validates, stores the key (if one was typed) and the settings, and
// closes. It returns the problem when something is not valid.
func (d *Form) Save() error {
	cfg := d.cfg
	cfg.LinkFormat = string(uploader.LinkFormats[max(0, d.link.SelectedIndex())])
	cfg.Capture.KeepLocal = d.keepLocal.Checked
	if i := d.recordFPS.SelectedIndex(); i >= 0 && recordFPS[i] != recordFPS[nearest(recordFPS, cfg.Record.FPS)] {
		cfg.Record.FPS = recordFPS[i]
	}
	if i := d.recordMax.SelectedIndex(); i >= 0 && recordMax[i] != recordMax[nearest(recordMax, cfg.Record.MaxSeconds)] {
		cfg.Record.MaxSeconds = recordMax[i]
	}
	cfg.Record.GIF = d.recordKind.SelectedIndex() == 1
	var problems []string
	if d.ffmpeg != nil {
		cfg.Record.FFmpeg = strings.TrimSpace(d.ffmpeg.Text)
		if !d.checkFFmpeg() {
			problems = append(problems, i18n.T("the ffmpeg program (General)"))
		}
	}
	cfg.Capture.AfterRegion = afterRegionValues[chosen(d.afterRegion)]
	cfg.Capture.SaveDir = strings.TrimSpace(d.saveDir.Text)
	cfg.Capture.Format = formatValues[max(0, d.format.SelectedIndex())]
	cfg.Capture.Quality = int(d.quality.Value)
	cfg.Notify = d.notify.Checked
	cfg.Capture.Thumbnail = d.thumbnail.Checked
	cfg.Sound = d.sound.Checked
	if d.destination != nil {
		cfg.Upload.Destination = d.destination.Selected
		if cfg.Upload.Destination == uploaders.Default {
			cfg.Upload.Destination = ""
		}
	}
	cfg.Upload.AlbumID = strings.TrimSpace(d.album.Text)
	cfg.Upload.Expiration = expiryValues[max(0, d.expiry.SelectedIndex())]
	cfg.Upload.NSFW = d.nsfw.Checked
	cfg.Upload.TitleTemplate = strings.TrimSpace(d.title.Text)
	cfg.Upload.AlwaysLossless = d.lossless.Checked
	cfg.Capture.Monitors = monitorValues[chosen(d.monitors)]
	cfg.Language = languageValues[max(0, d.language.SelectedIndex())]
	cfg.Hotkeys = settings.Hotkeys{}
	for id, e := range d.hotkeys {
		cfg.Hotkeys[id] = e.Value()
	}

	cfg.Endpoint = strings.TrimSpace(d.endpointEntry.Text)
	setError(d.endpointEr, "")
	if cfg.Endpoint != "" {
		if _, err := uploader.ParseEndpoint(cfg.Endpoint); err != nil {
			setError(d.endpointEr, explain.Error(err))
			problems = append(problems, i18n.T("the site address (General)"))
		}
	}
	if !d.checkHotkeys() {
		problems = append(problems, i18n.T("two actions share a hotkey (Hotkeys)"))
	}
	var key string
	if strings.TrimSpace(d.key.Text) != "" {
		k, err := settings.NormalizeKey(d.key.Text)
		if err != nil {
			d.setKeyStatus(explain.Error(err), bad)
			problems = append(problems, i18n.T("the API key (Account)"))
		}
		key = k
	}
	if len(problems) > 0 {
		err := errors.New(i18n.T("Not saved: check {{.what}}.", "what", strings.Join(problems, i18n.T(" and "))))
		d.saveErr.SetText(err.Error())
		return err
	}
	if err := cfg.Validate(); err != nil {
		d.saveErr.SetText(i18n.T("Not saved: {{.why}}", "why", explain.Error(err)))
		return err
	}
	if key != "" {
		if _, err := d.deps.Keys.Set(context.Background(), key); err != nil {
			d.saveErr.SetText(i18n.T("Not saved: {{.why}}", "why", explain.Error(err)))
			return err
		}
		d.refreshWhere()
	}
	if err := d.deps.Store.Save(cfg); err != nil {
		d.saveErr.SetText(i18n.T("Not saved: {{.why}}", "why", explain.Error(err)))
		return err
	}
	if d.deps.Autostart != nil && d.autostart.Checked != d.deps.Autostart.Enabled() {
		if err := d.deps.Autostart.Set(d.autostart.Checked); err != nil {
			d.saveErr.SetText(i18n.T("Saved, but start at login could not be changed: {{.why}}", "why", explain.Error(err)))
			return err
		}
	}
	d.cfg = cfg
	if d.deps.Saved != nil {
		d.deps.Saved()
	}
	if d.deps.Close != nil {
		d.deps.Close()
	}
	return nil
}

// SelectTab shows tab i (0 Account, 1 Hotkeys, 2 After capture, 3 Upload,
// 4 General).
func (d *Form) SelectTab(i int) { d.tabs.SelectIndex(i) }

// Cancel closes without saving anything.
func (d *Form) Cancel() {
	if d.deps.Close != nil {
		d.deps.Close()
	}
}

// TestKey makes one authenticated request with the typed key (or the
// stored one) and says in words how it went.
func (d *Form) TestKey(ctx context.Context) string {
	key := strings.TrimSpace(d.key.Text)
	if key == "" {
		key, _, _ = d.deps.Keys.Get(ctx)
	}
	if key == "" {
		return i18n.T("Paste a key first.")
	}
	newClient := d.deps.NewClient
	if newClient == nil {
		newClient = func(key, endpoint string) (verifier, error) {
			cfg := d.cfg
			cfg.Endpoint = endpoint
			return cfg.Client(key, nil, uploader.WithRetry(uploader.Retry{}), uploader.WithTimeout(20*time.Second))
		}
	}
	c, err := newClient(key, d.endpoint())
	if err != nil {
		return explain.Error(err) // "The site address is not usable: …"
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	switch err := c.Verify(ctx); {
	case err == nil:
		return i18n.T(keyWorks)
	case errors.Is(err, uploader.ErrBadKey), errors.Is(err, uploader.ErrNoKey):
		return i18n.T("image.cx rejected this key.")
	case errors.Is(err, uploader.ErrNetwork):
		return explain.Error(err) // "Could not reach HOST: why."
	default:
		return i18n.T("The key could not be checked.") + " " + explain.Error(err)
	}
}

// ShowTest tests the key in the field (TestKey) and shows the answer under
// it. Call it off fyne's thread: it waits for the site.
func (d *Form) ShowTest(ctx context.Context) {
	msg := d.TestKey(ctx)
	fyne.DoAndWait(func() {
		if msg == i18n.T(keyWorks) {
			d.setKeyStatus(msg, good)
		} else {
			d.setKeyStatus(msg, bad)
		}
	})
}

// keyWorks is Test's answer when the site took the key.
var keyWorks = i18n.Mark("Key works.")

// How a message about the key reads: neutral, good news (green, a tick)
// or a problem (red, a cross).
type mood int

const (
	neutral mood = iota
	good
	bad
)

// setKeyStatus shows text under the key, coloured and marked by m: not by
// colour alone, which not everyone tells apart.
func (d *Form) setKeyStatus(text string, m mood) {
	switch m {
	case good:
		d.keyStatus.Importance = widget.SuccessImportance
		d.keyMark.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		d.keyMark.Show()
	case bad:
		d.keyStatus.Importance = widget.DangerImportance
		d.keyMark.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		d.keyMark.Show()
	default:
		d.keyStatus.Importance = widget.MediumImportance
		d.keyMark.Hide()
	}
	d.keyStatus.SetText(text)
}

// RemoveKey deletes the stored key.
func (d *Form) RemoveKey() {
	if err := d.deps.Keys.Clear(context.Background()); err != nil {
		d.setKeyStatus(i18n.T("The key could not be removed: {{.why}}", "why", explain.Error(err)), bad)
		return
	}
	d.key.SetText("")
	d.setKeyStatus(i18n.T("The key was removed."), good)
	d.refreshWhere()
}

// The Language setting's choices: the system's, then each language in
// its own name.
var languageValues = []string{"", string(i18n.English), string(i18n.Traditional), string(i18n.Simplified), string(i18n.Japanese)}

func languageLabels() []string {
	out := []string{i18n.T("System ({{.language}})", "language", i18n.System(os.Getenv).Name())}
	for _, v := range languageValues[1:] {
		out = append(out, i18n.Lang(v).Name())
	}
	return out
}

func languageIndex(setting string) int {
	if l, ok := i18n.Parse(setting); ok {
		return max(0, indexOf(languageValues, string(l)))
	}
	return 0
}

// chosen is the index of the radio group's choice among its own options
// (0 when none): a choice is known by its place, never by its words.
func chosen(r *widget.RadioGroup) int {
	return max(0, slices.Index(r.Options, r.Selected))
}

// monitorLabels and monitorValues are the choices of what a full-screen
// capture takes, in the same order.
var (
	monitorLabels = []string{i18n.Mark("All monitors as one image"), i18n.Mark("The monitor under the pointer")}
	monitorValues = []string{"all", "pointer"}
)

func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return 0
}
