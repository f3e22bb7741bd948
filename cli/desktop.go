package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"imagecx/assets"
	"imagecx/clipboard"
	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/instance"
	"imagecx/notify"
	"imagecx/outbox"
	"imagecx/settings"
)

// A command bound to a keyboard shortcut in the desktop's settings (the
// way to have hotkeys where imagecx cannot grab keys: GNOME on Wayland)
// has no terminal, and what it prints nobody reads. When no tray app runs
// to take the capture, the command does what the tray app would: the
// link goes to the clipboard, and a notification says what happened.

// onDesktop reports whether a command runs so: asked with --notify, or
// with no terminal at all in a graphical session.
func onDesktop(env Env, asked bool) bool {
	if asked {
		return true
	}
	if env.StdinTerminal || env.StdoutTerminal || env.StderrTerminal {
		return false
	}
	return env.Getenv("DISPLAY") != "" || env.Getenv("WAYLAND_DISPLAY") != ""
}

// syncBuffer is a buffer written from more than one goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runOnDesktop runs a command, then copies the link it got and shows the
// outbox's notification (the tray app's words), or says the file it
// saved (--no-upload), or what went wrong, as it said it on standard
// error. A command that handed its work to the tray app leaves the
// saying to it.
func runOnDesktop(ctx context.Context, env Env, run func(Env, *captured) int) int {
	var said syncBuffer
	inner := env
	inner.Stderr = io.MultiWriter(env.Stderr, &said)
	var r captured
	code := run(inner, &r)
	o := r.Outcome
	var note notify.Note
	switch {
	case r.Cancelled:
		return code // the person pressed Esc: nothing to say
	case o != nil && o.Err != nil:
		note = o.Note()
	case code != exitOK:
		note = notify.Note{Title: i18n.T("Capture failed"), Body: sentences(said.String()), Urgency: notify.Critical}
	case r.Saved != "":
		note = notify.Note{Title: i18n.T("Capture saved"), Body: r.Saved}
	case o != nil && len(o.Links) > 0:
		copyLinks(ctx, env, o)
		note = o.Note()
	default:
		return code
	}
	tell(ctx, env, note)
	return code
}

// copyLinks keeps o's links on the clipboard, one per line, after this
// process ends; a failure is said and kept in o.CopyErr for the note.
func copyLinks(ctx context.Context, env Env, o *outbox.Outcome) {
	if len(o.Links) == 0 {
		return
	}
	if err := keepOnClipboard(ctx, env, "", []byte(strings.Join(o.Links, "\n"))); err != nil {
		errorf(env, "the link was not copied: {{.why}}", "why", explain.Lower(explain.Error(err)))
		o.CopyErr = err
	}
}

// handOff hands cmd to the running tray app and says its answer: handed
// is false when none runs (the command then does the work itself), else
// code is the exit code.
func handOff(ctx context.Context, env Env, cmd string) (code int, handed bool) {
	hctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	text, err := instance.Send(hctx, instance.Path(env.Getenv), cmd)
	cancel()
	switch {
	case err == nil:
		fmt.Fprintf(env.Stderr, "imagecx: %s\n", text)
		return exitOK, true
	case errors.Is(err, instance.ErrNotRunning):
		return 0, false
	}
	return fail(env, "", err), true
}

// sentences joins what a command said on standard error into one text,
// without the "imagecx: " before each line.
func sentences(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "imagecx:")); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, " ")
}

// tell shows note, with the app's icon; a desktop without a notification
// server has only standard error, which has had it all.
func tell(ctx context.Context, env Env, note notify.Note) {
	if n := openNotes(env); n != nil {
		defer n.Close()
		show(ctx, env, n, note)
	}
}

// openNotes connects to the notification server, with the app's icon;
// nil (said on standard error) when there is none.
func openNotes(env Env) notify.Notifier {
	icon := ""
	if dir, err := settings.DataDir(env.Getenv); err == nil {
		icon = assets.IconFile(dir)
	}
	n, err := notify.Open("imagecx", icon)
	if err != nil {
		errorf(env, "no notification: {{.why}}", "why", explain.Lower(explain.Error(err)))
		return nil
	}
	return n
}

// show shows note through n, bounded in time.
func show(ctx context.Context, env Env, n notify.Notifier, note notify.Note) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := n.Notify(ctx, note); err != nil {
		errorf(env, "no notification: {{.why}}", "why", explain.Lower(explain.Error(err)))
	}
}

// keepOnClipboard copies data (text when mime is "", else an image of
// that type) so that it stays after this process ends: where the
// clipboard holds it only while its owner runs (X11), a keeper process of
// our own owns it until something else is copied.
func keepOnClipboard(ctx context.Context, env Env, mime string, data []byte) error {
	clip, err := clipboard.OpenSession(env.Getenv)
	if err != nil {
		return err
	}
	if _, owner := clip.(clipboard.Owner); owner {
		clip.Close()
		return startKeeper(ctx, mime, data)
	}
	defer clip.Close()
	if mime != "" {
		return clip.SetImage(mime, data)
	}
	return clip.SetText(string(data))
}

// keeperMax is the most the keeper takes on standard input: a 4K
// screenshot of noise as PNG.
const keeperMax = 64 << 20

// runKeepClipboard is `imagecx keep-clipboard [MIME]`, the keeper: it
// copies what it reads on standard input (text, or an image of type
// MIME), says "kept" on standard output and closes it, then owns the
// clipboard until another program copies something (or it is told to
// stop: then it hands what it owns to the clipboard manager, if one
// runs).
func runKeepClipboard(ctx context.Context, env Env, args []string) int {
	mime := ""
	if len(args) > 0 {
		mime = args[0]
	}
	data, err := io.ReadAll(io.LimitReader(env.Stdin, keeperMax))
	if err != nil {
		return fail(env, "read what to copy", err)
	}
	clip, err := clipboard.OpenSession(env.Getenv)
	if err != nil {
		return fail(env, "", err)
	}
	defer clip.Close()
	if mime != "" {
		err = clip.SetImage(mime, data)
	} else {
		err = clip.SetText(string(data))
	}
	if err != nil {
		return fail(env, "", err)
	}
	fmt.Fprintln(env.Stdout, "kept")
	if c, ok := env.Stdout.(io.Closer); ok {
		c.Close() // the command that started us stops waiting
	}
	owner, ok := clip.(clipboard.Owner)
	if !ok {
		return exitOK // the clipboard keeps it on its own
	}
	select {
	case <-owner.Lost():
	case <-ctx.Done():
	}
	return exitOK
}
