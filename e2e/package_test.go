package e2e

import (
	"bufio"
	"context"
	"debug/buildinfo"
	bin "encoding/binary"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"imagecx/internal/notices"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/wine"
	"imagecx/internal/testkit/xvfb"
)

// packages are what `make package` wrote, built once for the tests below.
type packages struct {
	dir, version string
	deb, rpm     string
	setup, zip   string
}

// buildPackages runs `make package` into a temporary folder (the
// repository's own dist/ is left alone).
func buildPackages(t *testing.T) packages {
	t.Helper()
	xvfb.Need(t, "make", "makensis", "zip", "dpkg-deb", "rpm", "lintian", "desktop-file-validate", "appstreamcli", "man")
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	version, err := exec.CommandContext(ctx, "../scripts/version.sh").Output()
	if err != nil {
		t.Fatalf("version.sh: %v", err)
	}
	p := packages{dir: dir, version: strings.TrimSpace(string(version))}
	// The release a build says it is comes from the VERSION file (a
	// release sets it), with no tag needed; after it, where the build
	// stands in git.
	release, err := os.ReadFile("../VERSION")
	if err != nil {
		t.Fatal(err)
	}
	if r := strings.TrimSpace(string(release)); p.version != r && !strings.HasPrefix(p.version, r+"+") {
		t.Fatalf("version.sh says %s; VERSION says %s", p.version, r)
	}
	cmd := exec.CommandContext(ctx, "make", "-C", "..", "package", "DIST="+dir, "VERSION="+p.version)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make package: %v\n%s", err, out)
	}
	p.deb = filepath.Join(dir, "imagecx_"+p.version+"_amd64.deb")
	p.rpm = filepath.Join(dir, "imagecx-"+p.version+".x86_64.rpm")
	p.setup = filepath.Join(dir, "imagecx-"+p.version+"-setup.exe")
	p.zip = filepath.Join(dir, "imagecx-"+p.version+"-windows-portable.zip")
	for _, f := range []string{p.deb, p.rpm, p.setup, p.zip} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("make package did not write %s: %v", filepath.Base(f), err)
		}
	}
	return p
}

// command runs a tool and returns its output; a failure ends the test.
func command(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// The files both packages install (the .deb adds its copyright and
// changelog, the .rpm its licence file; zsh's folder differs).
var installed = []string{
	"/usr/bin/imagecx",
	"/usr/libexec/imagecx/imagecx-settings",
	"/usr/libexec/imagecx/imagecx-history",
	"/usr/libexec/imagecx/imagecx-editor",
	"/usr/share/applications/cx.image.imagecx.desktop",
	"/usr/share/applications/cx.image.imagecx.upload.desktop",
	"/usr/share/kio/servicemenus/imagecx.desktop",
	"/usr/share/kservices5/ServiceMenus/imagecx.desktop",
	"/usr/share/nemo/actions/imagecx-upload.nemo_action",
	"/usr/share/metainfo/cx.image.imagecx.metainfo.xml",
	"/usr/share/icons/hicolor/16x16/apps/cx.image.imagecx.png",
	"/usr/share/icons/hicolor/48x48/apps/cx.image.imagecx.png",
	"/usr/share/icons/hicolor/512x512/apps/cx.image.imagecx.png",
	"/usr/share/icons/hicolor/scalable/apps/cx.image.imagecx.svg",
	"/usr/share/man/man1/imagecx.1.gz",
	"/usr/share/bash-completion/completions/imagecx",
	"/usr/share/fish/vendor_completions.d/imagecx.fish",
}

// `make package` builds a .deb, an .rpm, a Windows installer and a
// portable zip, and each holds what it must: checked with the tools their
// users have, installed into a throw-away root and under Wine, and run.
func TestPackages(t *testing.T) {
	p := buildPackages(t)
	t.Run("deb", func(t *testing.T) { checkDeb(t, p) })
	t.Run("rpm", func(t *testing.T) { checkRPM(t, p) })
	t.Run("windows", func(t *testing.T) { checkWindowsInstaller(t, p) })
	t.Run("macos", checkMacOSBundle)
}

// The macOS bundle is built on a Mac (scripts/package.sh); here its
// Info.plist is checked (a tray-only app that asks for Screen Recording
// with a reason) and its icon file is made and read back.
func checkMacOSBundle(t *testing.T) {
	data, err := os.ReadFile("../packaging/macos/Info.plist")
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	values := map[string]string{}
	var key, text string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case xml.CharData:
			text = strings.TrimSpace(string(tok))
		case xml.StartElement:
			if tok.Name.Local == "true" || tok.Name.Local == "false" {
				values[key] = tok.Name.Local
			}
			text = ""
		case xml.EndElement:
			switch tok.Name.Local {
			case "key":
				key = text
			case "string":
				values[key] = text
			}
		}
	}
	for k, want := range map[string]string{"CFBundleIdentifier": "cx.image.imagecx", "CFBundleExecutable": "imagecx", "LSUIElement": "true", "CFBundleIconFile": "imagecx.icns", "CFBundlePackageType": "APPL"} {
		if values[k] != want {
			t.Errorf("Info.plist %s = %q, want %q", k, values[k], want)
		}
	}
	if len(values["NSScreenCaptureUsageDescription"]) < 20 {
		t.Errorf("Info.plist gives no reason for Screen Recording: %q", values["NSScreenCaptureUsageDescription"])
	}
	icns := filepath.Join(t.TempDir(), "imagecx.icns")
	if out, err := exec.Command("go", "run", "../assets/internal/gen", "-icns", icns).CombinedOutput(); err != nil {
		t.Fatalf("gen -icns: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(icns)
	if len(b) < 8 || string(b[:4]) != "icns" || int(bin.BigEndian.Uint32(b[4:8])) != len(b) {
		t.Fatalf("imagecx.icns: not an icns file of its own length (%d bytes)", len(b))
	}
	var codes []string
	for i := 8; i+8 <= len(b); {
		n := int(bin.BigEndian.Uint32(b[i+4 : i+8]))
		if n < 8 || i+n > len(b) || string(b[i+8:i+12]) != "\x89PNG" {
			t.Fatalf("imagecx.icns: a broken entry at %d", i)
		}
		codes = append(codes, string(b[i:i+4]))
		i += n
	}
	if strings.Join(codes, " ") != "ic11 ic12 ic07 ic08 ic09 ic10" {
		t.Errorf("imagecx.icns holds %v", codes)
	}
}

func checkDeb(t *testing.T, p packages) {
	fields := command(t, "dpkg-deb", "--field", p.deb, "Package", "Version", "Architecture", "Depends", "Recommends")
	for _, want := range []string{"Package: imagecx\n", "Version: " + p.version + "-1\n", "Architecture: amd64\n", "libgl1", "libc6 (>= 2.34)", "Recommends: gnome-keyring", "fonts-noto-cjk", "ffmpeg", "tesseract-ocr-chi-tra"} {
		if !strings.Contains(fields, want) {
			t.Errorf("control fields lack %q:\n%s", want, fields)
		}
	}
	contents := command(t, "dpkg-deb", "--contents", p.deb)
	for _, f := range append(installed, "/usr/share/zsh/vendor-completions/_imagecx", "/usr/share/doc/imagecx/copyright", "/usr/share/doc/imagecx/changelog.Debian.gz", "/usr/share/doc/imagecx/THIRD_PARTY_NOTICES.txt") {
		if !strings.Contains(contents, "."+f+"\n") {
			t.Errorf("the .deb lacks %s", f)
		}
	}
	// lintian: no error and no warning.
	if out, err := exec.Command("lintian", "--fail-on", "error,warning", "--tag-display-limit", "0", p.deb).CombinedOutput(); err != nil {
		t.Errorf("lintian: %v\n%s", err, out)
	}

	// Installed into a root of its own (its dependencies are the
	// machine's), its files are where its metainfo and desktop entry say,
	// valid, and its program runs.
	root := t.TempDir()
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), nil, 0o644)
	command(t, "dpkg", "--root="+root, "--force-not-root", "--force-depends", "--log=/dev/null", "--install", p.deb)
	if st := command(t, "dpkg", "--root="+root, "--status", "imagecx"); !strings.Contains(st, "Status: install ok installed") {
		t.Errorf("dpkg --status:\n%s", st)
	}
	version := command(t, filepath.Join(root, "usr/bin/imagecx"), "version")
	if !strings.HasPrefix(version, "imagecx "+p.version+"\ncommit ") || !strings.Contains(version, "\nbuilt ") {
		t.Errorf("imagecx version:\n%s", version)
	}
	checkLicence(t, root)
	metainfo := filepath.Join(root, "usr/share/metainfo/cx.image.imagecx.metainfo.xml")
	command(t, "appstreamcli", "validate", "--pedantic", "--no-net", metainfo)
	var mi struct {
		ID         string `xml:"id"`
		License    string `xml:"project_license"`
		Launchable string `xml:"launchable"`
		Icon       string `xml:"icon"`
		Binary     string `xml:"provides>binary"`
		Releases   []struct {
			Version string `xml:"version,attr"`
		} `xml:"releases>release"`
	}
	data, _ := os.ReadFile(metainfo)
	if err := xml.Unmarshal(data, &mi); err != nil {
		t.Fatal(err)
	}
	if len(mi.Releases) == 0 || mi.Releases[0].Version != p.version {
		t.Errorf("metainfo releases %+v, want %s", mi.Releases, p.version)
	}
	// The project's licence as software centres read it: MIT, free.
	if lic := command(t, "appstreamcli", "check-license", mi.License); mi.License != "MIT" || !regexp.MustCompile(`(?i)free and open source:\s*yes`).MatchString(lic) || !strings.Contains(lic, "Canonical ID: MIT") {
		t.Errorf("the metainfo's project_license is %q; appstreamcli check-license says:\n%s", mi.License, lic)
	}
	desktop := filepath.Join(root, "usr/share/applications", mi.Launchable)
	command(t, "desktop-file-validate", desktop)
	// Open With: several files become one batch of the tray app's.
	upload := filepath.Join(root, "usr/share/applications/cx.image.imagecx.upload.desktop")
	command(t, "desktop-file-validate", upload)
	if entry, _ := os.ReadFile(upload); !strings.Contains(string(entry), "Exec="+mi.Binary+" open %F") || !strings.Contains(string(entry), "MimeType=image/png;") {
		t.Errorf("the Open With entry:\n%s", entry)
	}
	if menu, _ := os.ReadFile(filepath.Join(root, "usr/share/kio/servicemenus/imagecx.desktop")); !strings.Contains(string(menu), "Exec=/usr/bin/"+mi.Binary+" open %F") {
		t.Errorf("Dolphin's service menu:\n%s", menu)
	}
	entry, err := os.ReadFile(desktop)
	if err != nil {
		t.Fatalf("the metainfo's launchable: %v", err)
	}
	for _, f := range []string{"usr/bin/" + mi.Binary, "usr/share/icons/hicolor/256x256/apps/" + mi.Icon + ".png"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("the metainfo names %s: %v", f, err)
		}
	}
	exec_ := regexp.MustCompile(`(?m)^Exec=(\S+)`).FindStringSubmatch(string(entry))
	icon := regexp.MustCompile(`(?m)^Icon=(\S+)`).FindStringSubmatch(string(entry))
	if exec_ == nil || exec_[1] != mi.Binary || icon == nil || icon[1] != mi.Icon {
		t.Errorf("the desktop entry starts %v with icon %v; the metainfo says %s and %s", exec_, icon, mi.Binary, mi.Icon)
	}
	if out, err := exec.Command("sh", "-c", "MANWIDTH=80 man -l "+filepath.Join(root, "usr/share/man/man1/imagecx.1.gz")).CombinedOutput(); err != nil || !strings.Contains(string(out), "imagecx capture full") {
		t.Errorf("man imagecx: %v\n%s", err, out)
	}
	startAtLoginStartsTheInstalledTrayApp(t, root)
}

// The installed settings window's "Start imagecx when I log in" writes an
// autostart entry that starts the installed tray app (the window is in
// libexec, the tray app in bin).
func startAtLoginStartsTheInstalledTrayApp(t *testing.T, root string) {
	d := newDesk(t, deskOpts{noTray: true, config: `{"version":1}`})
	os.WriteFile(filepath.Join(d.u.configDir(), "api-key"), []byte(d.srv.Key+"\n"), 0o600) // not the first run
	trayApp := filepath.Join(root, "usr/bin/imagecx")
	start := func(args ...string) *exec.Cmd {
		cmd := exec.Command(trayApp, args...)
		cmd.Env = d.u.environ()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	start("settings")
	win := d.waitWindow("imagecx Settings", 60*time.Second)
	time.Sleep(time.Second) // fyne takes clicks from its first frames on
	size := shellGeometry(d.tool("xdotool", "getwindowgeometry", "--shell", win)).Size()
	// The General tab (the last), its first row the switch, then Save
	// (bottom right), in the window's own coordinates (it opens centred).
	d.tool("xdotool", "mousemove", "--window", win, "377", "22", "click", "1")
	time.Sleep(500 * time.Millisecond)
	d.tool("xdotool", "mousemove", "--window", win, "19", "62", "click", "1")
	time.Sleep(500 * time.Millisecond)
	d.tool("xdotool", "mousemove", "--window", win, itoa(size.X-40), itoa(size.Y-22), "click", "1")
	d.waitNoWindow("imagecx Settings", 20*time.Second)
	file := filepath.Join(d.u.env["XDG_CONFIG_HOME"], "autostart", "imagecx.desktop")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("Start at login wrote no entry: %v", err)
	}
	var execLine string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Exec="); ok {
			execLine = v
		}
	}
	if execLine != trayApp {
		t.Fatalf("the autostart entry runs %q, not the installed tray app %s", execLine, trayApp)
	}
	// What the session does at login: run it; the tray app is up, and
	// `imagecx quit` ends it.
	tray := start()
	poll.Until(t, 30*time.Second, "the installed tray app to answer", func() bool {
		return d.u.run("", "status").code == 0
	})
	if r := d.u.run("", "quit"); r.code != 0 || !strings.Contains(r.stdout, "has quit") {
		t.Errorf("imagecx quit:\n%s", r)
	}
	done := make(chan error, 1)
	go func() { done <- tray.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the tray app ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("the tray app still runs after imagecx quit")
	}
}

func checkRPM(t *testing.T, p packages) {
	files := command(t, "rpm", "-qpl", p.rpm)
	for _, f := range append(installed, "/usr/share/zsh/site-functions/_imagecx") {
		if !strings.Contains(files, f+"\n") {
			t.Errorf("the .rpm lacks %s", f)
		}
	}
	if strings.Contains(files, "/usr/share/icons/hicolor\n") {
		t.Error("the .rpm owns the icon theme's folder")
	}
	requires := command(t, "rpm", "-qpR", p.rpm)
	for _, want := range []string{"libGL.so.1()(64bit)", "libc.so.6(GLIBC_2.34)(64bit)", "libXrandr.so.2()(64bit)"} {
		if !strings.Contains(requires, want) {
			t.Errorf("the .rpm does not require %s:\n%s", want, requires)
		}
	}
	if rec := command(t, "rpm", "-qp", "--recommends", p.rpm); !strings.Contains(rec, "google-noto-sans-cjk-fonts") || !strings.Contains(rec, "ffmpeg") || !strings.Contains(rec, "tesseract-langpack-chi_tra") {
		t.Errorf("the .rpm does not recommend a CJK font, ffmpeg and tesseract:\n%s", rec)
	}
	if v := command(t, "rpm", "-qp", "--queryformat", "%{NAME} %{VERSION} %{LICENSE}", p.rpm); v != "imagecx "+p.version+" MIT" {
		t.Errorf("rpm name, version and licence %q", v)
	}
	for _, f := range []string{"/usr/share/licenses/imagecx/LICENSE", "/usr/share/licenses/imagecx/THIRD_PARTY_NOTICES.txt"} {
		if !strings.Contains(files, f+"\n") {
			t.Errorf("the .rpm lacks %s", f)
		}
	}
}

// The installer under Wine, silently (/S): a per-user install with the
// programs, a Start-menu shortcut, the uninstall entry and the login
// value; the installed imagecx.exe runs; the silent uninstall leaves
// nothing of it behind.
func checkWindowsInstaller(t *testing.T, p packages) {
	xvfb.Need(t, wine.Tools...)
	x := xvfb.Start(t, 800, 600)
	prefix := wine.New(t, x.Display)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(exe string, args ...string) string {
		t.Helper()
		out, err := prefix.Run(ctx, exe, args...)
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", filepath.Base(exe), args, err, out)
		}
		return out
	}
	reg := func(key string, args ...string) (string, bool) {
		out, err := prefix.Run(ctx, "reg", append([]string{"query", key}, args...)...)
		return out, err == nil
	}
	run(p.setup, "/S")
	var user string // the prefix's user folder (Wine names it after the Unix user)
	homes, _ := filepath.Glob(filepath.Join(prefix.CDrive(), "users", "*", "AppData"))
	for _, h := range homes {
		if filepath.Base(filepath.Dir(h)) != "Public" {
			user = filepath.Dir(h)
		}
	}
	if user == "" {
		t.Fatalf("no user folder in the prefix: %v", homes)
	}
	dir := filepath.Join(user, "AppData", "Local", "Programs", "imagecx")
	for _, f := range []string{"imagecx.exe", "imagecxw.exe", "imagecx-settings.exe", "imagecx-history.exe", "imagecx-editor.exe", "uninstall.exe", "LICENSE.txt", "THIRD_PARTY_NOTICES.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("not installed: %v", err)
		}
	}
	checkNotices(t, filepath.Join(dir, "THIRD_PARTY_NOTICES.txt"), filepath.Join(dir, "imagecx.exe"), filepath.Join(dir, "imagecx-settings.exe"), filepath.Join(dir, "imagecx-editor.exe"))
	if out := run(filepath.Join(dir, "imagecx.exe"), "version"); !strings.HasPrefix(out, "imagecx "+p.version+"\r\n") && !strings.HasPrefix(out, "imagecx "+p.version+"\n") {
		t.Errorf("imagecx.exe version:\n%s", out)
	}
	shortcut := filepath.Join(user, "AppData", "Roaming", "Microsoft", "Windows", "Start Menu", "Programs", "imagecx.lnk")
	if _, err := os.Stat(shortcut); err != nil {
		t.Errorf("no Start-menu shortcut: %v", err)
	}
	const uninstallKey = `HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\imagecx`
	if out, ok := reg(uninstallKey, "/v", "DisplayVersion"); !ok || !strings.Contains(out, p.version) {
		t.Errorf("uninstall entry: %s", out)
	}
	if out, ok := reg(uninstallKey, "/v", "UninstallString"); !ok || !strings.Contains(out, `uninstall.exe`) {
		t.Errorf("uninstall entry: %s", out)
	}
	const runKey = `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`
	if out, ok := reg(runKey, "/v", "imagecx"); !ok || !strings.Contains(out, `imagecxw.exe`) {
		t.Errorf("start at login: %s", out)
	}
	// Explorer's menus: Upload to image.cx on images and videos, Edit with
	// imagecx on the images the editor opens, image.cx in Send To.
	const types = `HKCU\Software\Classes\SystemFileAssociations\`
	verbs := func(ext string) (upload, edit string) {
		value := func(key string) string {
			out, ok := reg(key, "/ve")
			if !ok {
				return ""
			}
			return out
		}
		return value(types + ext + `\shell\imagecx.upload\command`), value(types + ext + `\shell\imagecx.edit\command`)
	}
	if up, edit := verbs(".png"); !strings.Contains(up, `imagecxw.exe" open "%1"`) || !strings.Contains(edit, `imagecxw.exe" edit --notify "%1"`) {
		t.Errorf(".png's verbs:\n%s\n%s", up, edit)
	}
	if up, edit := verbs(".mp4"); !strings.Contains(up, `imagecxw.exe" open "%1"`) || edit != "" {
		t.Errorf(".mp4's verbs:\n%s\n%s", up, edit)
	}
	if out, ok := reg(types+`.jpg\shell\imagecx.upload`, "/ve"); !ok || !strings.Contains(out, "Upload to image.cx") {
		t.Errorf(".jpg's menu item: %s", out)
	}
	sendTo := filepath.Join(user, "AppData", "Roaming", "Microsoft", "Windows", "SendTo", "image.cx.lnk")
	if _, err := os.Stat(sendTo); err != nil {
		t.Errorf("no Send To shortcut: %v", err)
	}

	// The installed tray app runs (with a key, so no settings window opens
	// on its first start) and holds its .exe: the uninstaller asks it to
	// quit (`imagecx quit`) before removing the programs. The uninstaller
	// runs a copy of itself from the temporary folder, so its own file can
	// go too: wait for it to finish.
	tray := prefix.Start(t, filepath.Join(dir, "imagecxw.exe"), []string{"IMAGECX_API_KEY=chv_test_key"})
	poll.Until(t, time.Minute, "the installed tray app to answer", func() bool {
		_, err := prefix.Run(ctx, filepath.Join(dir, "imagecx.exe"), "status")
		return err == nil
	})
	run(filepath.Join(dir, "uninstall.exe"), "/S")
	if code, ok := tray.Wait(time.Minute); !ok || code != 0 {
		t.Errorf("the tray app did not quit for the uninstaller (ended %v, code %d):\n%s", ok, code, tray.Output())
	}
	poll.Until(t, 2*time.Minute, "the uninstaller to remove "+dir, func() bool {
		_, err := os.Stat(dir)
		return os.IsNotExist(err)
	})
	if _, err := os.Stat(shortcut); !os.IsNotExist(err) {
		t.Error("the uninstaller left the Start-menu shortcut")
	}
	if out, ok := reg(uninstallKey); ok {
		t.Errorf("the uninstaller left its registry entry:\n%s", out)
	}
	if out, ok := reg(runKey, "/v", "imagecx"); ok {
		t.Errorf("the uninstaller left the login value:\n%s", out)
	}
	for _, ext := range []string{".png", ".mp4"} {
		if up, edit := verbs(ext); up != "" || edit != "" {
			t.Errorf("the uninstaller left %s's verbs:\n%s\n%s", ext, up, edit)
		}
		if out, ok := reg(types + ext); ok {
			t.Errorf("the uninstaller left an empty %s key:\n%s", ext, out)
		}
	}
	if _, err := os.Stat(sendTo); !os.IsNotExist(err) {
		t.Error("the uninstaller left the Send To shortcut")
	}

	// Installed again, used (settings, history, a capture), then
	// uninstalled by hand: it asks before it removes what the person
	// made, and Yes removes it.
	run(p.setup, "/S")
	made := []string{
		filepath.Join(user, "AppData", "Roaming", "imagecx", "config.json"),
		filepath.Join(user, "AppData", "Local", "imagecx", "history.db"),
		filepath.Join(user, "Pictures", "imagecx", "capture.png"),
	}
	for _, f := range made {
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte("x"), 0o600)
	}
	xdo := func(args ...string) string {
		cmd := exec.Command("xdotool", args...)
		cmd.Env = x.Env(os.Environ())
		out, _ := cmd.Output()
		return string(out)
	}
	windows := func() []string { return strings.Fields(xdo("search", "--onlyvisible", "--name", "imagecx Uninstall")) }
	prefix.Start(t, filepath.Join(dir, "uninstall.exe"), nil)
	confirm := poll.Value(t, time.Minute, "the uninstaller's window", func() (string, bool) {
		ws := windows()
		return strings.Join(ws, ""), len(ws) == 1
	})
	xdo("windowfocus", "--sync", confirm, "key", "Return") // Uninstall
	question := poll.Value(t, time.Minute, "the question about the person's files", func() (string, bool) {
		ws := windows()
		if len(ws) < 2 {
			return "", false
		}
		return ws[len(ws)-1], true
	})
	for _, f := range made {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("%s went before the answer: %v", f, err)
		}
	}
	xdo("windowfocus", "--sync", question, "key", "y") // Yes
	poll.Until(t, time.Minute, "the uninstaller to remove the person's files and the programs", func() bool {
		for _, f := range append(made, dir) {
			if _, err := os.Stat(f); !os.IsNotExist(err) {
				return false
			}
		}
		return true
	})

	// The portable zip holds the same programs and notices.
	list := command(t, "unzip", "-l", p.zip)
	for _, f := range []string{"imagecx.exe", "imagecxw.exe", "imagecx-settings.exe", "imagecx-history.exe", "imagecx-editor.exe", "LICENSE.txt", "THIRD_PARTY_NOTICES.txt"} {
		if !strings.Contains(list, " "+f+"\n") {
			t.Errorf("the zip lacks %s", f)
		}
	}
}

// checkLicence: the installed .deb says imagecx is MIT-licensed (its
// copyright file, in Debian's words: Expat) and names the notices of what
// its programs embed, which cover every module in them.
func checkLicence(t *testing.T, root string) {
	t.Helper()
	own, err := os.ReadFile("../LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	if id := notices.Identify(string(own)); id != "MIT" {
		t.Errorf("LICENSE is %q, not the MIT licence", id)
	}
	copyright, err := os.ReadFile(filepath.Join(root, "usr/share/doc/imagecx/copyright"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nFiles: *\n", "\nLicense: Expat\n", "THIRD_PARTY_NOTICES.txt"} {
		if !strings.Contains(string(copyright), want) {
			t.Errorf("the copyright file lacks %q:\n%s", want, copyright)
		}
	}
	programs, _ := filepath.Glob(filepath.Join(root, "usr/libexec/imagecx/imagecx-*"))
	checkNotices(t, filepath.Join(root, "usr/share/doc/imagecx/THIRD_PARTY_NOTICES.txt"), append(programs, filepath.Join(root, "usr/bin/imagecx"))...)
}

// checkNotices: every module compiled into the programs (as their build
// information says) is named in the notices' summary with a licence this
// project recognises, and the notices hold its text.
func checkNotices(t *testing.T, file string, programs ...string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the third-party notices: %v", err)
	}
	summary, _, _ := strings.Cut(string(data), "\n=====")
	licences := map[string]string{}
	for _, line := range strings.Split(summary, "\n") {
		if f := strings.Fields(line); len(f) == 3 && strings.HasPrefix(line, "  ") {
			licences[f[0]+" "+f[1]] = f[2]
		}
	}
	for _, p := range programs {
		info, err := buildinfo.ReadFile(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(info.Deps) < 5 {
			t.Fatalf("%s names only %d modules", p, len(info.Deps))
		}
		for _, d := range info.Deps {
			key := d.Path + " " + d.Version
			if id := licences[key]; id == "" || id == "see" {
				t.Errorf("%s embeds %s, whose licence the notices do not name (%q)", filepath.Base(p), key, id)
			} else if !strings.Contains(string(data), "\n"+key+"\n") {
				t.Errorf("the notices hold no text for %s", key)
			}
		}
	}
	if !strings.Contains(string(data), "Go (the standard library and runtime)") {
		t.Error("the notices lack Go's own licence")
	}
}
