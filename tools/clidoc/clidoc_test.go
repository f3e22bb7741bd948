package clidoc

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"imagecx/cli"
	"imagecx/internal/testkit/xvfb"
)

// write writes one of the files into a temporary folder.
func write(t *testing.T, name string, gen func(io.Writer, []cli.CommandDoc) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := gen(&b, cli.Docs()); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// The man page names every command and flag, and man renders it without
// a warning (as lintian checks it).
func TestManPage(t *testing.T) {
	xvfb.Need(t, "man")
	page := write(t, "imagecx.1", func(w io.Writer, d []cli.CommandDoc) error { return Man(w, d, "1.2.3", "2026-12-01") })
	cmd := exec.Command("man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", page)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "MANWIDTH=80")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("man: %v\n%s", err, stderr.String())
	}
	text := run(t, "sh", "-c", "MANWIDTH=200 man -l "+page+" | col -b")
	for _, c := range cli.Docs() {
		if !strings.Contains(text, "imagecx "+c.Name) {
			t.Errorf("the man page has no imagecx %s", c.Name)
		}
		for _, f := range c.Flags {
			if !strings.Contains(text, dashes(f.Name)) {
				t.Errorf("the man page has no %s for %s", dashes(f.Name), c.Name)
			}
		}
	}
	for _, want := range []string{"imagecx 1.2.3", "IMAGECX_API_KEY", "history.db", "imagecx key set < keyfile\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the man page has no %q:\n%s", want, text)
		}
	}
}

// bash offers the commands, a command's words and flags, and files where
// a file is wanted.
func TestBashCompletion(t *testing.T) {
	xvfb.Need(t, "bash")
	script := write(t, "imagecx.bash", Bash)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "shot.png"), nil, 0o644)
	for line, want := range map[string]string{
		"imagecx cap":              "capture",
		"imagecx ":                 "upload open capture record ocr pin edit settings status quit history uploader retry integrate allow-screenshots shortcuts key version help",
		"imagecx capture ":         "full region",
		"imagecx capture --e":      "--edit",
		"imagecx capture -o s":     "shot.png",
		"imagecx upload s":         "shot.png",
		"imagecx upload --for":     "--format",
		"imagecx key ":             "set test where clear",
		"imagecx help ke":          "key",
		"imagecx upload --format ": "",
	} {
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		got := run(t, "bash", "-c", "cd "+dir+" && source "+script+" && COMP_WORDS=("+strings.Join(quoted, " ")+") && COMP_CWORD="+
			itoa(len(words)-1)+" && _imagecx && echo \"${COMPREPLY[*]}\"")
		if strings.TrimSpace(got) != want {
			t.Errorf("%q: bash offers %q, want %q", line, strings.TrimSpace(got), want)
		}
	}
}

// fish offers the same, asked as a person's Tab asks (complete -C).
func TestFishCompletion(t *testing.T) {
	xvfb.Need(t, "fish")
	script := write(t, "imagecx.fish", Fish)
	for line, want := range map[string]string{
		"imagecx cap":         "capture",
		"imagecx capture ":    "full region",
		"imagecx capture --e": "--edit",
		"imagecx history -":   "-n --failed --json --yes",
	} {
		out := run(t, "fish", "--no-config", "-c", "source "+script+"; complete -C '"+line+"'")
		var got []string
		for l := range strings.Lines(out) {
			w, _, _ := strings.Cut(strings.TrimSpace(l), "\t")
			got = append(got, w)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%q: fish offers %q, want %q", line, got, want)
		}
	}
}

// The zsh completion is valid zsh, and offers every command.
func TestZshCompletion(t *testing.T) {
	xvfb.Need(t, "zsh")
	script := write(t, "_imagecx", Zsh)
	run(t, "zsh", "-n", script)
	data, _ := os.ReadFile(script)
	for _, c := range cli.Docs() {
		if !strings.Contains(string(data), "'"+c.Name+":") {
			t.Errorf("zsh does not offer %s", c.Name)
		}
	}
	if !strings.Contains(string(data), "'1:what:(full region)'") || !strings.Contains(string(data), "'-o[save to FILE instead of the captures folder]:file:_files'") {
		t.Errorf("zsh completion:\n%s", data)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
