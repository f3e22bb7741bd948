// Package integrate adds imagecx's actions to the Linux file managers, for
// the person alone (under their home): "Upload to image.cx" on image and
// video files, and "Edit with imagecx" on one image. GNOME Files gets a
// script, Dolphin a service menu (KDE Frameworks 5's and 6's folders),
// Nemo an action, Thunar a custom action merged into its uca.xml (the
// person's other actions are kept as they are). Remove takes exactly
// these away again.
package integrate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"imagecx/i18n"
)

// Dirs are where the files go: the data home (~/.local/share) and the
// config home (~/.config).
type Dirs struct {
	Data, Config string
}

// DirsFrom reads the XDG folders from getenv, with their defaults under
// HOME.
func DirsFrom(getenv func(string) string) (Dirs, error) {
	home := getenv("HOME")
	d := Dirs{Data: getenv("XDG_DATA_HOME"), Config: getenv("XDG_CONFIG_HOME")}
	if (d.Data == "" || d.Config == "") && home == "" {
		return Dirs{}, i18n.Errorf("HOME is not set, so there is no place for the file managers' actions")
	}
	if d.Data == "" {
		d.Data = filepath.Join(home, ".local", "share")
	}
	if d.Config == "" {
		d.Config = filepath.Join(home, ".config")
	}
	return d, nil
}

// Types are the file types the actions are offered on: what image.cx
// takes.
var (
	imageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/avif"}
	videoTypes = []string{"video/mp4", "video/quicktime", "video/webm"}
	extensions = []string{"png", "jpg", "jpeg", "gif", "webp", "bmp", "avif", "mp4", "mov", "webm"}
)

// Labels in every language, for the files that carry them all.
var (
	uploadLabel = i18n.Mark("Upload to image.cx")
	editLabel   = i18n.Mark("Edit with imagecx")
)

// file is one file an integration writes.
type file struct {
	path string
	data string
	mode os.FileMode
}

// files are the whole files (not Thunar's, which is merged) for the
// program at bin.
func (d Dirs) files(bin string) []file {
	q := shellQuote(bin)
	service := serviceMenu(bin)
	return []file{
		{filepath.Join(d.Data, "nautilus", "scripts", i18n.T(uploadLabel)), "#!/bin/sh\n# Made by imagecx integrate; imagecx integrate --remove takes it away.\nexec " + q + " open \"$@\"\n", 0o755},
		{filepath.Join(d.Data, "kservices5", "ServiceMenus", "imagecx.desktop"), service, 0o644},
		{filepath.Join(d.Data, "kio", "servicemenus", "imagecx.desktop"), service, 0o755}, // KF6 runs only executable ones
		{filepath.Join(d.Data, "nemo", "actions", "imagecx-upload.nemo_action"), nemoAction(bin, uploadLabel, "open %F", "notnone", extensions), 0o644},
		{filepath.Join(d.Data, "nemo", "actions", "imagecx-edit.nemo_action"), nemoAction(bin, editLabel, "edit %F", "s", extensions[:7]), 0o644},
	}
}

// names are Name= and Name[lang]= lines for a label in every language.
func names(key string) string {
	var b strings.Builder
	b.WriteString("Name=" + i18n.In(i18n.English, key) + "\n")
	for _, l := range []struct {
		tag  string
		lang i18n.Lang
	}{{"zh_TW", i18n.Traditional}, {"zh_CN", i18n.Simplified}, {"ja", i18n.Japanese}} {
		b.WriteString("Name[" + l.tag + "]=" + i18n.In(l.lang, key) + "\n")
	}
	return b.String()
}

func serviceMenu(bin string) string {
	return "[Desktop Entry]\nType=Service\nX-KDE-ServiceTypes=KonqPopupMenu/Plugin\n" +
		"MimeType=" + strings.Join(append(append([]string{}, imageTypes...), videoTypes...), ";") + ";\n" +
		"Actions=imagecxUpload;imagecxEdit;\nX-KDE-Priority=TopLevel\n\n" +
		"[Desktop Action imagecxUpload]\n" + names(uploadLabel) + "Icon=cx.image.imagecx\nExec=" + desktopQuote(bin) + " open %F\n\n" +
		"[Desktop Action imagecxEdit]\n" + names(editLabel) + "Icon=cx.image.imagecx\nExec=" + desktopQuote(bin) + " edit %f\n"
}

func nemoAction(bin, label, args, selection string, exts []string) string {
	return "[Nemo Action]\n" + names(label) + "Icon-Name=cx.image.imagecx\nExec=" + desktopQuote(bin) + " " + args + "\n" +
		"Selection=" + selection + "\nExtensions=" + strings.Join(exts, ";") + ";\n"
}

// Packaged are the actions a package installs for everyone, each one's
// path under the system's data folder (/usr/share) with its content and
// mode, for the program at bin. GNOME Files and Thunar read their
// actions from the person's folders only (imagecx integrate).
func Packaged(bin string) []File {
	var out []File
	for _, f := range (Dirs{Data: "/"}).files(bin) {
		if rel := strings.TrimPrefix(f.path, "/"); !strings.HasPrefix(rel, "nautilus") {
			// Dolphin runs a person's service menu only when it is
			// executable, a system one either way (and lintian wants
			// no executable that is not a program).
			out = append(out, File{Path: rel, Data: f.data, Mode: 0o644})
		}
	}
	return out
}

// File is a file a package installs.
type File struct {
	Path, Data string
	Mode       os.FileMode
}

// Add writes every file manager's actions for the program at bin and
// returns the files written. A file a person changed is written again.
func (d Dirs) Add(bin string) ([]string, error) {
	var done []string
	for _, f := range d.files(bin) {
		if err := write(f); err != nil {
			return done, err
		}
		done = append(done, f.path)
	}
	uca := d.thunar()
	if err := mergeThunar(uca, thunarActions(bin)); err != nil {
		return done, err
	}
	return append(done, uca), nil
}

// Remove takes the actions away, leaving everything else, and returns
// the files it changed.
func (d Dirs) Remove() ([]string, error) {
	var done []string
	for _, f := range d.files("imagecx") {
		paths := []string{f.path}
		if strings.Contains(f.path, filepath.Join("nautilus", "scripts")) {
			// The script is named in the language it was made in.
			paths = nil
			for _, l := range []i18n.Lang{i18n.English, i18n.Traditional, i18n.Simplified, i18n.Japanese} {
				paths = append(paths, filepath.Join(filepath.Dir(f.path), i18n.In(l, uploadLabel)))
			}
		}
		for _, p := range paths {
			switch err := os.Remove(p); {
			case err == nil:
				done = append(done, p)
			case !errors.Is(err, os.ErrNotExist):
				return done, err
			}
		}
	}
	uca := d.thunar()
	changed, err := unmergeThunar(uca)
	if changed {
		done = append(done, uca)
	}
	return done, err
}

func (d Dirs) thunar() string { return filepath.Join(d.Config, "Thunar", "uca.xml") }

// write writes f atomically (a file manager may read it at any time).
func write(f file) error {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		return err
	}
	tmp := f.path + ".imagecx-new"
	if err := os.WriteFile(tmp, []byte(f.data), f.mode); err != nil {
		return err
	}
	if err := os.Chmod(tmp, f.mode); err != nil { // whatever the umask
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, f.path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// shellQuote quotes s for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// desktopQuote quotes an Exec program path as the Desktop Entry
// specification says, when it needs it.
func desktopQuote(s string) string {
	if !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", "$", `\$`)
	return `"` + r.Replace(s) + `"`
}
