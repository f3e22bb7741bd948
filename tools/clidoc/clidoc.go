// Package clidoc writes what an installed command line comes with — the
// man page imagecx(1) and completions for bash, zsh and fish — from the
// command definitions the program itself runs (cli.Docs), so they cannot
// drift from it.
package clidoc

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"imagecx/cli"
)

// fileArg says whether a flag's value is a file name (completed as one).
func fileArg(f cli.FlagDoc) bool { return f.Arg == "FILE" || f.Arg == "DIR" || f.Arg == "FOLDER" }

// dashes is a flag as it is typed: -o, --format.
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// summary is a command's first overview line's words.
func summary(c cli.CommandDoc) string {
	if len(c.Lines) == 0 {
		return ""
	}
	return c.Lines[0][1]
}

// Man writes the man page imagecx(1): the overview's lines as the
// synopsis, each command's own help and flags, the environment.
func Man(w io.Writer, docs []cli.CommandDoc, version, date string) error {
	var b strings.Builder
	fmt.Fprintf(&b, ".TH IMAGECX 1 %q %q \"User Commands\"\n", date, "imagecx "+version)
	b.WriteString(".SH NAME\nimagecx \\- take screenshots and upload them to image.cx\n")
	b.WriteString(".SH SYNOPSIS\n.B imagecx\n")
	for _, c := range docs {
		for _, l := range c.Lines {
			fmt.Fprintf(&b, ".br\n.B imagecx %s\n", roff(c.Name))
			if l[0] != "" {
				fmt.Fprintf(&b, "%s\n", roff(l[0]))
			}
		}
	}
	b.WriteString(".SH DESCRIPTION\n")
	b.WriteString("imagecx takes screenshots and uploads images to image.cx, then puts the link on the clipboard.\n")
	b.WriteString(".PP\nWith no command it starts the tray app: a tray icon with a menu, global hotkeys (Ctrl+Shift+1 the full screen, Ctrl+Shift+2 a region, Ctrl+Shift+3 a region through the editor), notifications with the link. ")
	b.WriteString("The commands below do the same from scripts and desktop shortcuts; when the tray app runs, a capture command hands the capture to it.\n")
	b.WriteString(".SH COMMANDS\n")
	for _, c := range docs {
		fmt.Fprintf(&b, ".SS %s\n", roff(c.Name))
		if len(c.Help) == 0 {
			for _, l := range c.Lines {
				fmt.Fprintf(&b, ".TP\n.B imagecx %s\n%s\n", roff(strings.TrimSpace(c.Name+" "+l[0])), roff(sentence(l[1])))
			}
			continue
		}
		for _, h := range c.Help {
			b.WriteString(help(h))
		}
		for _, f := range c.Flags {
			fmt.Fprintf(&b, ".TP\n\\fB%s\\fR", roff(dashes(f.Name)))
			if f.Arg != "" {
				fmt.Fprintf(&b, " \\fI%s\\fR", roff(f.Arg))
			}
			usage := f.Usage
			if f.Default != "" && f.Default != "false" {
				usage += " (default " + f.Default + ")"
			}
			fmt.Fprintf(&b, "\n%s\n", roff(sentence(strings.ReplaceAll(usage, "\n", " "))))
		}
	}
	b.WriteString(".SH ENVIRONMENT\n")
	for _, e := range cli.Environment() {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roff(e[0]), roff(sentence(e[1])))
	}
	b.WriteString(`.SH FILES
.TP
.I $XDG_CONFIG_HOME/imagecx/config.json
the settings (~/.config/imagecx when XDG_CONFIG_HOME is not set); the API key is kept in the desktop's keyring, or in a file beside the settings that only you can read when there is no keyring.
.TP
.I $XDG_DATA_HOME/imagecx/history.db
every capture and upload, with its links (~/.local/share/imagecx).
.TP
.I ~/Pictures/imagecx
where captures are saved before they are uploaded, unless the settings say otherwise.
.SH EXIT STATUS
0 when the command did what it was asked, 1 when it failed (the message says why; nothing captured is lost), 2 for a command line it does not understand.
`)
	_, err := io.WriteString(w, b.String())
	return err
}

// sentence is s with a capital first letter and a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, ")") {
		s += "."
	}
	return s
}

// term is a line that starts an item of a list in a command's help:
// "  set     store the API key…", "full:   captures the screen…".
var term = regexp.MustCompile(`^ {0,2}(\S+?):? {2,}(\S.*)$`)

// help turns a command's own help (its synopsis, then paragraphs; lists
// written as indented columns) into roff: the synopsis in bold, prose
// filled, the lists as tagged paragraphs.
func help(h string) string {
	h, _, _ = strings.Cut(h, "\nFlags:\n")
	var b strings.Builder
	paras := strings.Split(strings.TrimSpace(h), "\n\n")
	for i, p := range paras {
		lines := strings.Split(p, "\n")
		if i == 0 { // the synopsis, and more forms of it ("       imagecx history delete ID")
			for j, l := range lines {
				l = strings.TrimPrefix(strings.TrimSpace(l), "imagecx ")
				if j > 0 {
					b.WriteString(".br\n")
				} else {
					b.WriteString(".PP\n")
				}
				fmt.Fprintf(&b, ".B imagecx %s\n", roff(l))
			}
			continue
		}
		list := false
		for _, l := range lines {
			if strings.HasPrefix(l, " ") || term.MatchString(l) {
				list = true
			}
		}
		if !list {
			fmt.Fprintf(&b, ".PP\n%s\n", roff(strings.Join(lines, " ")))
			continue
		}
		// An item's text; a line indented past its column (an example)
		// keeps a line of its own.
		var tag string
		var text []string
		col, inExample := 0, false
		flush := func() {
			if tag != "" || len(text) > 0 {
				fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roff(tag), strings.Join(text, "\n"))
			}
			tag, text = "", nil
		}
		for _, l := range lines {
			if m := term.FindStringSubmatchIndex(l); m != nil {
				flush()
				tag, text, col, inExample = l[m[2]:m[3]], []string{roff(l[m[4]:])}, m[4], false
				continue
			}
			trimmed := strings.TrimSpace(l)
			example := len(l)-len(strings.TrimLeft(l, " ")) > col
			if (example || inExample) && len(text) > 0 {
				text = append(text, ".br", roff(trimmed))
				inExample = example
				continue
			}
			if len(text) == 0 {
				text = append(text, "")
			}
			text[len(text)-1] = strings.TrimSpace(text[len(text)-1] + " " + roff(trimmed))
		}
		flush()
	}
	return b.String()
}

// roff escapes text for a man page: backslashes, a dot or quote that
// would start a request, and the hyphens of options (a minus sign, so
// that a copied option works).
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = optionDash.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, "-", `\-`) })
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// optionDash is an option's dashes: "-o", "--edit", also "[--last]".
var optionDash = regexp.MustCompile(`(^|[\s\[(|"])--?[a-z]`)

// words is a shell word list, space separated.
func words(ws []string) string { return strings.Join(ws, " ") }

// flagNames are a command's flags as typed.
func flagNames(c cli.CommandDoc) []string {
	var out []string
	for _, f := range c.Flags {
		out = append(out, dashes(f.Name))
	}
	return out
}

// Bash writes the bash completion: the command, then a command's words,
// flags, and files where it takes them (and after a flag whose value is
// a file).
func Bash(w io.Writer, docs []cli.CommandDoc) error {
	var names []string
	for _, c := range docs {
		names = append(names, c.Name)
	}
	var b strings.Builder
	b.WriteString("# bash completion for imagecx; generated from its command definitions.\n")
	b.WriteString("_imagecx() {\n")
	b.WriteString("    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n")
	b.WriteString("    COMPREPLY=()\n")
	fmt.Fprintf(&b, "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n        COMPREPLY=($(compgen -W %q -- \"$cur\"))\n        return\n    fi\n", words(names))
	b.WriteString("    case ${COMP_WORDS[1]} in\n")
	for _, c := range docs {
		fmt.Fprintf(&b, "    %s)\n", c.Name)
		var fileFlags, valueFlags []string
		for _, f := range c.Flags {
			switch {
			case fileArg(f):
				fileFlags = append(fileFlags, dashes(f.Name))
			case f.Arg != "":
				valueFlags = append(valueFlags, dashes(f.Name))
			}
		}
		if len(fileFlags) > 0 {
			fmt.Fprintf(&b, "        case $prev in %s) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return ;; esac\n", strings.Join(fileFlags, "|"))
		}
		if len(valueFlags) > 0 { // a value of the person's own: nothing to offer
			fmt.Fprintf(&b, "        case $prev in %s) return ;; esac\n", strings.Join(valueFlags, "|"))
		}
		if fs := flagNames(c); len(fs) > 0 {
			fmt.Fprintf(&b, "        case $cur in -*) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;; esac\n", words(fs))
		}
		if len(c.Words) > 0 {
			fmt.Fprintf(&b, "        if [ \"$COMP_CWORD\" -eq 2 ]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n", words(c.Words))
		}
		if c.Files {
			b.WriteString("        compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))\n")
		}
		b.WriteString("        ;;\n")
	}
	b.WriteString("    esac\n}\ncomplete -F _imagecx imagecx\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// zshQuote escapes a description for zsh's _describe and _arguments.
func zshQuote(s string) string {
	r := strings.NewReplacer(`'`, `'\''`, `:`, `\:`, `[`, `\[`, `]`, `\]`)
	return r.Replace(s)
}

// Zsh writes the zsh completion (#compdef imagecx).
func Zsh(w io.Writer, docs []cli.CommandDoc) error {
	var b strings.Builder
	b.WriteString("#compdef imagecx\n# zsh completion for imagecx; generated from its command definitions.\n\n")
	b.WriteString("_imagecx() {\n    local -a commands\n    commands=(\n")
	for _, c := range docs {
		fmt.Fprintf(&b, "        '%s:%s'\n", c.Name, zshQuote(summary(c)))
	}
	b.WriteString("    )\n    if (( CURRENT == 2 )); then\n        _describe -t commands 'imagecx command' commands\n        return\n    fi\n")
	b.WriteString("    local cmd=$words[2]\n    shift words\n    (( CURRENT-- ))\n    case $cmd in\n")
	for _, c := range docs {
		fmt.Fprintf(&b, "    %s)\n        _arguments -s", c.Name)
		for _, f := range c.Flags {
			spec := dashes(f.Name) + "[" + zshQuote(strings.ReplaceAll(f.Usage, "\n", " ")) + "]"
			if f.Arg != "" {
				action := ""
				if fileArg(f) {
					action = "_files"
				}
				spec += ":" + strings.ToLower(f.Arg) + ":" + action
			}
			fmt.Fprintf(&b, " \\\n            '%s'", spec)
		}
		if len(c.Words) > 0 {
			fmt.Fprintf(&b, " \\\n            '1:what:(%s)'", words(c.Words))
		}
		if c.Files {
			b.WriteString(" \\\n            '*:file:_files'")
		}
		b.WriteString("\n        ;;\n")
	}
	b.WriteString("    esac\n}\n\n_imagecx \"$@\"\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// fishQuote quotes s for fish, in single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// Fish writes the fish completion.
func Fish(w io.Writer, docs []cli.CommandDoc) error {
	var b strings.Builder
	b.WriteString("# fish completion for imagecx; generated from its command definitions.\n")
	b.WriteString("complete -c imagecx -f\n")
	for _, c := range docs {
		fmt.Fprintf(&b, "complete -c imagecx -n __fish_use_subcommand -a %s -d %s\n", c.Name, fishQuote(summary(c)))
	}
	for _, c := range docs {
		cond := fishQuote("__fish_seen_subcommand_from " + c.Name)
		if len(c.Words) > 0 {
			fmt.Fprintf(&b, "complete -c imagecx -n %s -a %s\n", cond, fishQuote(words(c.Words)))
		}
		if c.Files {
			fmt.Fprintf(&b, "complete -c imagecx -n %s -F\n", cond)
		}
		for _, f := range c.Flags {
			opt := "-l " + f.Name
			if len(f.Name) == 1 {
				opt = "-o " + f.Name // Go's flags: -n, not a short option bundle
			}
			if f.Arg != "" {
				if fileArg(f) {
					opt += " -r -F"
				} else {
					opt += " -x"
				}
			}
			fmt.Fprintf(&b, "complete -c imagecx -n %s %s -d %s\n", cond, opt, fishQuote(strings.ReplaceAll(f.Usage, "\n", " ")))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
