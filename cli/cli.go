// Package cli is imagecx's command line: it parses the subcommands and
// wires settings, keys and the uploader for them.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/instance"
	"imagecx/internal/portal"
	"imagecx/internal/sessionbus"
	"imagecx/programs"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/uploader"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// Env is the outside world a command sees; main fills it from the process,
// tests from buffers.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// StdinTerminal, StderrTerminal and StdoutTerminal say whether those
	// are terminals (prompts, hidden input, progress bars, windows).
	StdinTerminal, StderrTerminal, StdoutTerminal bool
	// ReadSecret reads a line from the terminal without echoing it.
	ReadSecret func() ([]byte, error)
	Version    string
	// Commit and Built are the git commit and the build's time, when
	// known.
	Commit, Built string
	// Daemon runs the tray app (imagecx with no arguments).
	Daemon func(ctx context.Context, env Env) int

	flagSets *[]*flag.FlagSet // newFlags adds each flag set here (Docs)
}

// usageFor is the usage, with where to create a key on the site in use
// (IMAGECX_ENDPOINT, or the settings' endpoint).
func usageFor(env Env) string {
	var cfg settings.Config
	if dir, err := settings.DefaultDir(); err == nil {
		cfg, _ = settings.Store{Dir: dir}.Load()
	}
	return Overview() + "\n" + i18n.T("Create an API key at {{.url}}.", "url", strings.TrimRight(settings.Endpoint(cfg.Endpoint, env.Getenv), "/")+"/settings/api") + "\n"
}

// Run executes one command line and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if dir, err := settings.DefaultDir(); err == nil {
		settings.Speak(dir, env.Getenv)
	}
	if len(args) == 0 {
		if env.Daemon == nil {
			fmt.Fprint(env.Stderr, usageFor(env))
			return exitUsage
		}
		return env.Daemon(ctx, env)
	}
	name := args[0]
	switch name {
	case "--version", "-version":
		name = "version"
	case "-h", "-help", "--help":
		name = "help"
	}
	if c, ok := lookup(name); ok {
		if !c.flags && c.name != "help" && len(args) > 1 && isHelp(args[1]) {
			fmt.Fprint(env.Stdout, usageOf(c))
			return exitOK
		}
		return c.run(ctx, args[1:], env)
	}
	fmt.Fprintf(env.Stderr, "imagecx: %s\n\n%s", i18n.T("unknown command {{.name}}", "name", strconv.Quote(args[0])), usageFor(env))
	return exitUsage
}

// newFlags is a FlagSet with the command's usage: on standard output when
// asked for (-h, --help, `imagecx help COMMAND`: it can go to a pager),
// on standard error after a mistake. Flags are written as --name.
func newFlags(env Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "%s imagecx %s\n", i18n.T("Usage:"), i18n.T(synopsis))
		if hasFlags(fs) {
			fmt.Fprintln(w, "\n"+i18n.T("Flags:"))
			printFlags(w, fs)
		}
	}
	helpOut[fs] = env.Stdout
	if env.flagSets != nil {
		*env.flagSets = append(*env.flagSets, fs)
	}
	return fs
}

// helpOut is where each command's asked-for help goes.
var helpOut = map[*flag.FlagSet]io.Writer{}

// printFlags lists fs's flags as --name VALUE, with their usage.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if len(f.Name) == 1 {
			line = "  -" + f.Name
		}
		if arg != "" {
			line += " " + strings.ToUpper(arg)
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprint(w, i18n.T(" (default {{.value}})", "value", f.DefValue))
		}
		fmt.Fprintln(w)
	})
}

func hasFlags(fs *flag.FlagSet) (any bool) {
	fs.VisitAll(func(*flag.Flag) { any = true })
	return any
}

// parse runs fs.Parse and turns -h and bad flags into exit codes.
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			if w := helpOut[fs]; w != nil {
				fs.SetOutput(w)
			}
			fs.Usage()
			return exitOK, false
		}
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	case err != nil:
		return exitUsage, false
	}
	return 0, true
}

// world is what the commands share: the config, the key store, the endpoint.
type world struct {
	ctx   context.Context
	env   Env
	store settings.Store
	cfg   settings.Config
	keys  settings.Keys
}

func load(ctx context.Context, env Env) (*world, error) {
	dir, err := settings.DefaultDir()
	if err != nil {
		return nil, err
	}
	w := &world{ctx: ctx, env: env, store: settings.Store{Dir: dir}, keys: settings.NewKeys(dir, env.Getenv)}
	w.cfg, err = w.store.Load()
	var ce *settings.CorruptError
	if errors.As(err, &ce) {
		fmt.Fprintf(env.Stderr, "imagecx: %s\n", i18n.T("warning: {{.what}}", "what", explain.Error(err)))
	} else if err != nil {
		return nil, err
	}
	return w, nil
}

func (w *world) endpoint() string { return settings.Endpoint(w.cfg.Endpoint, w.env.Getenv) }

// history opens the upload history; nil (with a warning on stderr) when it
// cannot be used: the command goes on without recording.
func (w *world) history() *history.Store {
	dir, err := settings.DataDir(w.env.Getenv)
	var h *history.Store
	if err == nil {
		h, err = history.Open(w.ctx, dir)
	}
	var corrupt *history.CorruptError
	switch {
	case errors.As(err, &corrupt):
		fmt.Fprintf(w.env.Stderr, "imagecx: %s\n", i18n.T("warning: {{.what}}", "what", explain.Error(err)))
		h.Recover(w.ctx, shot.SetupFrom(w.cfg, w.env.Getenv).Dir)
	case err != nil:
		fmt.Fprintf(w.env.Stderr, "imagecx: %s\n", i18n.T("warning: this is not recorded in the upload history: {{.why}}", "why", explain.Lower(explain.Error(err))))
		return nil
	}
	return h
}

// client builds an uploader for the stored key; key is "" when none is set.
func (w *world) client() (*uploader.Client, string, error) {
	key, _, err := w.keys.Get(w.ctx)
	if err != nil {
		return nil, "", err
	}
	c, err := w.cfg.Client(key, w.env.Getenv)
	if err != nil {
		return nil, "", err
	}
	return c, key, nil
}

// fail prints err for people on stderr ("imagecx: " and its sentence),
// naming what it concerns unless the sentence already does, and returns
// exitFail.
func fail(env Env, what string, err error) int {
	msg := explain.Error(err)
	if what != "" && !strings.Contains(msg, what) {
		msg = what + ": " + explain.Lower(msg)
	}
	fmt.Fprintln(env.Stderr, "imagecx: "+msg)
	return exitFail
}

// emit writes a result (a link, a path) as a line on standard output.
// When that fails (a full disk, a closed pipe) the line goes to standard
// error instead, so it is not lost, and the error is returned: the
// command must fail.
func emit(env Env, line string) error {
	if _, err := fmt.Fprintln(env.Stdout, line); err != nil {
		fmt.Fprintf(env.Stderr, "imagecx: %s\n%s\n", i18n.T("standard output could not be written ({{.why}}); here it is instead:", "why", explain.Lower(strings.TrimRight(explain.Error(err), ".。"))), line)
		return err
	}
	return nil
}

// errorf prints "imagecx: " and the catalog message key (filled with
// args, name and value pairs) on stderr, and returns exitFail.
func errorf(env Env, key string, args ...any) int {
	fmt.Fprintln(env.Stderr, "imagecx: "+i18n.T(key, args...))
	return exitFail
}

// say prints the catalog message key (filled with args) on w, a line.
func say(w io.Writer, key string, args ...any) {
	fmt.Fprintln(w, i18n.T(key, args...))
}

// runSettings opens the settings window, a program of its own, and waits
// for it to close.
func runSettings(ctx context.Context, env Env) int { return runWindow(env, programs.Settings) }

// runWindow runs a window program (programs.Settings, programs.History)
// and waits for it to close.
func runWindow(env Env, program string) int {
	cmd, err := programs.Command(program)
	if err != nil {
		return fail(env, "", err)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = env.Stdin, env.Stdout, env.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		return fail(env, program, err)
	}
	return exitOK
}

// runStatus asks the running tray app whether it is there and ready.
// runAllowScreenshots undoes a Deny answered to GNOME's "Allow
// applications to take screenshots?" (kept in the permission store).
func runAllowScreenshots(ctx context.Context, env Env) int {
	conn, err := sessionbus.Connect(ctx, env.Getenv)
	if err != nil {
		return errorf(env, "No D-Bus session: screenshots are allowed or refused by the desktop of a session ({{.why}}).", "why", err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	perm, err := portal.ScreenshotPermission(ctx, conn)
	if err != nil {
		return fail(env, "", err)
	}
	if perm == portal.Allowed {
		say(env.Stdout, "Screenshots are allowed already.")
		return exitOK
	}
	if err := portal.AllowScreenshots(ctx, conn); err != nil {
		return fail(env, "", err)
	}
	say(env.Stdout, "Screenshots are allowed: GNOME lets imagecx take them again.")
	return exitOK
}

func runStatus(ctx context.Context, env Env) int {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := instance.Send(ctx, instance.Path(env.Getenv), instance.Status); err != nil {
		say(env.Stdout, "The imagecx tray app is not running. Start it with `imagecx`.")
		return exitFail
	}
	say(env.Stdout, "The imagecx tray app is running.")
	return exitOK
}

// printVersion is `imagecx version`: the version, then the commit and the
// build's time when they are known.
func printVersion(env Env) {
	fmt.Fprintf(env.Stdout, "imagecx %s\n", env.Version)
	if env.Commit != "" {
		fmt.Fprintf(env.Stdout, "commit %s\n", env.Commit)
	}
	if env.Built != "" {
		fmt.Fprintf(env.Stdout, "built %s\n", env.Built)
	}
}

// runQuit is `imagecx quit`: the running tray app quits as from its menu;
// the command returns once it has (an installer then replaces its files).
func runQuit(ctx context.Context, env Env) int {
	path := instance.Path(env.Getenv)
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	_, err := instance.Send(sctx, path, instance.Quit)
	cancel()
	if errors.Is(err, instance.ErrNotRunning) {
		say(env.Stdout, "The imagecx tray app is not running.")
		return exitOK
	}
	if err != nil {
		return fail(env, "", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		sctx, cancel := context.WithTimeout(ctx, time.Second)
		_, err := instance.Send(sctx, path, instance.Status)
		cancel()
		if errors.Is(err, instance.ErrNotRunning) {
			say(env.Stdout, "The imagecx tray app has quit.")
			return exitOK
		}
		select {
		case <-ctx.Done():
			return exitFail
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errorf(env, "The imagecx tray app was asked to quit and still runs after 10 seconds.")
}
