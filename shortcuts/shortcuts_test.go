package shortcuts

import (
	"context"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"imagecx/action"
	"imagecx/settings"
)

func TestFor(t *testing.T) {
	bs, err := For("/opt/my apps/imagecx", settings.Hotkeys(action.Defaults()))
	if err != nil {
		t.Fatal(err)
	}
	want := []Binding{
		{action.FullScreen, "imagecx: Capture full screen", "'/opt/my apps/imagecx' capture full", "<Control><Shift>1", "Ctrl+Shift+1"},
		{action.Region, "imagecx: Capture region", "'/opt/my apps/imagecx' capture region", "<Control><Shift>2", "Ctrl+Shift+2"},
		{action.RegionEdit, "imagecx: Capture region and edit…", "'/opt/my apps/imagecx' capture region --edit", "<Control><Shift>3", "Ctrl+Shift+3"},
	}
	if !reflect.DeepEqual(bs, want) {
		t.Errorf("bindings %+v", bs)
	}
	hk := settings.Hotkeys{action.RepeatRegion: "Super+Alt+F9", action.OpenSettings: "Ctrl+Alt+S"}
	if bs, _ := For("/usr/bin/imagecx", hk); len(bs) != 1 || bs[0].Accel != "<Alt><Super>F9" || bs[0].Command != "/usr/bin/imagecx capture region --last" {
		t.Errorf("repeat: %+v", bs)
	}
}

func TestParseStrings(t *testing.T) {
	for in, want := range map[string][]string{
		"@as []\n":                 nil,
		"['/a/', '/b/']\n":         {"/a/", "/b/"},
		`['it\'s', "dq"]`:          {"it's", "dq"},
		"['" + gvString(`x\y`)[1:]: {`x\y`},
	} {
		if got := parseStrings(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// Against GNOME's real schema and gsettings (kept in a key file): the
// person's own shortcut stays, imagecx's are added once however often it
// is asked, and removed.
func TestGNOMEShortcuts(t *testing.T) {
	if _, err := exec.LookPath("gsettings"); err != nil && os.Getenv("CI") == "" {
		t.Skip("no gsettings")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("GSETTINGS_BACKEND", "keyfile")
	ctx := context.Background()
	mine := pathBase + "custom0/"
	if err := setPaths(ctx, []string{mine}); err != nil {
		t.Fatal(err)
	}
	bs, _ := For("/usr/bin/imagecx", settings.Hotkeys(action.Defaults()))
	for range 2 {
		if err := AddGNOME(ctx, bs); err != nil {
			t.Fatal(err)
		}
	}
	paths, err := customPaths(ctx)
	if err != nil || !reflect.DeepEqual(paths, []string{mine, path(action.FullScreen), path(action.Region), path(action.RegionEdit)}) {
		t.Fatalf("paths %q %v", paths, err)
	}
	got, err := gsettingsOut(ctx, "get", custom+":"+path(action.Region), "binding")
	if err != nil || strings.TrimSpace(got) != "'<Control><Shift>2'" {
		t.Errorf("binding %q %v", got, err)
	}
	got, _ = gsettingsOut(ctx, "get", custom+":"+path(action.Region), "command")
	if strings.TrimSpace(got) != "'/usr/bin/imagecx capture region'" {
		t.Errorf("command %q", got)
	}
	if err := RemoveGNOME(ctx); err != nil {
		t.Fatal(err)
	}
	if paths, _ := customPaths(ctx); !reflect.DeepEqual(paths, []string{mine}) {
		t.Errorf("after remove: %q", paths)
	}
}
