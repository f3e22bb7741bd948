// Package freshmachine proves the README's first promise: on a Debian or
// Ubuntu machine that has nothing but make, git and sudo, `make` gets Go by
// itself (scripts/go.sh) and builds imagecx. Each machine is a throw-away
// root made by debootstrap from the distribution's own archive, with a
// person's account that may use sudo; nothing of this machine's Go is in it.
package freshmachine

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// machine is a distribution as a fresh install has it.
type machine struct {
	name, suite, mirror string
	ubuntu              bool
	// goVersion is the version of the distribution's golang-go: the
	// bootstrap fetches through GOTOOLCHAIN from 1.21 on, as a module
	// before.
	goVersion string
}

var machines = []machine{
	{name: "Debian12", suite: "bookworm", mirror: "http://deb.debian.org/debian", goVersion: "1.19"},
	{name: "Debian13", suite: "trixie", mirror: "http://deb.debian.org/debian", goVersion: "1.24"},
	{name: "Ubuntu2204", suite: "jammy", mirror: "http://archive.ubuntu.com/ubuntu", ubuntu: true, goVersion: "1.18"},
	{name: "Ubuntu2404", suite: "noble", mirror: "http://archive.ubuntu.com/ubuntu", ubuntu: true, goVersion: "1.22"},
}

// need skips on a developer's machine without the tools or root, and fails
// in CI, which has them (.ci/run installs debootstrap, and runs as root).
func need(t *testing.T) {
	t.Helper()
	missing := ""
	for _, tool := range []string{"debootstrap", "chroot", "mount", "umount", "gpg", "dpkg-deb", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = tool + " is not installed"
		}
	}
	if missing == "" && os.Getuid() != 0 {
		missing = "making a root with debootstrap needs root"
	}
	if missing == "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; CI must have it", missing)
	}
	t.Skipf("%s (CI runs this test)", missing)
}

// TestMakeOnAFreshMachine: on each distribution, a person's clone and
// `make imagecx` end with the program built by the Go that make fetched,
// saying the VERSION file's release; a second make fetches nothing.
func TestMakeOnAFreshMachine(t *testing.T) {
	need(t)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	release, err := os.ReadFile(filepath.Join(repo, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(string(modLine(t, repo, "toolchain")))
	// The modules the program is built from come from this machine's module
	// cache first (a mirror, as a company's proxy would be), so the test
	// downloads what it proves: the distribution's packages and the Go
	// toolchain, which no cache here holds.
	modcache := goEnv(t, "GOMODCACHE")
	// One build cache for the four machines: the same toolchain builds the
	// same program in each, so one of them compiles it and the others
	// wait for it rather than compile it at the same time.
	buildCache := t.TempDir()
	os.Chmod(buildCache, 0o777)
	var building sync.Mutex
	for _, m := range machines {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
			defer cancel()
			root := newRoot(t, ctx, m)
			clone(t, ctx, repo, root)
			mount(t, root, "var/cache/host-modules", true, "--bind", filepath.Join(modcache, "cache", "download"))
			mount(t, root, "var/cache/go-build", false, "--bind", buildCache)

			out := func() string {
				building.Lock()
				defer building.Unlock()
				return person(t, ctx, root, "cd ~/imagecx && make imagecx && ./imagecx version")
			}()
			if !strings.Contains(out, "is Go "+m.goVersion) || !strings.Contains(out, "fetching Go "+strings.TrimPrefix(want, "go")) {
				t.Errorf("make did not fetch Go %s with the distribution's Go %s:\n%s", want, m.goVersion, out)
			}
			if !bytes.Contains([]byte(out), []byte("\nimagecx "+strings.TrimSpace(string(release)))) {
				t.Errorf("imagecx version does not say %s:\n%s", release, out)
			}
			// The toolchain is the person's, in their module cache, not in a
			// system folder; it is the one go.mod names.
			toolchains, _ := filepath.Glob(filepath.Join(root, "home/person/go/pkg/mod/golang.org/toolchain@v0.0.1-"+want+".linux-*/bin/go"))
			if len(toolchains) != 1 {
				t.Errorf("no %s in the person's module cache", want)
			}
			for _, system := range []string{"usr/local/go", "usr/local/bin/go"} {
				if _, err := os.Stat(filepath.Join(root, system)); err == nil {
					t.Errorf("/%s was written", system)
				}
			}
			// Once fetched, it is used as it is.
			again := person(t, ctx, root, "cd ~/imagecx && make imagecx && scripts/go.sh")
			if strings.Contains(again, "fetching") || strings.Contains(again, "apt-get") || !strings.Contains(again, "/home/person/go/pkg/mod/golang.org/toolchain@v0.0.1-"+want) {
				t.Errorf("the second make did not use the fetched Go as it is:\n%s", again)
			}
		})
	}
}

// newRoot makes a minimal install of the distribution with make, git and
// sudo, and a person who may use sudo without a password (as the person
// who installed the machine may, with theirs).
func newRoot(t *testing.T, ctx context.Context, m machine) string {
	t.Helper()
	root, err := os.MkdirTemp("", "imagecx-fresh-"+m.name+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeRoot(t, root) })
	os.Chmod(root, 0o755) // it is "/" there
	args := []string{"--variant=minbase", "--include=make,git,sudo,ca-certificates"}
	if m.ubuntu {
		args = append(args, "--keyring="+ubuntuKeyring(t, ctx))
	}
	args = append(args, m.suite, root, m.mirror)
	if m.ubuntu {
		// Debian 12's debootstrap knows Ubuntu releases up to 22.10 by
		// name; they are all made the same way.
		args = append(args, "/usr/share/debootstrap/scripts/gutsy")
	}
	// An archive mirror drops a connection now and then: once more, from
	// the start.
	if _, err := try(ctx, "", "debootstrap", args...); err != nil {
		t.Logf("debootstrap failed once, trying again: %v", err)
		removeRoot(t, root)
		os.Mkdir(root, 0o755)
		run(t, ctx, "debootstrap", args...)
	}
	// The network this runs on may need its own certificate authority: the
	// fresh machine gets this machine's, as a machine on it would have it.
	copyFile(t, "/etc/ssl/certs/ca-certificates.crt", filepath.Join(root, "etc/ssl/host-ca.crt"))
	copyFile(t, "/etc/resolv.conf", filepath.Join(root, "etc/resolv.conf"))
	mount(t, root, "proc", false, "-t", "proc", "proc")
	run(t, ctx, "chroot", root, "useradd", "--create-home", "--uid", "4242", "--shell", "/bin/sh", "person")
	if err := os.WriteFile(filepath.Join(root, "etc/sudoers.d/person"), []byte("person ALL=(ALL) NOPASSWD: ALL\n"), 0o440); err != nil {
		t.Fatal(err)
	}
	return root
}

// clone is the person's `git clone`, with the changes not yet committed
// here on top (so the test proves the tree it runs in).
func clone(t *testing.T, ctx context.Context, repo, root string) {
	t.Helper()
	dst := filepath.Join(root, "home/person/imagecx")
	run(t, ctx, "git", "clone", "--quiet", "--no-hardlinks", repo, dst)
	files, err := try(ctx, repo, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Split(strings.TrimRight(files, "\x00"), "\x00") {
		if info, err := os.Lstat(filepath.Join(repo, f)); err == nil && info.Mode().IsRegular() {
			os.MkdirAll(filepath.Dir(filepath.Join(dst, f)), 0o755)
			copyFile(t, filepath.Join(repo, f), filepath.Join(dst, f))
			os.Chmod(filepath.Join(dst, f), info.Mode().Perm())
		}
	}
	run(t, ctx, "chroot", root, "chown", "-R", "person:person", "/home/person/imagecx")
}

// person runs a shell command as the person, with a login's environment
// and nothing of this machine's.
func person(t *testing.T, ctx context.Context, root, script string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, "chroot", "--userspec=4242:4242", root, "/bin/sh", "-c", script)
	cmd.Env = []string{
		"HOME=/home/person", "USER=person", "LOGNAME=person", "SHELL=/bin/sh", "LANG=C.UTF-8",
		"PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games",
		"SSL_CERT_FILE=/etc/ssl/host-ca.crt",
		"GOPROXY=file:///var/cache/host-modules,https://proxy.golang.org",
		"GOCACHE=/var/cache/go-build",
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("as the person: %s: %v\n%s", script, err, out)
	}
	return string(out)
}

// ubuntuKeyring is Ubuntu's archive signing key, taken from Ubuntu's own
// keyring package and kept only if its fingerprint is the one Ubuntu
// publishes (Debian does not package it).
func ubuntuKeyring(t *testing.T, ctx context.Context) string {
	t.Helper()
	const (
		pkg         = "http://archive.ubuntu.com/ubuntu/pool/main/u/ubuntu-keyring/ubuntu-keyring_2023.11.28.1_all.deb"
		fingerprint = "F6ECB3762474EDA9D21B7022871920D1991BC93C" // Ubuntu Archive Automatic Signing Key (2018)
	)
	dir := t.TempDir()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, pkg, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("Ubuntu's keyring package: %v", err)
	}
	defer resp.Body.Close()
	var deb bytes.Buffer
	if _, err := deb.ReadFrom(resp.Body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("Ubuntu's keyring package: %s %v", resp.Status, err)
	}
	os.WriteFile(filepath.Join(dir, "k.deb"), deb.Bytes(), 0o644)
	run(t, ctx, "dpkg-deb", "-x", filepath.Join(dir, "k.deb"), filepath.Join(dir, "x"))
	key := filepath.Join(dir, "ubuntu-archive.gpg")
	// Exported by fingerprint: only that key, whatever else the file held.
	exported, err := exec.CommandContext(ctx, "gpg", "--homedir", dir, "--no-default-keyring", "--keyring", filepath.Join(dir, "x/usr/share/keyrings/ubuntu-archive-keyring.gpg"), "--export", fingerprint).Output()
	if err != nil || len(exported) < 500 {
		t.Fatalf("Ubuntu's keyring package has no key %s (%v)", fingerprint, err)
	}
	os.WriteFile(key, exported, 0o644)
	return key
}

// mount runs `mount ARGS… ROOT/DIR`; the mount is undone when the test
// ends.
func mount(t *testing.T, root, dir string, readOnly bool, args ...string) {
	t.Helper()
	dst := filepath.Join(root, dir)
	os.MkdirAll(dst, 0o755)
	run(t, context.Background(), "mount", append(args, dst)...)
	t.Cleanup(func() { exec.Command("umount", "--lazy", dst).Run() })
	if readOnly {
		run(t, context.Background(), "mount", "-o", "remount,bind,ro", dst)
	}
}

// removeRoot removes a root once nothing is mounted in it any more (a
// bind mount left would take what it shows with it).
func removeRoot(t *testing.T, root string) {
	mounts, _ := os.ReadFile("/proc/self/mounts")
	for _, line := range strings.Split(string(mounts), "\n") {
		if f := strings.Fields(line); len(f) > 1 && strings.HasPrefix(f[1], root+"/") {
			exec.Command("umount", "--lazy", f[1]).Run()
		}
	}
	mounts, _ = os.ReadFile("/proc/self/mounts")
	if strings.Contains(string(mounts), " "+root+"/") {
		t.Errorf("%s still has mounts; left in place", root)
		return
	}
	os.RemoveAll(root)
}

func modLine(t *testing.T, repo, directive string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, directive+" "); ok {
			return v
		}
	}
	t.Fatalf("go.mod has no %s line", directive)
	return ""
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

func try(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		tail := out.String()
		if len(tail) > 4000 {
			tail = "…" + tail[len(tail)-4000:]
		}
		return out.String(), fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail)
	}
	return out.String(), nil
}

func run(t *testing.T, ctx context.Context, name string, args ...string) string {
	t.Helper()
	out, err := try(ctx, "", name, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWithoutAptItSaysWhatToInstall: where make cannot get Go or the
// packages by itself (Fedora, Arch: no apt-get), it says what to install,
// by that distribution's names where it knows them, and stops.
func TestWithoutAptItSaysWhatToInstall(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// A PATH with the shell's tools and none of go, apt-get or dpkg.
	bin := t.TempDir()
	for _, tool := range []string{"sh", "bash", "sed", "sort", "head", "mktemp", "uname", "tr", "id", "rm", "dirname", "cat", "grep"} {
		path, err := exec.LookPath(tool)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(path, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	script := func(name string, env []string, args ...string) (string, int) {
		cmd := exec.Command(filepath.Join(repo, "scripts", name), args...)
		cmd.Env = append([]string{"PATH=" + bin, "HOME=" + t.TempDir()}, env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if err != nil {
			code = -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
		}
		return string(out), code
	}
	want := strings.TrimPrefix(modLine(t, repo, "toolchain"), "go")

	out, code := script("go.sh", nil)
	if code != 1 || !strings.Contains(out, "imagecx needs Go "+want+" or newer, and there is no go on PATH and no apt-get to install one") || !strings.Contains(out, "https://go.dev/dl/") {
		t.Errorf("go.sh with no go and no apt-get (exit %d):\n%s", code, out)
	}
	// Fedora's package manager is there: its command is named.
	if err := os.WriteFile(filepath.Join(bin, "dnf"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, code = script("go.sh", nil)
	if code != 1 || !strings.Contains(out, "sudo dnf install golang") {
		t.Errorf("go.sh on a machine with dnf (exit %d):\n%s", code, out)
	}
	out, code = script("deps.sh", nil, "run")
	if code != 1 || !strings.Contains(out, "no apt-get") || !strings.Contains(out, "libgl1-mesa-dev") || !strings.Contains(out, "sudo dnf install gcc") || !strings.Contains(out, "IMAGECX_SKIP_DEPS=1") {
		t.Errorf("deps.sh run with no apt-get (exit %d):\n%s", code, out)
	}
	// Installed by hand: make goes on.
	if out, code = script("deps.sh", []string{"IMAGECX_SKIP_DEPS=1"}, "run"); code != 0 || out != "" {
		t.Errorf("deps.sh with IMAGECX_SKIP_DEPS=1 (exit %d):\n%s", code, out)
	}
}
