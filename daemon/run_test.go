package daemon

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"imagecx/settings"
	"imagecx/uploader"
)

// A config file broken while the tray app runs is left for the person to
// fix, and the settings in use stay: a self-hosted site's key must not go
// to image.cx because the endpoint was only in the file.
func TestLoaderKeepsTheSettingsInUse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store := settings.Store{Dir: dir}
	keys := settings.Keys{File: filepath.Join(dir, "api-key")}
	if _, err := keys.Set(ctx, "chv_self_hosted"); err != nil {
		t.Fatal(err)
	}
	cfg := settings.Defaults()
	cfg.Endpoint = "https://self.example"
	if err := store.Save(cfg); err != nil {
		t.Fatal(err)
	}
	load := loader(store, keys, func(string) string { return "" })
	endpoint := func(s Snapshot) string {
		c, _ := s.Delivery.Client.(*uploader.Client)
		if c == nil {
			return "(no client)"
		}
		return c.Endpoint()
	}
	if s := load(ctx); s.ConfigErr != nil || endpoint(s) != "https://self.example" {
		t.Fatalf("first: %v %s", s.ConfigErr, endpoint(s))
	}
	os.WriteFile(store.Path(), []byte(`{"endpoint": `), 0o600)
	s := load(ctx)
	var kept *settings.KeptError
	if !errors.As(s.ConfigErr, &kept) || endpoint(s) != "https://self.example" || s.Config.Endpoint != "https://self.example" {
		t.Fatalf("broken while running: %v %s", s.ConfigErr, endpoint(s))
	}
	if data, _ := os.ReadFile(store.Path()); string(data) != `{"endpoint": ` {
		t.Error("the broken file was not left for the person to fix")
	}
	cfg.Endpoint = "https://other.example"
	store.Save(cfg)
	if s := load(ctx); s.ConfigErr != nil || endpoint(s) != "https://other.example" {
		t.Fatalf("fixed: %v %s", s.ConfigErr, endpoint(s))
	}
}

func TestKeptSettingsAreSaid(t *testing.T) {
	a := newApp(t)
	a.snap.ConfigErr = &settings.KeptError{Path: "/cfg/config.json", Err: errors.New("unexpected end of JSON input")}
	a.start(a.deps())
	n := a.notes.wait(t, "Settings not applied")
	if want := "The settings file /cfg/config.json could not be read (unexpected end of JSON input), so imagecx keeps the settings it had. Fix the file, or save the settings again in Settings…."; n.Body != want {
		t.Errorf("body %q", n.Body)
	}
}
