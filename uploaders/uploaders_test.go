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
	a, err := s.Add(ctx, []byte("\xef\xbb\xbf"+file), sxcuOptions())
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
	a, err := s.Add(ctx, []byte(file), sxcuOptions())
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
