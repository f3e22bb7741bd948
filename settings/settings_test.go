package settings

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"imagecx/action"
)

func TestConfigRoundTrip(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), "imagecx")}
	c, err := s.Load()
	if err != nil {
		t.Fatalf("missing file: %v", err)
	}
	if !reflect.DeepEqual(c, Defaults()) {
		t.Fatalf("missing file gave %+v", c)
	}
	c.Endpoint = "https://example.org/chevereto"
	c.LinkFormat = "md"
	c.Hotkeys[action.Region] = "Alt+Print"
	c.Capture.Monitors = "pointer"
	c.Capture.Format, c.Capture.Quality, c.Capture.KeepLocal = "jpeg", 80, false
	c.Upload = Upload{AlbumID: "oHo", Expiration: "P1D", NSFW: true, TimeoutSeconds: 5}
	if err := s.Save(c); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	c.LinkFormat = "markdown" // normalised on save
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, c)
	}
	for path, want := range map[string]os.FileMode{s.Path(): 0o600, s.Dir: 0o700} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", path, st.Mode().Perm(), want)
		}
	}
	entries, _ := os.ReadDir(s.Dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestMissingFieldsKeepDefaults(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	os.WriteFile(s.Path(), []byte(`{"version":1,"link_format":"bbcode"}`), 0o600)
	c, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.LinkFormat != "bbcode" || c.Hotkeys[action.FullScreen] != "Ctrl+Shift+1" || !c.Notify || c.Capture.Monitors != "all" || !c.Capture.KeepLocal || c.Capture.Format != "png" {
		t.Fatalf("%+v", c)
	}
}

// A file from before "Start or stop recording" gave Ctrl+Shift+5 to
// Record screen: the key moves to the new action instead of being taken
// twice; a file that gave the key to something else keeps it there; a
// file that names the new action is read as it is.
func TestOldRecordHotkeyMoves(t *testing.T) {
	for _, c := range []struct {
		file               string
		record, recordFull string
		other              string // Capture region's key
	}{
		{`{"hotkeys":{"record_screen":"Ctrl+Shift+5","region":"Ctrl+Shift+2"}}`, "Ctrl+Shift+5", "", "Ctrl+Shift+2"},
		{`{"hotkeys":{"record_screen":"Ctrl+Alt+R","region":"Ctrl+Shift+5"}}`, "", "Ctrl+Alt+R", "Ctrl+Shift+5"},
		{`{"hotkeys":{"record_screen":"Ctrl+Alt+R"}}`, "Ctrl+Shift+5", "Ctrl+Alt+R", "Ctrl+Shift+2"},
		{`{"hotkeys":{"record":"F9","record_screen":"Ctrl+Shift+5"}}`, "F9", "Ctrl+Shift+5", "Ctrl+Shift+2"},
		{`{"link_format":"url"}`, "Ctrl+Shift+5", "", "Ctrl+Shift+2"},
	} {
		s := Store{Dir: t.TempDir()}
		os.WriteFile(s.Path(), []byte(c.file), 0o600)
		got, err := s.Load()
		if err != nil {
			t.Fatal(err)
		}
		h := got.Hotkeys
		if h[action.Record] != c.record || h[action.RecordScreen] != c.recordFull || h[action.Region] != c.other {
			t.Errorf("%s: record %q, record_screen %q, region %q; want %q, %q, %q", c.file, h[action.Record], h[action.RecordScreen], h[action.Region], c.record, c.recordFull, c.other)
		}
	}
}

func TestCorruptFileIsMovedAsideNotDeleted(t *testing.T) {
	for name, content := range map[string]string{
		"not json":      `{"version":1, "link_format": `,
		"wrong type":    `{"version":"one"}`,
		"bad endpoint":  `{"endpoint":"http://example.org"}`,
		"bad monitors":  `{"capture":{"monitors":"left"}}`,
		"bad after":     `{"capture":{"after_region":"print"}}`,
		"binary rubble": "\x00\x01\x02",
		"100 MB":        `{"title_template":"` + strings.Repeat("x", 100<<20) + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := Store{Dir: t.TempDir()}
			os.WriteFile(s.Path(), []byte(content), 0o600)
			c, err := s.Load()
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *CorruptError", err)
			}
			if !reflect.DeepEqual(c, Defaults()) {
				t.Errorf("defaults not used: %+v", c)
			}
			kept, rerr := os.ReadFile(ce.MovedTo)
			if rerr != nil || string(kept) != content {
				t.Errorf("the corrupt file was not kept at %s: %v", ce.MovedTo, rerr)
			}
			if _, err := os.Stat(s.Path()); !os.IsNotExist(err) {
				t.Errorf("corrupt file still in place")
			}
			if !strings.Contains(err.Error(), ce.MovedTo) || !strings.Contains(err.Error(), "defaults") {
				t.Errorf("message does not tell the user: %v", err)
			}
			// The next load is clean and a save works.
			if _, err := s.Load(); err != nil {
				t.Errorf("second load: %v", err)
			}
			if err := s.Save(c); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestSaveRefusesInvalidAndKeepsTheOldFile(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	good := Defaults()
	if err := s.Save(good); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	for _, mutate := range []func(*Config){
		func(c *Config) { c.Endpoint = "http://image.cx" },
		func(c *Config) { c.LinkFormat = "pdf" },
		func(c *Config) { c.Upload.Expiration = "tomorrow" },
		func(c *Config) { c.Upload.TimeoutSeconds = 0 },
		func(c *Config) { c.Capture.Format = "tiff" },
		func(c *Config) { c.Capture.Quality = 101 },
	} {
		c := good
		mutate(&c)
		if err := s.Save(c); err == nil {
			t.Errorf("saved invalid %+v", c)
		}
	}
	after, _ := os.ReadFile(s.Path())
	if string(before) != string(after) {
		t.Error("a refused save changed the file")
	}
}

func TestWriteFailureLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	s := Store{Dir: dir}
	if err := s.Save(Defaults()); err != nil {
		t.Fatal(err)
	}
	// A directory where the file should be: the rename fails.
	blocked := Store{Dir: filepath.Join(dir, "blocked")}
	os.MkdirAll(filepath.Join(blocked.Dir, "config.json"), 0o700)
	if err := blocked.Save(Defaults()); err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Fatalf("err = %v", err)
	}
	entries, _ := os.ReadDir(blocked.Dir)
	if len(entries) != 1 {
		t.Errorf("temp file left behind: %v", entries)
	}
	// A file where the folder should be.
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o600)
	if err := (Store{Dir: filepath.Join(dir, "file", "sub")}).Save(Defaults()); err == nil {
		t.Fatal("save into a file path succeeded")
	}
}

// fakeRing is an in-memory keyring; fail makes every call fail like a
// desktop with no Secret Service.
type fakeRing struct {
	m    map[string]string
	fail error
}

func (f *fakeRing) Get(_ context.Context, s, u string) (string, error) {
	if f.fail != nil {
		return "", f.fail
	}
	v, ok := f.m[s+"/"+u]
	if !ok {
		return "", ErrKeyringEntryMissing
	}
	return v, nil
}

func (f *fakeRing) Set(_ context.Context, s, u, p string) error {
	if f.fail != nil {
		return f.fail
	}
	f.m[s+"/"+u] = p
	return nil
}

func (f *fakeRing) Delete(_ context.Context, s, u string) error {
	if f.fail != nil {
		return f.fail
	}
	if _, ok := f.m[s+"/"+u]; !ok {
		return ErrKeyringEntryMissing
	}
	delete(f.m, s+"/"+u)
	return nil
}

func TestKeysInKeyring(t *testing.T) {
	ring := &fakeRing{m: map[string]string{}}
	k := Keys{Ring: ring, File: filepath.Join(t.TempDir(), "api-key")}
	if v, loc, err := k.Get(t.Context()); err != nil || v != "" || loc.Source != SourceNone {
		t.Fatalf("empty: %q %v %v", v, loc, err)
	}
	loc, err := k.Set(t.Context(), "  chv_ab_cd\r\n")
	if err != nil || loc.Source != SourceKeyring {
		t.Fatalf("set: %v %v", loc, err)
	}
	if v, loc, _ := k.Get(t.Context()); v != "chv_ab_cd" || loc.Source != SourceKeyring {
		t.Fatalf("get: %q %v", v, loc)
	}
	if _, err := os.Stat(k.File); !os.IsNotExist(err) {
		t.Error("a key file was written although the keyring works")
	}
	if err := k.Clear(t.Context()); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := k.Get(t.Context()); v != "" {
		t.Fatal("still there after Clear")
	}
}

func TestKeysFallBackToPrivateFile(t *testing.T) {
	ring := &fakeRing{fail: ErrNoSecretService}
	k := Keys{Ring: ring, File: filepath.Join(t.TempDir(), "imagecx", "api-key")}
	loc, err := k.Set(t.Context(), "chv_file_key")
	if err != nil {
		t.Fatal(err)
	}
	if loc.Source != SourceFile || loc.Path != k.File || !strings.Contains(loc.Reason, "Secret Service") {
		t.Fatalf("location %+v", loc)
	}
	if !strings.Contains(loc.String(), k.File) || strings.Contains(loc.String(), "chv_file_key") {
		t.Errorf("location text %q", loc)
	}
	st, err := os.Stat(k.File)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st, err)
	}
	v, loc, err := k.Get(t.Context())
	if err != nil || v != "chv_file_key" || loc.Source != SourceFile || loc.Reason == "" {
		t.Fatalf("get: %q %+v %v", v, loc, err)
	}
	if err := k.Clear(t.Context()); err != nil {
		t.Fatalf("clear without a keyring: %v", err)
	}
	if _, err := os.Stat(k.File); !os.IsNotExist(err) {
		t.Error("key file still there")
	}
}

func TestKeyringComingBackRemovesTheFile(t *testing.T) {
	ring := &fakeRing{m: map[string]string{}, fail: ErrNoSessionBus}
	k := Keys{Ring: ring, File: filepath.Join(t.TempDir(), "api-key")}
	if loc, err := k.Set(t.Context(), "chv_one"); err != nil || loc.Source != SourceFile {
		t.Fatal(loc, err)
	}
	ring.fail = nil
	if loc, err := k.Set(t.Context(), "chv_two"); err != nil || loc.Source != SourceKeyring {
		t.Fatal(loc, err)
	}
	if _, err := os.Stat(k.File); !os.IsNotExist(err) {
		t.Error("the old key file survived the move to the keyring")
	}
}

func TestEnvOverridesStores(t *testing.T) {
	ring := &fakeRing{m: map[string]string{"imagecx/api-key": "from-ring"}}
	k := Keys{Ring: ring, File: filepath.Join(t.TempDir(), "api-key"), Getenv: func(n string) string {
		if n == EnvKey {
			return " from-env "
		}
		return ""
	}}
	if v, loc, _ := k.Get(t.Context()); v != "from-env" || loc.Source != SourceEnv {
		t.Fatalf("%q %v", v, loc)
	}
}

// IMAGECX_API_KEY and the key file hold what NormalizeKey accepts: a key
// with spaces or control characters is refused, not used (nor redacted
// badly in messages).
func TestStoredKeysAreNormalized(t *testing.T) {
	env := ""
	k := Keys{File: filepath.Join(t.TempDir(), "api-key"), Getenv: func(n string) string {
		if n == EnvKey {
			return env
		}
		return ""
	}}
	for _, bad := range []string{"0 01", "chv\x00key", "a\x1b[31mb"} {
		env = bad
		if v, _, err := k.Get(t.Context()); err == nil || !strings.Contains(err.Error(), EnvKey) || v != "" {
			t.Errorf("%q: %q %v", bad, v, err)
		}
	}
	env = ""
	os.WriteFile(k.File, []byte("chv one\n"), 0o600)
	if v, _, err := k.Get(t.Context()); err == nil || v != "" {
		t.Errorf("key file with a space: %q %v", v, err)
	}
	os.WriteFile(k.File, []byte("\n"), 0o600)
	if v, loc, err := k.Get(t.Context()); err != nil || v != "" || loc.Source != SourceNone {
		t.Errorf("empty key file: %q %v %v", v, loc, err)
	}
}

// A key file others can read is made private, and `key where` says so.
func TestOpenKeyFileIsMadePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows files have no Unix mode bits")
	}
	k := Keys{File: filepath.Join(t.TempDir(), "api-key")}
	os.WriteFile(k.File, []byte("chv_key\n"), 0o644)
	os.Chmod(k.File, 0o644)
	v, loc, err := k.Get(t.Context())
	if err != nil || v != "chv_key" || !strings.Contains(loc.Warning, "mode 0644") {
		t.Fatalf("%q %+v %v", v, loc, err)
	}
	if st, _ := os.Stat(k.File); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	if _, loc, _ := k.Get(t.Context()); loc.Warning != "" {
		t.Errorf("warned again: %q", loc.Warning)
	}
}

func TestNormalizeKey(t *testing.T) {
	for in, want := range map[string]string{"abc": "abc", " abc\n": "abc", "\tchv_1_x\r\n": "chv_1_x"} {
		if got, err := NormalizeKey(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "  \n", "ab cd", "ab\ncd", "a\x00b", strings.Repeat("k", 2000)} {
		if _, err := NormalizeKey(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestEndpointAndClient(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if got := Endpoint("", getenv); got != "https://image.cx" {
		t.Errorf("default: %s", got)
	}
	if got := Endpoint(" https://pics.example.org ", getenv); got != "https://pics.example.org" {
		t.Errorf("configured: %s", got)
	}
	env[EnvEndpoint] = "http://127.0.0.1:9"
	if got := Endpoint("https://pics.example.org", getenv); got != "http://127.0.0.1:9" {
		t.Errorf("environment: %s", got)
	}
	c := Defaults()
	cl, err := c.Client("k", getenv)
	if err != nil || cl.Endpoint() != "http://127.0.0.1:9" {
		t.Fatalf("client: %v %v", cl, err)
	}
	c.Endpoint = "http://example.org"
	if _, err := c.Client("k", nil); err == nil {
		t.Error("a plain http endpoint was accepted")
	}
}
