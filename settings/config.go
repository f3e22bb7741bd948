package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"imagecx/action"
	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/internal/regular"
	"imagecx/uploader"
)

// Version is the config file format written by this build.
const Version = 1

// Config is everything the user can set, as stored in config.json. The API
// key is not here: it lives in the keyring (see Keys).
type Config struct {
	Version int `json:"version"`
	// Endpoint is the site; "" means image.cx. https, or http on loopback.
	Endpoint string `json:"endpoint,omitempty"`
	// LinkFormat is what is copied after an upload: url, viewer, markdown, html, bbcode.
	LinkFormat string  `json:"link_format"`
	Hotkeys    Hotkeys `json:"hotkeys"`
	Capture    Capture `json:"capture"`
	Upload     Upload  `json:"upload"`
	Record     Record  `json:"record"`
	// Notify shows a notification after each capture.
	Notify bool `json:"notify"`
	// Sound plays the desktop's capture sound with a successful upload.
	Sound bool `json:"sound,omitempty"`
	// Language is what imagecx speaks: "" for the system's, or "en",
	// "zh-Hant", "zh-Hans", "ja" (i18n.Lang); every program reads it.
	Language string `json:"language,omitempty"`
}

// Hotkeys are the actions' hotkeys as people write them ("Ctrl+Shift+1");
// "" means none. An action missing from the file has its default.
type Hotkeys map[action.ID]string

// Capture says what is captured and where the local copy goes.
type Capture struct {
	// Monitors is "all" (one image of every monitor) or "pointer" (the
	// monitor under the pointer).
	Monitors string `json:"monitors"`
	// SaveDir is where captures are saved before upload; "" means the
	// Pictures folder's imagecx subfolder.
	SaveDir string `json:"save_dir,omitempty"`
	// KeepLocal keeps the saved copy after a successful upload (it is
	// always kept when the upload fails).
	KeepLocal bool `json:"keep_local"`
	// Format is "png" (lossless, the default), "jpeg" (Quality) or "webp"
	// (lossless WebP, smaller than PNG, slower).
	Format  string `json:"format"`
	Quality int    `json:"quality"` // JPEG quality, 50–100
	// AfterRegion is what follows the selection of a region: "upload" (at
	// once, the default) or "edit" (the editor opens on it first).
	// "Capture region and edit" always opens the editor.
	AfterRegion string `json:"after_region"`
	// Thumbnail shows the quick-access thumbnail in the screen's corner
	// after each capture (off by default).
	Thumbnail bool `json:"thumbnail,omitempty"`
}

// What can follow a region's selection (Capture.AfterRegion).
const (
	AfterRegionUpload = "upload"
	AfterRegionEdit   = "edit"
)

// Upload holds the optional upload fields.
type Upload struct {
	// Destination is the custom uploader captures go to (its name, as
	// `imagecx uploader list` shows it); "" is image.cx.
	Destination string `json:"destination,omitempty"`
	AlbumID     string `json:"album_id,omitempty"`
	Expiration  string `json:"expiration,omitempty"` // "", or e.g. "PT5M", "P1D"
	NSFW        bool   `json:"nsfw,omitempty"`
	// TimeoutSeconds bounds each upload request (slow uplinks need more).
	TimeoutSeconds int `json:"timeout_seconds"`
	// AlwaysLossless refuses to convert a capture that is over the host's
	// size limit to lossy JPEG (lossless WebP is still tried).
	AlwaysLossless bool `json:"always_lossless,omitempty"`
	// TitleTemplate names uploads: "{date}", "{time}" and "{window}" (the
	// focused window's title) are replaced; "" lets the server take the
	// file name.
	TitleTemplate string `json:"title_template,omitempty"`
}

// Record says how the screen is recorded.
type Record struct {
	// FPS is the frames a second, 5–60.
	FPS int `json:"fps"`
	// MaxSeconds stops a recording by itself, 1–600.
	MaxSeconds int `json:"max_seconds"`
	// GIF records GIFs (made by imagecx itself) instead of MP4 videos.
	GIF bool `json:"gif,omitempty"`
	// FFmpeg is the ffmpeg program that makes MP4s, chosen by the person
	// (Windows: ffmpeg.exe of a download); "" finds it on the PATH.
	FFmpeg string `json:"ffmpeg,omitempty"`
}

// Timeout is the per-request upload timeout.
func (u Upload) Timeout() time.Duration { return time.Duration(u.TimeoutSeconds) * time.Second }

// Defaults is a fresh install's configuration.
func Defaults() Config {
	return Config{
		Version:    Version,
		LinkFormat: string(uploader.LinkURL),
		Hotkeys:    action.Defaults(),
		Capture:    Capture{Monitors: "all", KeepLocal: true, Format: "png", Quality: 90, AfterRegion: AfterRegionUpload},
		Upload:     Upload{TimeoutSeconds: 60},
		Record:     Record{FPS: 30, MaxSeconds: 60},
		Notify:     true,
	}
}

// Validate explains the first value that cannot be used.
func (c Config) Validate() error {
	if c.Endpoint != "" {
		if _, err := uploader.ParseEndpoint(c.Endpoint); err != nil {
			return fmt.Errorf("endpoint: %w", err)
		}
	}
	if _, err := uploader.ParseLinkFormat(c.LinkFormat); err != nil {
		return fmt.Errorf("link_format: %w", err)
	}
	if c.Capture.Monitors != "all" && c.Capture.Monitors != "pointer" {
		return i18n.Errorf("capture.monitors: {{.value}} is neither \"all\" nor \"pointer\"", "value", strconv.Quote(c.Capture.Monitors))
	}
	if c.Capture.AfterRegion != AfterRegionUpload && c.Capture.AfterRegion != AfterRegionEdit {
		return i18n.Errorf("capture.after_region: {{.value}} is neither {{.upload}} nor {{.edit}}", "value", strconv.Quote(c.Capture.AfterRegion), "upload", strconv.Quote(AfterRegionUpload), "edit", strconv.Quote(AfterRegionEdit))
	}
	switch c.Capture.Format {
	case "png", "jpeg", "webp":
	default:
		return i18n.Errorf("capture.format: {{.value}} is not png, jpeg or webp", "value", strconv.Quote(c.Capture.Format))
	}
	if c.Capture.Quality < 50 || c.Capture.Quality > 100 {
		return i18n.Errorf("capture.quality: {{.value}} is not between 50 and 100", "value", c.Capture.Quality)
	}
	if c.Upload.TimeoutSeconds < 1 || c.Upload.TimeoutSeconds > 3600 {
		return i18n.Errorf("upload.timeout_seconds: {{.value}} is not between 1 and 3600", "value", c.Upload.TimeoutSeconds)
	}
	if c.Record.FPS < 5 || c.Record.FPS > 60 {
		return i18n.Errorf("record.fps: {{.value}} is not between 5 and 60", "value", c.Record.FPS)
	}
	if c.Record.FFmpeg != "" && !filepath.IsAbs(c.Record.FFmpeg) {
		return i18n.Errorf("record.ffmpeg: {{.value}} is not a full path to the program", "value", c.Record.FFmpeg)
	}
	if c.Record.MaxSeconds < 1 || c.Record.MaxSeconds > 600 {
		return i18n.Errorf("record.max_seconds: {{.value}} is not between 1 and 600", "value", c.Record.MaxSeconds)
	}
	if c.Upload.Expiration != "" {
		if _, err := uploader.ParseExpiration(c.Upload.Expiration); err != nil {
			return fmt.Errorf("upload.expiration: %w", err)
		}
	}
	return nil
}

// Language is the Language setting as the file says it, read without
// touching the file (a program reads it before anything else, to speak
// the person's language from its first word); "" when there is none.
func (s Store) Language() string {
	f, _, err := regular.Open(s.Path())
	if err != nil {
		return ""
	}
	defer f.Close()
	var c struct {
		Language string `json:"language"`
	}
	if json.NewDecoder(io.LimitReader(f, maxConfig)).Decode(&c) != nil {
		return ""
	}
	return c.Language
}

// Speak makes the process speak the language the settings in dir (or
// IMAGECX_LANGUAGE, or the system) say, and returns it.
func Speak(dir string, getenv func(string) string) i18n.Lang {
	l := i18n.Choose(Store{Dir: dir}.Language(), getenv)
	i18n.Use(l)
	return l
}

// maxConfig bounds what is read of config.json.
const maxConfig = 1 << 20

// Store is the config file in one directory.
type Store struct {
	Dir string
}

// DefaultDir is imagecx's folder in the OS config dir:
// $XDG_CONFIG_HOME/imagecx on Linux, %AppData%\imagecx on Windows,
// ~/Library/Application Support/imagecx on macOS.
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config folder: %w", err)
	}
	return filepath.Join(d, "imagecx"), nil
}

// Path is the config file.
func (s Store) Path() string { return filepath.Join(s.Dir, "config.json") }

// CorruptError says the config file could not be read and was moved aside;
// Load returns it together with usable defaults.
type CorruptError struct {
	Path    string
	MovedTo string
	Err     error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("the settings file %s could not be read (%v); it was moved to %s and defaults are used", e.Path, e.Err, e.MovedTo)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Explain is the error in words: what happened to the file, and that
// nothing is lost.
func (e *CorruptError) Explain() string {
	return i18n.T("The settings file {{.file}} could not be read, so imagecx uses the default settings. The old file is kept as {{.aside}}.", "file", e.Path, "aside", e.MovedTo)
}

// Load reads the config. A missing file gives the defaults. A file that is
// not valid JSON, or holds values that cannot be used, is moved aside (never
// deleted) and Load returns the defaults with a *CorruptError the caller
// shows to the user; any other error means the config could not be read.
func (s Store) Load() (Config, error) {
	c, perr, err := s.read()
	if err != nil || perr == nil {
		return c, err
	}
	aside := s.Path() + ".corrupt-" + time.Now().Format("20060102-150405")
	if err := os.Rename(s.Path(), aside); err != nil {
		return Defaults(), fmt.Errorf("settings file %s is unreadable (%v) and could not be moved aside: %w", s.Path(), perr, err)
	}
	return Defaults(), &CorruptError{Path: s.Path(), MovedTo: aside, Err: perr}
}

// KeptError says the config file could not be used, and the settings a
// running program had are kept until it is fixed (LoadOver).
type KeptError struct {
	Path string
	Err  error
}

func (e *KeptError) Error() string {
	return fmt.Sprintf("the settings file %s could not be read (%v); the settings in use are kept", e.Path, e.Err)
}

func (e *KeptError) Unwrap() error { return e.Err }

// Explain is the error in words: what is wrong, and that nothing changed.
func (e *KeptError) Explain() string {
	return i18n.T("The settings file {{.file}} could not be read ({{.why}}), so imagecx keeps the settings it had. Fix the file, or save the settings again in Settings….",
		"file", e.Path, "why", explain.Lower(strings.TrimRight(explain.Error(e.Err), ".。")))
}

// LoadOver reads the config again for a program that runs with last: a
// file that cannot be used is left where it is for the person to fix, and
// last is returned with a *KeptError. A missing file gives the defaults.
func (s Store) LoadOver(last Config) (Config, error) {
	c, perr, err := s.read()
	switch {
	case err != nil:
		return last, &KeptError{Path: s.Path(), Err: err}
	case perr != nil:
		return last, &KeptError{Path: s.Path(), Err: perr}
	}
	return c, nil
}

// read reads and checks the config: perr says what is wrong with its
// content, err that it could not be read at all.
func (s Store) read() (c Config, perr, err error) {
	data, err := regular.Read(s.Path(), maxConfig)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil, nil
	}
	c = Defaults()
	switch {
	case errors.Is(err, regular.ErrTooLarge):
		perr = fmt.Errorf("it is larger than %s; a settings file is a few kilobytes", explain.Size(maxConfig))
	case err != nil:
		return Defaults(), nil, fmt.Errorf("read settings: %w", err)
	default:
		if perr = json.Unmarshal(data, &c); perr == nil {
			migrateHotkeys(data, &c)
		}
	}
	if perr == nil {
		c.normalize()
		perr = c.Validate()
	}
	if perr != nil {
		return Defaults(), perr, nil
	}
	return c, nil, nil
}

// oldRecordKey is Record screen's default hotkey before the one key that
// starts and stops recording took it over.
const oldRecordKey = "Ctrl+Shift+5"

// migrateHotkeys moves what an older file says to where this build looks
// for it: a file written before "Start or stop recording" existed holds
// Record screen's old default, which would now be taken twice; the key
// goes to the new action, which records the screen until a region is
// recorded (as that key did). Where the person gave that key to another
// action, the new one starts with none.
func migrateHotkeys(data []byte, c *Config) {
	var file struct {
		Hotkeys map[action.ID]*string `json:"hotkeys"`
	}
	if json.Unmarshal(data, &file) != nil {
		return
	}
	if _, has := file.Hotkeys[action.Record]; has {
		return
	}
	if k := file.Hotkeys[action.RecordScreen]; k != nil && *k == oldRecordKey {
		c.Hotkeys[action.Record], c.Hotkeys[action.RecordScreen] = oldRecordKey, ""
		return
	}
	for _, k := range file.Hotkeys { // the person gave the key to something else
		if k != nil && *k == c.Hotkeys[action.Record] {
			c.Hotkeys[action.Record] = ""
		}
	}
}

// Save validates c and writes it atomically with mode 0600.
func (s Store) Save(c Config) error {
	c.normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	c.Version = Version
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(s.Path(), append(data, '\n'))
}

func (c *Config) normalize() {
	c.Endpoint = strings.TrimSpace(c.Endpoint)
	if f, err := uploader.ParseLinkFormat(c.LinkFormat); err == nil {
		c.LinkFormat = string(f)
	}
	if c.Capture.Monitors == "" {
		c.Capture.Monitors = "all"
	}
	if c.Capture.AfterRegion == "" {
		c.Capture.AfterRegion = AfterRegionUpload
	}
	c.Capture.Format = strings.ToLower(strings.TrimSpace(c.Capture.Format))
	if c.Capture.Format == "jpg" {
		c.Capture.Format = "jpeg"
	}
}
