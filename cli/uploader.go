package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/instance"
	"imagecx/outbox"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/uploader"
	"imagecx/uploader/sxcu"
	"imagecx/uploaders"
)

var uploaderUsage = i18n.Mark(`uploader add|list|remove|default ...
       imagecx uploader add [--allow-http] [--secret FIELD]... [--not-secret FIELD]... FILE.sxcu...
                                                   ("-" reads standard input)
       imagecx uploader list
       imagecx uploader remove NAME
       imagecx uploader default NAME|image.cx

Custom uploaders send to any host, as ShareX's .sxcu files describe it
(ShareX 12 to today's format, both syntaxes). Header, parameter, argument and
RequestURL query values whose names say they are secrets (Authorization,
*key*, *token*, *secret*, *auth*, *session*, pass, sig…) are kept in the
keyring, not in the settings folder; a value that looks like a token under a
name that does not say is asked about on a terminal, or decided with
--secret FIELD / --not-secret FIELD (FIELD as in Headers.X-Custom). Secrets
appear in no message, log or history; the image.cx key is never sent to
another host. The host is shown before anything is sent to it, and nothing
is sent elsewhere (no redirect to another host is followed). An uploader
that sends over plain http:// to another machine is refused unless
--allow-http says so. "default" makes one the
destination of every capture (and of imagecx upload without --to);
"default image.cx" goes back.`)

func runUploader(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "uploader", uploaderUsage)
	allowHTTP := fs.Bool("allow-http", false, i18n.T("add: accept an uploader that sends over plain http:// to another machine"))
	var secret, notSecret fieldList
	fs.Var(&secret, "secret", i18n.T("add: keep FIELD (Headers.X-Custom, Parameters.sig, RequestURL.k…) in the keyring as a secret"))
	fs.Var(&notSecret, "not-secret", i18n.T("add: FIELD holds no secret: keep it in the uploader's file"))
	sub, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, rest = args[0], args[1:]
	}
	if code, ok := parse(fs, rest); !ok {
		return code
	}
	w, err := load(ctx, env)
	if err != nil {
		return fail(env, "", err)
	}
	store := uploaders.New(w.store.Dir)
	switch sub {
	case "add":
		if fs.NArg() == 0 {
			fmt.Fprintln(env.Stderr, "imagecx uploader add: "+i18n.T("give one or more .sxcu files (\"-\" for standard input)"))
			return exitUsage
		}
		answers := map[string]bool{}
		for _, f := range secret {
			answers[f] = true
		}
		for _, f := range notSecret {
			answers[f] = false
		}
		return addUploaders(ctx, env, store, fs.Args(), sxcu.Options{AllowHTTP: *allowHTTP}, answers)
	case "list":
		return listUploaders(env, store, w.cfg.Upload.Destination)
	case "remove":
		if fs.NArg() != 1 {
			fmt.Fprintln(env.Stderr, "imagecx uploader remove: "+i18n.T("give the uploader's name (imagecx uploader list)"))
			return exitUsage
		}
		name := fs.Arg(0)
		if err := store.Remove(ctx, name); err != nil {
			return fail(env, "", err)
		}
		say(env.Stdout, "Removed {{.name}} and its secrets.", "name", name)
		if w.cfg.Upload.Destination == name {
			w.cfg.Upload.Destination = ""
			if err := w.save(ctx); err != nil {
				return fail(env, "", err)
			}
			say(env.Stdout, "Captures go to image.cx again.")
		}
		return exitOK
	case "default":
		if fs.NArg() != 1 {
			fmt.Fprintln(env.Stderr, "imagecx uploader default: "+i18n.T("give an uploader's name, or image.cx"))
			return exitUsage
		}
		name := fs.Arg(0)
		if strings.EqualFold(name, uploaders.Default) {
			name = ""
		} else {
			u, err := store.Info(name)
			if err != nil {
				return fail(env, "", err)
			}
			if !u.TakesImages() {
				return errorf(env, "{{.name}} uploads {{.what}}, not images: captures cannot go to it.", "name", u.Name, "what", u.Kinds.Describe())
			}
		}
		w.cfg.Upload.Destination = name
		if err := w.save(ctx); err != nil {
			return fail(env, "", err)
		}
		if name == "" {
			say(env.Stdout, "Captures go to image.cx.")
		} else {
			say(env.Stdout, "Captures go to {{.name}} ({{.host}}).", "name", name, "host", hostOf(store, name))
		}
		return exitOK
	}
	fs.Usage()
	return exitUsage
}

// save writes the settings and tells a running tray app to use them.
func (w *world) save(ctx context.Context) error {
	if err := w.store.Save(w.cfg); err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	instance.Send(sctx, instance.Path(w.env.Getenv), instance.Reload) // not running: it reads them at start
	return nil
}

// hostOf is the host of the uploader called name, for a message.
func hostOf(store uploaders.Store, name string) string {
	if u, err := store.Info(name); err == nil {
		return u.Host()
	}
	return "?"
}

// fieldList is a flag given once per field.
type fieldList []string

func (l *fieldList) String() string     { return strings.Join(*l, ",") }
func (l *fieldList) Set(v string) error { *l = append(*l, v); return nil }

// addUploaders imports each file and says what became of it. answers
// says which fields hold secrets where the names do not; on a terminal
// the rest are asked.
func addUploaders(ctx context.Context, env Env, store uploaders.Store, files []string, o sxcu.Options, answers map[string]bool) int {
	failed := 0
	for _, f := range files {
		var data []byte
		var err error
		if f == "-" {
			data, err = io.ReadAll(io.LimitReader(env.Stdin, sxcu.MaxFileSize+1))
		} else {
			data, err = readSmallFile(f, sxcu.MaxFileSize+1)
		}
		if err == nil {
			err = askSecrets(env, data, answers, f != "-")
		}
		if err == nil {
			var a uploaders.Added
			if a, err = store.Add(ctx, data, o, answers); err == nil {
				describeAdded(env, a)
				continue
			}
		}
		name := f
		if f == "-" {
			name = "standard input"
		}
		msg := explain.Lower(explain.Error(err))
		var und *uploaders.UndecidedError
		if errors.As(err, &und) {
			msg += i18n.T(": say --secret {{.field}} to keep it in the keyring, or --not-secret {{.field}}", "field", und.Fields[0])
		}
		fmt.Fprintf(env.Stderr, "imagecx: %s: %s\n", name, msg)
		failed++
	}
	if failed > 0 {
		return exitFail
	}
	return exitOK
}

// askSecrets asks on the terminal about the fields whose names do not say
// whether they hold secrets (when standard input is a terminal and not
// the file itself); the answers go into answers.
func askSecrets(env Env, data []byte, answers map[string]bool, canAsk bool) error {
	fields, err := uploaders.Undecided(data)
	if err != nil || !canAsk || !env.StdinTerminal || !env.StderrTerminal {
		return nil // Add says what is wrong, or which field is undecided
	}
	in := bufio.NewReader(env.Stdin)
	for _, f := range fields {
		if _, ok := answers[f]; ok {
			continue
		}
		fmt.Fprint(env.Stderr, i18n.T("Is {{.field}} a secret (keep it in the keyring, never show it)? [Y/n] ", "field", f))
		line, err := in.ReadString('\n')
		if err != nil && line == "" {
			return i18n.Errorf("no answer about {{.field}}", "field", f)
		}
		answers[f] = !strings.HasPrefix(strings.ToLower(strings.TrimSpace(line)), "n")
	}
	return nil
}

// describeAdded says what an import did, the host first.
func describeAdded(env Env, a uploaders.Added) {
	key := i18n.Mark("Added {{.name}}: sends to {{.host}} ({{.method}}), takes {{.what}}.")
	if a.Replaced {
		key = i18n.Mark("Replaced {{.name}}: sends to {{.host}} ({{.method}}), takes {{.what}}.")
	}
	say(env.Stdout, key, "name", strconv.Quote(a.U.Name), "host", a.U.Origin(), "method", a.U.Method, "what", a.U.Kinds.Describe())
	if n := len(a.Secrets); n > 0 {
		fields := strings.Join(a.Secrets, ", ")
		if a.Where.Source == settings.SourceFile {
			fmt.Fprintln(env.Stdout, "  "+i18n.N(n, "{{.fields}} is kept in private files beside the settings ({{.why}}), not in the uploader's file.",
				"{{.fields}} are kept in private files beside the settings ({{.why}}), not in the uploader's file.", "fields", fields, "why", a.Where.Reason))
		} else {
			fmt.Fprintln(env.Stdout, "  "+i18n.N(n, "{{.fields}} is kept in the keyring, not in the uploader's file.",
				"{{.fields}} are kept in the keyring, not in the uploader's file.", "fields", fields))
		}
	}
	if a.U.TakesImages() {
		fmt.Fprintln(env.Stdout, "  "+i18n.T("Upload with it: imagecx upload --to {{.name}} FILE; make it where captures go: imagecx uploader default {{.name}}", "name", quoteArg(a.U.Name)))
	} else {
		fmt.Fprintln(env.Stdout, "  "+i18n.T("It cannot take images, so captures cannot go to it; it is kept for when imagecx uploads text and links."))
	}
}

// quoteArg quotes a name for a shell when it needs it.
func quoteArg(s string) string {
	if strings.ContainsAny(s, " '\"$`\\!*?&;|<>()") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

// listUploaders lists image.cx and the imported uploaders; * marks where
// captures go.
func listUploaders(env Env, store uploaders.Store, current string) int {
	names, err := store.Names()
	if err != nil {
		return fail(env, "", err)
	}
	mark := func(name string) string {
		if name == current || (current == "" && name == uploaders.Default) {
			return "*"
		}
		return " "
	}
	fmt.Fprintf(env.Stdout, "%s %-24s %-28s %s\n", mark(uploaders.Default), uploaders.Default, "image.cx", i18n.T("images, files (your API key)"))
	for _, n := range names {
		u, err := store.Info(n)
		if err != nil {
			fmt.Fprintf(env.Stdout, "%s %-24s %s\n", mark(n), n, i18n.T("cannot be read: {{.why}}", "why", explain.Lower(explain.Error(err))))
			continue
		}
		takes := u.Kinds.Describe().Local()
		if !u.TakesImages() {
			takes = i18n.T("{{.what}} (not captures)", "what", takes)
		}
		fmt.Fprintf(env.Stdout, "%s %-24s %-28s %s\n", mark(n), n, u.Host(), takes)
	}
	return exitOK
}

// readSmallFile reads a file of at most limit bytes.
func readSmallFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit))
	if err == nil && int64(len(data)) >= limit {
		return nil, i18n.Errorf("{{.file}} is larger than a custom uploader can be ({{.n}} KB)", "file", path, "n", limit>>10)
	}
	return data, err
}

// askOnTerminal answers a custom uploader's {prompt} and {select} on the
// terminal; nil without one (they fail, naming what they asked).
func askOnTerminal(env Env) sxcu.Asker {
	if !env.StdinTerminal || !env.StderrTerminal {
		return nil
	}
	in := bufio.NewReader(env.Stdin)
	return func(title string, options []string, def string) (string, error) {
		if options == nil {
			if def != "" {
				fmt.Fprintf(env.Stderr, "%s [%s]: ", title, def)
			} else {
				fmt.Fprintf(env.Stderr, "%s: ", title)
			}
			line, err := in.ReadString('\n')
			if err != nil && line == "" {
				return "", i18n.Errorf("no answer to {{.question}}", "question", strconv.Quote(title))
			}
			if line = strings.TrimRight(line, "\r\n"); line == "" {
				return def, nil
			}
			return line, nil
		}
		for i, o := range options {
			fmt.Fprintf(env.Stderr, "  %d) %s\n", i+1, o)
		}
		fmt.Fprintf(env.Stderr, "%s (1–%d): ", title, len(options))
		line, err := in.ReadString('\n')
		if err != nil && line == "" {
			return "", i18n.Errorf("no choice made for {{.question}}", "question", strconv.Quote(title))
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		if err != nil || n < 1 || n > len(options) {
			return "", i18n.Errorf("{{.answer}} is not one of 1 to {{.n}}", "answer", strconv.Quote(strings.TrimSpace(line)), "n", len(options))
		}
		return options[n-1], nil
	}
}

// destination is the client uploads go through: image.cx's, or a custom
// uploader's (to, or else the settings' default; "image.cx" names
// image.cx's). key is "" when image.cx has none (custom uploaders need
// none of it).
func (w *world) destination(ctx context.Context, to string) (sender, string, string, error) {
	if to == "" {
		to = w.cfg.Upload.Destination
	}
	if to == "" || strings.EqualFold(to, uploaders.Default) {
		c, key, err := w.client()
		if err != nil {
			return nil, "", "", err
		}
		return c, key, uploaders.Default, nil
	}
	u, err := uploaders.New(w.store.Dir).Load(ctx, to)
	if err != nil {
		return nil, "", "", err
	}
	if !u.TakesImages() {
		return nil, "", "", i18n.Errorf("{{.name}} uploads {{.what}}, not files or images", "name", u.Name, "what", u.Kinds.Describe())
	}
	return &sxcu.Client{U: u, Ask: askOnTerminal(w.env)}, "", u.Name, nil
}

// delivery is what uploads to `to` take (destination's client, with the
// settings' options), and the destination for the history ("" for
// image.cx); key is "" when image.cx has none.
func (w *world) delivery(ctx context.Context, to string) (outbox.Delivery, string, string, error) {
	s, key, dest, err := w.destination(ctx, to)
	if err != nil {
		return outbox.Delivery{}, "", "", err
	}
	d := outbox.DeliveryFrom(w.cfg, s)
	if c, ok := s.(*sxcu.Client); ok {
		d.Host, d.PerMinute = c.U.Host(), 0 // its host says when it wants a pause
		return d, key, dest, nil
	}
	return d, key, "", nil
}

// outbox is a command's outbox: books is its history (nil when it could
// not be opened); the command says what happens, not a log.
func (w *world) outbox(books *history.Store, p *shot.Pipeline) *outbox.Outbox {
	return &outbox.Outbox{History: books, Log: p.Log, Uplink: p.Observe}
}

// sender is what uploads a file: image.cx's client or a custom uploader.
type sender interface {
	Upload(ctx context.Context, name string, data []byte, o uploader.Options) (uploader.Result, error)
	MaxSize() int64
}
