package uploaders

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"imagecx/settings"
	"imagecx/uploader/sxcu"
)

// ring is a keyring in memory.
type ring struct {
	mu sync.Mutex
	m  map[string]string
}

func (r *ring) Get(_ context.Context, service, user string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.m[service+"/"+user]
	if !ok {
		return "", settings.ErrNotFound
	}
	return v, nil
}
func (r *ring) Set(_ context.Context, service, user, secret string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[service+"/"+user] = secret
	return nil
}
func (r *ring) Delete(_ context.Context, service, user string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, service+"/"+user)
	return nil
}

const file = `{
  "Version": "15.0.0",
  "Name": "home",
  "DestinationType": "ImageUploader",
  "RequestURL": "https://pics.example.com/up",
  "Parameters": {"z": "1", "api_key": "p-secret", "a": "2"},
  "Headers": {"Authorization": "Bearer h-secret", "Accept": "application/json"},
  "Body": "MultipartFormData",
  "Arguments": {"upload_token": "a-secret", "album": "x"},
  "FileFormName": "file",
  "URL": "{json:url}"
}`

// Secrets go to the keyring and nowhere else; the uploader loads with
// them, in the file's order; removing it removes them.
func TestSecretsGoToTheKeyring(t *testing.T) {
	ctx := context.Background()
	r := &ring{m: map[string]string{}}
	s := Store{Dir: t.TempDir(), Secrets: settings.Secrets{Ring: r, Dir: t.TempDir()}}
	a, err := s.Add(ctx, []byte("\xef\xbb\xbf"+file), sxcuOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(a.Secrets, " ") == "" || len(a.Secrets) != 3 || a.Where.Source != settings.SourceKeyring {
		t.Errorf("secrets %v in %v", a.Secrets, a.Where)
	}
	stored, _ := os.ReadFile(filepath.Join(s.Dir, "uploaders", "home.sxcu"))
	for _, secret := range []string{"p-secret", "h-secret", "a-secret"} {
		if strings.Contains(string(stored), secret) {
			t.Errorf("%s is in the stored file:\n%s", secret, stored)
		}
	}
	if len(r.m) != 3 || r.m["imagecx/uploader/home/Headers.Authorization"] != "Bearer h-secret" {
		t.Errorf("keyring %v", r.m)
	}
	u, err := s.Load(ctx, "home")
	if err != nil {
		t.Fatal(err)
	}
	if u.Headers[0].Value.String() != "Bearer h-secret" || u.Params[1].Name != "api_key" || u.Params[1].Value.String() != "p-secret" || u.Args[0].Value.String() != "a-secret" {
		t.Errorf("loaded %+v %+v %+v", u.Headers, u.Params, u.Args)
	}
	if names, _ := s.Names(); strings.Join(names, ",") != "home" {
		t.Errorf("names %v", names)
	}
	if err := s.Remove(ctx, "home"); err != nil || len(r.m) != 0 {
		t.Errorf("remove: %v, keyring %v", err, r.m)
	}
	if _, err := s.Load(ctx, "home"); !errors.Is(err, ErrUnknown) {
		t.Errorf("after remove: %v", err)
	}
}

// With no keyring, secrets go to private files beside the settings.
func TestSecretsWithoutAKeyring(t *testing.T) {
	ctx := context.Background()
	s := Store{Dir: t.TempDir(), Secrets: settings.Secrets{Dir: t.TempDir()}}
	a, err := s.Add(ctx, []byte(file), sxcuOptions(), nil)
	if err != nil || a.Where.Source != settings.SourceFile {
		t.Fatalf("%v %v", a.Where, err)
	}
	st, err := os.Stat(a.Where.Path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("secret file %v %v", st, err)
	}
	if u, err := s.Load(ctx, "home"); err != nil || u.Headers[0].Value.String() != "Bearer h-secret" {
		t.Errorf("load: %v", err)
	}
	// A keyring that lost a secret: said, not sent without it.
	os.Remove(a.Where.Path)
	if _, err := s.Load(ctx, "home"); err == nil || !strings.Contains(err.Error(), "import its .sxcu file again") {
		t.Errorf("a lost secret: %v", err)
	}
}

func sxcuOptions() sxcu.Options { return sxcu.Options{} }

// What names say a secret, and what only the person can say.
func TestSecretNames(t *testing.T) {
	for _, c := range []struct {
		name, value  string
		secret, sure bool
	}{
		{"Authorization", "Bearer x", true, true},
		{"Authentication", "x", true, true},
		{"X-Auth", "x", true, true},
		{"Api-Auth", "x", true, true},
		{"X-Session", "x", true, true},
		{"PHPSESSID", "x", true, true},
		{"pass", "hunter2", true, true},
		{"sig", "abc", true, true},
		{"apiSig", "abc", true, true},
		{"X-Api-Key", "x", true, true},
		{"access_token", "x", true, true},
		{"clientSecret", "x", true, true},
		{"Cookie", "a=b", true, true},
		{"author", "me", false, true},
		{"album", "a8f9e8d7c6b5a4f3e2d1", false, true},
		{"passage", "the text", false, true},
		{"design", "dark", false, true},
		{"X-Custom", "a8f9e8d7c6b5a4f3e2d1c0", false, false}, // looks like a token: ask
		{"X-Custom", "hello world", false, true},
		{"X-Custom", "https://example.com/a/b/c/d", false, true},
		{"expire", "PT5M", false, true},
		{"api_key", "", false, true}, // nothing to keep
	} {
		secret, sure := Secret(c.name, c.value)
		if secret != c.secret || sure != c.sure {
			t.Errorf("Secret(%q, %q) = %v, %v; want %v, %v", c.name, c.value, secret, sure, c.secret, c.sure)
		}
	}
}

// A secret in RequestURL's query goes to the keyring and comes back at
// load; a value the names do not decide is asked about, and the answer
// is kept.
func TestSecretsInTheURLAndAsked(t *testing.T) {
	ctx := context.Background()
	r := &ring{m: map[string]string{}}
	s := Store{Dir: t.TempDir(), Secrets: settings.Secrets{Ring: r, Dir: t.TempDir()}}
	const f = `{"Version": "15.0.0", "Name": "q", "DestinationType": "ImageUploader",
	  "RequestURL": "https://up.example.com/api?api_key=u-secret&fmt=json&user={filename}",
	  "Headers": {"X-Custom": "a8f9e8d7c6b5a4f3e2d1c0b9"}, "Body": "Binary", "URL": "{response}"}`
	if fields, err := Undecided([]byte(f)); err != nil || strings.Join(fields, ",") != "Headers.X-Custom" {
		t.Fatalf("undecided %v %v", fields, err)
	}
	_, err := s.Add(ctx, []byte(f), sxcuOptions(), nil)
	var und *UndecidedError
	if !errors.As(err, &und) || und.Fields[0] != "Headers.X-Custom" {
		t.Fatalf("no answer: %v", err)
	}
	a, err := s.Add(ctx, []byte(f), sxcuOptions(), map[string]bool{"Headers.X-Custom": true})
	if err != nil || strings.Join(a.Secrets, ",") != "Headers.X-Custom,RequestURL.api_key" {
		t.Fatalf("%v %v", a.Secrets, err)
	}
	stored, _ := os.ReadFile(filepath.Join(s.Dir, "uploaders", "q.sxcu"))
	if strings.Contains(string(stored), "u-secret") || strings.Contains(string(stored), "a8f9e8d7c6b5") || !strings.Contains(string(stored), "fmt=json") {
		t.Errorf("stored:\n%s", stored)
	}
	u, err := s.Load(ctx, "q")
	if err != nil {
		t.Fatal(err)
	}
	if u.URL.String() != "https://up.example.com/api?api_key=u-secret&fmt=json&user={filename}" || strings.Join(u.Secrets, ",") != "a8f9e8d7c6b5a4f3e2d1c0b9,u-secret" {
		t.Errorf("loaded %s, secrets %v", u.URL, u.Secrets)
	}
	if err := s.Remove(ctx, "q"); err != nil || len(r.m) != 0 {
		t.Errorf("remove: %v, keyring left %v", err, r.m)
	}
	// Answered "not a secret": kept in the file.
	if _, err := s.Add(ctx, []byte(f), sxcuOptions(), map[string]bool{"Headers.X-Custom": false}); err != nil {
		t.Fatal(err)
	}
	stored, _ = os.ReadFile(filepath.Join(s.Dir, "uploaders", "q.sxcu"))
	if !strings.Contains(string(stored), "a8f9e8d7c6b5") {
		t.Errorf("a value said not to be a secret is not in the file:\n%s", stored)
	}
}

// A secret in a JSON body (Data) goes to the keyring too, and comes back
// in its place, encoded for JSON.
func TestSecretsInAJSONBody(t *testing.T) {
	ctx := context.Background()
	r := &ring{m: map[string]string{}}
	s := Store{Dir: t.TempDir(), Secrets: settings.Secrets{Ring: r, Dir: t.TempDir()}}
	const f = `{"Version": "17.0.0", "Name": "j", "DestinationType": "TextUploader", "RequestURL": "https://paste.example.com/api",
	  "Body": "JSON", "Data": "{\"content\": \"{input}\", \"auth\": {\"api_token\": \"D-SECRET-\\\"1\"}, \"lang\": \"text\"}", "URL": "{json:url}"}`
	a, err := s.Add(ctx, []byte(f), sxcuOptions(), nil)
	if err != nil || strings.Join(a.Secrets, ",") != "Data.auth.api_token" {
		t.Fatalf("%v %v", a.Secrets, err)
	}
	stored, _ := os.ReadFile(filepath.Join(s.Dir, "uploaders", "j.sxcu"))
	if strings.Contains(string(stored), "D-SECRET") {
		t.Errorf("stored:\n%s", stored)
	}
	u, err := s.Load(ctx, "j")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u.Data, `"api_token": "D-SECRET-\"1"`) || strings.Join(u.Secrets, ",") != `D-SECRET-"1` {
		t.Errorf("loaded %s, secrets %v", u.Data, u.Secrets)
	}
	if err := s.Remove(ctx, "j"); err != nil || len(r.m) != 0 {
		t.Errorf("remove: %v, left %v", err, r.m)
	}
}
