package integrate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The person's own Thunar actions, with a comment and their own spacing.
const theirs = `<?xml version="1.0" encoding="UTF-8"?>
<!-- mine -->
<actions>
<action>
	<icon>utilities-terminal</icon>
	<name>Open Terminal Here</name>
	<unique-id>1234567890-1</unique-id>
	<command>exo-open --working-directory %f --launch TerminalEmulator</command>
	<description>Example for a custom action</description>
	<patterns>*</patterns>
	<startup-notify/>
	<directories/>
</action>
</actions>
`

func TestAddAndRemove(t *testing.T) {
	home := t.TempDir()
	d := Dirs{Data: filepath.Join(home, "data"), Config: filepath.Join(home, "config")}
	uca := filepath.Join(d.Config, "Thunar", "uca.xml")
	os.MkdirAll(filepath.Dir(uca), 0o755)
	os.WriteFile(uca, []byte(theirs), 0o644)
	bin := "/opt/my apps/imagecx"

	for range 2 { // twice: the second replaces, never adds
		if _, err := d.Add(bin); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := os.ReadFile(uca)
	if n := strings.Count(string(data), "<unique-id>imagecx-upload</unique-id>"); n != 1 || !strings.Contains(string(data), "Open Terminal Here") ||
		!strings.Contains(string(data), "&#39;/opt/my apps/imagecx&#39; open %F") || !strings.HasPrefix(string(data), `<?xml version="1.0" encoding="UTF-8"?>`+"\n<!-- mine -->") {
		t.Fatalf("uca.xml after Add:\n%s", data)
	}
	if _, _, err := imagecxActions(data); err != nil {
		t.Fatalf("uca.xml no longer parses: %v", err)
	}
	script := filepath.Join(d.Data, "nautilus", "scripts", "Upload to image.cx")
	if st, err := os.Stat(script); err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("the Nautilus script: %v", err)
	}
	if s, _ := os.ReadFile(script); !strings.Contains(string(s), `exec '/opt/my apps/imagecx' open "$@"`) {
		t.Errorf("script:\n%s", s)
	}
	kf6 := filepath.Join(d.Data, "kio", "servicemenus", "imagecx.desktop")
	if st, err := os.Stat(kf6); err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("KF6 runs only an executable service menu: %v", err)
	}
	menu, _ := os.ReadFile(kf6)
	for _, want := range []string{"MimeType=image/png;", "video/mp4;", `Exec="/opt/my apps/imagecx" open %F`, "Name[zh_TW]=", "Name[ja]="} {
		if !strings.Contains(string(menu), want) {
			t.Errorf("service menu lacks %q:\n%s", want, menu)
		}
	}
	if _, err := os.Stat(filepath.Join(d.Data, "nemo", "actions", "imagecx-upload.nemo_action")); err != nil {
		t.Error(err)
	}

	removed, err := d.Remove()
	if err != nil || len(removed) != 6 {
		t.Fatalf("removed %v: %v", removed, err)
	}
	if data, _ := os.ReadFile(uca); string(data) != theirs {
		t.Errorf("uca.xml after Remove is not the person's as it was:\n%s", data)
	}
	if _, err := os.Stat(script); !os.IsNotExist(err) {
		t.Error("the script is still there")
	}
	if again, err := d.Remove(); err != nil || len(again) != 0 {
		t.Errorf("a second Remove: %v %v", again, err)
	}
}

// A uca.xml that is not Thunar's XML is left exactly as it is.
func TestABrokenThunarFileIsLeftAlone(t *testing.T) {
	home := t.TempDir()
	d := Dirs{Data: filepath.Join(home, "data"), Config: filepath.Join(home, "config")}
	uca := filepath.Join(d.Config, "Thunar", "uca.xml")
	os.MkdirAll(filepath.Dir(uca), 0o755)
	for _, broken := range []string{"<actions><action>", "<html></html>", "not xml at all"} {
		os.WriteFile(uca, []byte(broken), 0o644)
		if _, err := d.Add("/usr/bin/imagecx"); err == nil || !strings.Contains(err.Error(), "left as it is") {
			t.Errorf("%q: %v", broken, err)
		}
		if data, _ := os.ReadFile(uca); string(data) != broken {
			t.Errorf("%q became %q", broken, data)
		}
	}
}

// With no uca.xml, one is made that holds imagecx's actions alone; its
// removal leaves an empty list.
func TestThunarFileMade(t *testing.T) {
	d := Dirs{Data: t.TempDir(), Config: t.TempDir()}
	if _, err := d.Add("/usr/bin/imagecx"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(d.thunar())
	if spans, _, err := imagecxActions(data); err != nil || len(spans) != 2 {
		t.Fatalf("%d actions, %v:\n%s", len(spans), err, data)
	}
	d.Remove()
	if data, _ := os.ReadFile(d.thunar()); strings.Contains(string(data), "imagecx") {
		t.Errorf("after Remove:\n%s", data)
	}
}
