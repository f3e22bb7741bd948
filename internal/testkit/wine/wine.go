// Package wine runs imagecx's Windows builds under Wine for tests: a
// private prefix (its own HOME and WINEPREFIX, its own wineserver) on a
// private X server, with the stand-in bcryptprimitives.dll that Go
// programs need on Wine 8 (processprng.asm), assembled from source here.
//
// A prefix takes about 12 s and 700 MB; it is removed when the test ends.
package wine

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/xvfb"
)

//go:embed processprng.asm
var processPrng []byte

// Tools are the programs a prefix needs (Debian: wine, wine64,
// binutils-mingw-w64-x86-64).
var Tools = []string{"wine", "wineserver", "x86_64-w64-mingw32-as", "x86_64-w64-mingw32-ld", "x86_64-w64-mingw32-dlltool"}

// Prefix is a Wine prefix ready to run Go programs.
type Prefix struct {
	Dir  string // WINEPREFIX
	Home string // HOME (the prefix links the user's folders into it)
	env  []string
}

// New makes a prefix whose programs show on display; it is shut down and
// removed when the test ends.
func New(t testing.TB, display string) *Prefix {
	t.Helper()
	xvfb.Need(t, Tools...)
	home := t.TempDir()
	p := &Prefix{Dir: filepath.Join(home, ".wine"), Home: home}
	// Only what Wine needs: nothing of the developer's session (a
	// Wayland session type would reach the programs; a second wineserver
	// per display gives half-black captures).
	p.env = []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"DISPLAY=" + display,
		"WINEPREFIX=" + p.Dir,
		"WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml,winemenubuilder.exe=",
		"LANG=C.UTF-8",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// The prefix's own wineserver, started first and kept until the end
	// with no pipe of ours, so the programs' output can be read to its end.
	server := p.tool(context.Background(), "wineserver", "-f", "-p")
	if err := server.Start(); err != nil {
		t.Fatalf("wineserver: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		p.tool(ctx, "wineserver", "-k").Run()
		server.Wait()
	})
	out, err := p.Run(ctx, "wineboot", "--init")
	if err != nil && strings.Contains(out, "chdir to") {
		// The wineserver just started may not have made its socket's
		// folder yet: once more, a moment later.
		time.Sleep(2 * time.Second)
		out, err = p.Run(ctx, "wineboot", "--init")
	}
	if err != nil {
		t.Fatalf("wineboot: %v\n%s", err, out)
	}
	dll, err := buildDLL(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(dll)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.Dir, "drive_c", "windows", "system32", "bcryptprimitives.dll"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *Prefix) tool(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = p.env
	return cmd
}

// Env is the environment programs in the prefix run with; extra are
// added ("NAME=value").
func (p *Prefix) Env(extra ...string) []string {
	return append(append([]string{}, p.env...), extra...)
}

// Setenv adds "NAME=value" to what programs started in the prefix from
// now on have in their environment.
func (p *Prefix) Setenv(kv string) { p.env = append(p.env, kv) }

// Run runs a Windows program (a path on this machine, or a program of
// Wine's own such as wineboot) in the prefix and returns what it wrote to
// standard output and standard error. The output goes through a file, not
// a pipe: Wine's own background processes inherit the descriptors and
// would keep a pipe open after the program ends.
func (p *Prefix) Run(ctx context.Context, exe string, args ...string) (string, error) {
	f, err := os.CreateTemp("", "wine-output-")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	cmd := p.tool(ctx, "wine", append([]string{exe}, args...)...)
	cmd.Stdout, cmd.Stderr = f, f
	err = cmd.Run()
	out, _ := os.ReadFile(f.Name())
	return string(out), err
}

// Started is a Windows program running in the prefix.
type Started struct {
	cmd  *exec.Cmd
	out  *os.File
	done chan struct{}
	err  error
}

// Start starts a Windows program in the prefix, with extra environment
// ("NAME=value"); it is killed, if still running, when the test ends.
func (p *Prefix) Start(t testing.TB, exe string, extra []string, args ...string) *Started {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "output-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("wine", append([]string{exe}, args...)...)
	cmd.Env = p.Env(extra...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &Started{cmd: cmd, out: f, done: make(chan struct{})}
	go func() { s.err = cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			cmd.Process.Kill()
			<-s.done
		}
		f.Close()
	})
	return s
}

// Output is what the program has written so far.
func (s *Started) Output() string {
	data, _ := os.ReadFile(s.out.Name())
	return string(data)
}

// Exited reports whether the program has ended.
func (s *Started) Exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Wait waits up to within for the program to end and returns its exit
// code; ok is false when it did not end.
func (s *Started) Wait(within time.Duration) (code int, ok bool) {
	select {
	case <-s.done:
		return s.cmd.ProcessState.ExitCode(), true
	case <-time.After(within):
		return 0, false
	}
}

// CDrive is the prefix's C: drive on this machine.
func (p *Prefix) CDrive() string { return filepath.Join(p.Dir, "drive_c") }

// buildDLL assembles and links bcryptprimitives.dll in dir.
func buildDLL(ctx context.Context, dir string) (string, error) {
	files := map[string][]byte{
		"processprng.asm": processPrng,
		"advapi32.def":    []byte("LIBRARY advapi32.dll\nEXPORTS\nSystemFunction036\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", err
		}
	}
	dll := filepath.Join(dir, "bcryptprimitives.dll")
	for _, step := range [][]string{
		{"x86_64-w64-mingw32-as", "-o", "processprng.o", "processprng.asm"},
		{"x86_64-w64-mingw32-dlltool", "-m", "i386:x86-64", "-d", "advapi32.def", "-l", "libadvapi32.a"},
		{"x86_64-w64-mingw32-ld", "--dll", "-e", "DllMain", "--subsystem", "windows", "-o", dll, "processprng.o", "libadvapi32.a"},
	} {
		cmd := exec.CommandContext(ctx, step[0], step[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("build bcryptprimitives.dll: %s: %v\n%s", strings.Join(step, " "), err, out)
		}
	}
	return dll, nil
}
