package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"imagecx/i18n"
)

// command is one of imagecx's commands: how Run starts it, and what the
// overview (`imagecx help`), the man page and the shell completions say
// of it. A new command is one entry in commands.
type command struct {
	name string
	run  func(ctx context.Context, args []string, env Env) int
	// lines are the overview's lines for it: what follows the name, and
	// what it does.
	lines [][2]string
	words []string // the words that can follow the name (full|region, set|test…)
	files bool     // it takes file names
	flags bool     // it parses its arguments with newFlags (and answers -h itself)
	hide  bool     // started by imagecx itself, not by people: not listed
}

// commands are imagecx's commands, in the overview's order; set in init
// (help, one of them, reads the list).
var commands []command

func init() {
	commands = []command{
		{name: "upload", run: runUpload, flags: true, files: true,
			lines: [][2]string{{"[flags] FILE|LINK...", i18n.Mark(`upload files ("-" for standard input) or images from links, print their links`)}}},
		{name: "open", run: runOpen, files: true,
			lines: [][2]string{{"[FILE|LINK...]", i18n.Mark("upload files as one batch through the tray app, with its progress (a file manager's Open With); with none, start it")}}},
		{name: "capture", run: runCapture, flags: true, words: []string{"full", "region"},
			lines: [][2]string{{"full [flags]", i18n.Mark("capture the screen, save it and upload it; print the link")},
				{"region [--last]", i18n.Mark("drag a rectangle to capture (or repeat the last one)")}}},
		{name: "record", run: runRecord, flags: true, words: []string{"full", "region"},
			lines: [][2]string{{"full|region [flags]", i18n.Mark("record the screen or a region to an MP4 that fits 5 MB, then upload it; Ctrl+C stops")}}},
		{name: "ocr", run: runOCR, flags: true, files: true,
			lines: [][2]string{{"[FILE]", i18n.Mark("print the text in an image, or in a region you drag (--copy copies it)")}}},
		{name: "pin", run: runPin, flags: true, files: true,
			lines: [][2]string{{"[FILE|--last]", i18n.Mark("keep an image, the newest capture or a region you drag on the screen, above the other windows")}}},
		{name: "edit", run: runEdit, flags: true, files: true,
			lines: [][2]string{{"FILE", i18n.Mark("mark up or redact an image, then upload it")}}},
		{name: "settings", run: noArgs(runSettings),
			lines: [][2]string{{"", i18n.Mark("open the settings window (key, hotkeys, upload options)")}}},
		{name: "status", run: noArgs(runStatus),
			lines: [][2]string{{"", i18n.Mark("say whether the tray app is running (exit 0 if it is)")}}},
		{name: "quit", run: noArgs(runQuit),
			lines: [][2]string{{"", i18n.Mark("ask the running tray app to quit, and wait until it has")}}},
		{name: "history", run: runHistory, flags: true, words: []string{"delete"},
			lines: [][2]string{{"", i18n.Mark("open the history window (a list when piped)")},
				{"[-n N] [SEARCH]", i18n.Mark("list captures and uploads (--json, --failed)")},
				{"delete ID", i18n.Mark("take an upload down from the site (after asking)")}}},
		{name: "uploader", run: runUploader, flags: true, words: []string{"add", "list", "remove", "default"}, files: true,
			lines: [][2]string{{"add FILE.sxcu...", i18n.Mark("import ShareX custom uploaders (any host; secrets go to the keyring)")},
				{"list", i18n.Mark("list the destinations; * marks where captures go")},
				{"remove NAME", i18n.Mark("remove a custom uploader and its secrets")},
				{"default NAME|image.cx", i18n.Mark("choose where captures go")}}},
		{name: "retry", run: runRetry, flags: true,
			lines: [][2]string{{"", i18n.Mark("try the failed uploads again")}}},
		{name: "integrate", run: runIntegrate, flags: true,
			lines: [][2]string{{"[--remove]", i18n.Mark("add Upload to image.cx to the file managers' right-click menus (or take it away)")}}},
		{name: "allow-screenshots", run: noArgs(runAllowScreenshots),
			lines: [][2]string{{"", i18n.Mark("undo a Deny answered when GNOME asked about screenshots")}}},
		{name: "shortcuts", run: runShortcuts, flags: true, words: []string{"add", "remove"},
			lines: [][2]string{{"[add|remove]", i18n.Mark("bind the capture commands in the desktop's keyboard settings")}}},
		{name: "key", run: runKey, flags: true, words: []string{"set", "test", "where", "clear"},
			lines: [][2]string{{"set", i18n.Mark("store the API key (read from standard input)")},
				{"test", i18n.Mark("check the stored key with one request to image.cx")},
				{"where", i18n.Mark("say where the key is stored (never the key)")},
				{"clear", i18n.Mark("remove the stored key")}}},
		{name: "version", run: noArgs(func(_ context.Context, env Env) int { printVersion(env); return exitOK }),
			lines: [][2]string{{"", i18n.Mark("print the version, the commit and the build's date")}}},
		{name: "help", run: runHelp,
			lines: [][2]string{{"[COMMAND]", i18n.Mark("show help")}}},
		{name: "keep-clipboard", run: func(ctx context.Context, args []string, env Env) int { return runKeepClipboard(ctx, env, args) }, hide: true},
	}
	for i := range commands { // help's words are the other commands
		if commands[i].name != "help" {
			continue
		}
		for _, c := range commands {
			if !c.hide && c.name != "help" {
				commands[i].words = append(commands[i].words, c.name)
			}
		}
	}
}

// lookup is the command called name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// noArgs is a command that takes no arguments.
func noArgs(run func(ctx context.Context, env Env) int) func(context.Context, []string, Env) int {
	return func(ctx context.Context, args []string, env Env) int {
		if len(args) > 0 {
			fmt.Fprintf(env.Stderr, "imagecx: %q: %s\n", args[0], i18n.T("this command takes no arguments"))
			return exitUsage
		}
		return run(ctx, env)
	}
}

// usageOf is the help of a command without flags: its lines.
func usageOf(c command) string {
	var b strings.Builder
	for i, l := range c.lines {
		lead := i18n.T("Usage:")
		if i > 0 {
			lead = strings.Repeat(" ", len([]rune(lead)))
		}
		fmt.Fprintf(&b, "%s imagecx %s\n\n    %s\n", lead, strings.TrimSpace(c.name+" "+l[0]), i18n.T(l[1]))
	}
	return b.String()
}

// runHelp is `imagecx help [COMMAND]`.
func runHelp(ctx context.Context, args []string, env Env) int {
	if len(args) > 0 && (args[0] == "help" || isHelp(args[0])) {
		c, _ := lookup("help")
		fmt.Fprint(env.Stdout, usageOf(c))
		return exitOK
	}
	if len(args) > 0 {
		return Run(ctx, []string{args[0], "-h"}, env)
	}
	fmt.Fprint(env.Stdout, usageFor(env))
	return exitOK
}

// isHelp says whether an argument asks for help.
func isHelp(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// Overview is the usage: every command, a line each, and the environment
// (`imagecx help` adds where to create a key).
func Overview() string {
	var b strings.Builder
	b.WriteString(i18n.T("imagecx takes screenshots and uploads images to image.cx, then puts the link\non the clipboard.") + "\n\n" + i18n.T("Usage:") + "\n")
	line := func(what, does string) { fmt.Fprintf(&b, "  %-32s %s\n", what, does) }
	line("imagecx", i18n.T("start the tray app (menu and global hotkeys)"))
	for _, c := range commands {
		for _, l := range c.lines {
			line(strings.TrimSpace("imagecx "+c.name+" "+l[0]), i18n.T(l[1]))
		}
	}
	b.WriteString("\n" + i18n.T("Environment:") + "\n")
	for _, e := range Environment() {
		fmt.Fprintf(&b, "  %-18s %s\n", e[0], i18n.T(e[1]))
	}
	return b.String()
}

// Environment are the variables imagecx reads, and what for.
func Environment() [][2]string {
	return [][2]string{
		{"IMAGECX_API_KEY", i18n.Mark("API key to use instead of the stored one (for scripts)")},
		{"IMAGECX_ENDPOINT", i18n.Mark("site to upload to (default https://image.cx)")},
		{i18n.EnvLanguage, i18n.Mark("language: en, zh-Hant, zh-Hans or ja (default: the Language setting, else the system's)")},
	}
}

// CommandDoc describes a command for the man page and the shell
// completions.
type CommandDoc struct {
	Name  string
	Lines [][2]string // the overview's lines: what follows the name, what it does
	Words []string    // words that can follow the name
	Files bool        // it takes file names
	Help  []string    // its own help texts (-h), one per flag set
	Flags []FlagDoc
}

// FlagDoc is one of a command's flags.
type FlagDoc struct {
	Name    string // without dashes
	Arg     string // the value's name, "" for a switch
	Usage   string
	Default string
}

// Docs describes the commands people use, from the same definitions Run
// and the help use: each command's flags are read from its own flag sets
// (the command is asked for its help, which runs nothing).
func Docs() []CommandDoc {
	var docs []CommandDoc
	for _, c := range commands {
		if c.hide {
			continue
		}
		d := CommandDoc{Name: c.name, Lines: c.lines, Words: c.words, Files: c.files}
		if c.flags {
			seen := map[string]bool{}
			for _, fs := range flagSets(c) {
				if seen[fs.Name()] {
					continue
				}
				seen[fs.Name()] = true
				var help bytes.Buffer
				fs.SetOutput(&help)
				fs.Usage()
				d.Help = append(d.Help, strings.TrimPrefix(help.String(), "Usage: imagecx "))
				fs.VisitAll(func(f *flag.Flag) {
					arg, usage := flag.UnquoteUsage(f)
					if f.DefValue == "false" {
						arg = ""
					}
					d.Flags = append(d.Flags, FlagDoc{Name: f.Name, Arg: strings.ToUpper(arg), Usage: usage, Default: f.DefValue})
				})
			}
		}
		docs = append(docs, d)
	}
	return docs
}

// flagSets are the flag sets command c makes, found by asking it (and
// each of its words) for help.
func flagSets(c command) []*flag.FlagSet {
	var sets []*flag.FlagSet
	env := Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, flagSets: &sets}
	c.run(context.Background(), []string{"-h"}, env)
	for _, w := range c.words {
		c.run(context.Background(), []string{w, "-h"}, env)
	}
	return sets
}
