package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"imagecx/action"
	"imagecx/capture"
	"imagecx/encode"
	"imagecx/explain"
	"imagecx/history"
	"imagecx/i18n"
	"imagecx/internal/sessionbus"
	"imagecx/outbox"
	"imagecx/region"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/uploader"
)

func runCapture(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "capture", `capture full|region [flags]

full      captures the screen (every monitor, or the monitor under the pointer
          as set in the settings)
region    freezes the screen and lets you drag a rectangle (Enter or a
          double-click confirms, Esc cancels); --last repeats the previous one

The capture is saved as PNG in the captures folder (or FILE) and uploaded; the
link is printed. The tray app is not needed: when it runs, it takes the capture.
With no terminal (a keyboard shortcut in the desktop's settings) or --notify,
the link is also copied and a notification says what happened, as the tray app
would.`)
	last := fs.Bool("last", false, i18n.T("region: capture the previous region again, without the overlay"))
	k := addKeepFlags(fs)
	out, noUpload, format, notifyFlag := k.out, k.noUpload, k.format, k.notify
	edit := fs.Bool("edit", false, i18n.T("open the editor on the capture before it is saved and uploaded"))
	what, lf, code, ok := k.parse(env, "capture", args)
	if !ok {
		return code
	}
	verb := "capture " + what
	if *last {
		verb += " --last"
	}
	if *edit {
		verb += " --edit"
	}
	take := func(ctx context.Context, p *shot.Pipeline, setup shot.Setup) (shot.Job, error) {
		job, err := takeShot(ctx, p, setup, env, what == "region", *last)
		if err != nil || !*edit {
			return job, err
		}
		return editJob(ctx, env, p, setup, job)
	}
	run := func(env Env, r *captured) int {
		return capturing(ctx, env, r, verb, take, *out, *noUpload, *format, lf)
	}
	// -o FILE is a script's way: it notifies only when asked to.
	if onDesktop(env, *notifyFlag) && (*out == "" || *notifyFlag) {
		return runOnDesktop(ctx, env, run)
	}
	return run(env, &captured{})
}

// keepFlags are the flags `capture` and `record` share: where the result
// goes and how it is told.
type keepFlags struct {
	fs       *flag.FlagSet
	out      *string
	noUpload *bool
	format   *string
	notify   *bool
}

func addKeepFlags(fs *flag.FlagSet) keepFlags {
	return keepFlags{fs: fs,
		out:      fs.String("o", "", i18n.T("save to `FILE` instead of the captures folder")),
		noUpload: fs.Bool("no-upload", false, i18n.T("only save; print the file's path")),
		format:   fs.String("format", "url", i18n.T("link to print: url, viewer, markdown, html or bbcode")),
		notify:   fs.Bool("notify", false, i18n.T("copy the link and show a notification (the default without a terminal)")),
	}
}

// parse reads `full|region [flags]` (command names it in messages): the
// word and the link format, or the exit code when ok is false.
func (k keepFlags) parse(env Env, command string, args []string) (what string, lf uploader.LinkFormat, code int, ok bool) {
	if len(args) == 0 || (args[0] != "full" && args[0] != "region") {
		if len(args) > 0 && isHelp(args[0]) {
			code, _ := parse(k.fs, args)
			return "", "", code, false
		}
		k.fs.Usage()
		return "", "", exitUsage, false
	}
	if code, ok := parse(k.fs, args[1:]); !ok {
		return "", "", code, false
	}
	lf, err := uploader.ParseLinkFormat(*k.format)
	if err != nil {
		fmt.Fprintf(env.Stderr, "imagecx %s: --format: %s\n", command, explain.Error(err))
		return "", "", exitUsage, false
	}
	return args[0], lf, 0, true
}

// captured is what a capture came to, beside the exit code and what was
// printed: a desktop shortcut's notification is made from it.
type captured struct {
	Outcome   *outbox.Outcome // the upload's, when one was tried
	Saved     string          // the file kept, with --no-upload
	Cancelled bool            // the person pressed Esc
}

// capturing is `imagecx capture` (and `imagecx edit`): verb is what the
// running tray app would do instead, take what is captured (or edited),
// then how to keep it, and the link to print; r is told what came of it.
func capturing(ctx context.Context, env Env, r *captured, verb string, take func(context.Context, *shot.Pipeline, shot.Setup) (shot.Job, error), out string, noUpload bool, format string, lf uploader.LinkFormat) int {
	// Bound to a key in the desktop's settings, this is how Wayland users
	// get hotkeys: the running tray app does the capture, so the link goes
	// to the clipboard it owns and the notification is its own.
	if _, handed := action.ByVerb(verb); handed && out == "" && !noUpload && format == "url" {
		if code, handed := handOff(ctx, env, verb); handed {
			return code
		}
	}
	// A file that cannot be written is found out before the capture,
	// which would otherwise be lost.
	if out != "" {
		if st, err := os.Stat(filepath.Dir(out)); err != nil || !st.IsDir() {
			return errorf(env, "The folder {{.dir}} does not exist, so the capture could not be saved there; nothing was captured.", "dir", filepath.Dir(out))
		}
	}
	w, err := load(ctx, env)
	if err != nil {
		return fail(env, "", err)
	}
	d := outbox.DeliveryFrom(w.cfg, nil)
	dest := ""
	if !noUpload {
		var key string
		if d, key, dest, err = w.delivery(ctx, ""); err != nil {
			return fail(env, "", err)
		}
		if key == "" && dest == "" {
			return errorf(env, "No API key is set: run `imagecx key set`, or use --no-upload.")
		}
	}
	d.Link = lf
	setup := shot.SetupFrom(w.cfg, env.Getenv)
	if out != "" { // -o FILE is a PNG, and it is the person's to keep
		setup.Format = encode.Format{Kind: "png"}
		d.DropLocal = false
	}
	p := quietPipeline()
	var books *history.Store
	if noUpload && out != "" {
		// One file written, as scrot writes it: nothing to record or
		// send later, so neither the history nor a thumbnail.
		p.NoThumbs = true
	} else if books = w.history(); books != nil {
		defer books.Close()
	}
	ob := w.outbox(books, p)
	job, err := take(ctx, p, setup)
	var colour *region.ColourPicked
	if errors.As(err, &colour) {
		// C on the overlay: the colour, not a capture.
		if cerr := keepOnClipboard(ctx, env, "", []byte(colour.Hex())); cerr != nil {
			errorf(env, "the colour was not copied: {{.why}}", "why", explain.Lower(explain.Error(cerr)))
		} else {
			errorf(env, "{{.colour}} copied; nothing was captured", "colour", colour.Hex())
		}
		return exitOK
	}
	if errors.Is(err, errCopied) {
		errorf(env, "the image is on the clipboard; nothing was uploaded")
		return exitOK
	}
	if errors.Is(err, errTextCopied) {
		return exitOK
	}
	if errors.Is(err, capture.ErrCancelled) {
		r.Cancelled = true
		errorf(env, "cancelled")
		return exitFail
	}
	if err != nil {
		return fail(env, "", err)
	}
	code := exitOK // -o FILE that cannot be written fails the command, after the capture is kept elsewhere
	if out != "" {
		if err := os.WriteFile(out, job.Data, 0o600); err != nil {
			// Not lost: the captures folder takes it, and the upload
			// goes ahead.
			code = fail(env, "", err)
			if job = p.Save(setup, job); job.SaveErr == nil {
				errorf(env, "the capture was saved at {{.file}} instead.", "file", job.File)
			}
		} else {
			job.File = out
		}
	} else {
		job = p.Save(setup, job)
	}
	if job.SaveErr != nil {
		fail(env, "", job.SaveErr)
		if noUpload {
			return errorf(env, "The capture could not be saved anywhere, and --no-upload keeps it from the server: it is lost.")
		}
		errorf(env, "it is uploaded all the same.")
	}
	state := history.Uploading // this process's: a tray app does not take it over
	if noUpload {
		state = history.Local
	}
	jobs, _ := ob.Add(ctx, []shot.Job{job}, dest, history.FromCLI, state)
	if noUpload {
		r.Saved = job.File
		if emit(env, job.File) != nil {
			return exitFail
		}
		return code
	}
	o := ob.Send(ctx, outbox.One(d), jobs)
	o.RetryIn = 0 // tried again by a tray app, if one runs: nothing here says when
	r.Outcome = &o
	if ctx.Err() != nil {
		ob.GiveUp(ctx, jobs[0]) // cancelled here: nothing takes it over
	}
	for _, how := range o.Fitted {
		fmt.Fprintf(env.Stderr, "imagecx: %s\n", how)
	}
	if o.Err != nil {
		if job.File != "" {
			return errorf(env, "{{.why}} The capture is saved at {{.file}}.", "why", explain.Error(o.Err), "file", job.File)
		}
		return fail(env, "", o.Err)
	}
	if job.File != "" && !d.DropLocal {
		say(env.Stderr, "Saved {{.file}}", "file", job.File)
	}
	if emit(env, o.Links[0]) != nil {
		return exitFail
	}
	return code
}

// takeShot captures without the tray app: on X11 the screen, the region
// overlay, or the last region again (remembered in the state folder); on
// Wayland through the desktop's screenshot dialog.
func takeShot(ctx context.Context, p *shot.Pipeline, setup shot.Setup, env Env, region, last bool) (shot.Job, error) {
	if capture.Wayland(env.Getenv) {
		if last {
			return shot.Job{}, i18n.Errorf("--last is not available on Wayland: the desktop chooses the region")
		}
		desk, done, err := desktopPicker(ctx, env)
		if err != nil {
			return shot.Job{}, err
		}
		defer done()
		ch, err := desk.Pick(ctx, region)
		if err != nil {
			return shot.Job{}, err
		}
		return chosen(ctx, env, p, setup, ch)
	}
	screen, err := capture.Open("")
	if err != nil {
		return shot.Job{}, err
	}
	defer screen.Close()
	p.Screen = screen
	state, _ := settings.StateDir(env.Getenv)
	switch {
	case !region:
		return p.Capture(ctx, setup, image.Rectangle{})
	case last:
		r, err := shot.LastRegion(state)
		if err != nil {
			return shot.Job{}, err
		}
		return p.Capture(ctx, setup, r)
	}
	ch, err := shot.Overlay{}.Pick(ctx, true)
	if err != nil {
		return shot.Job{}, err
	}
	shot.RememberRegion(state, ch.Rect)
	return chosen(ctx, env, p, setup, ch)
}

// desktopPicker reads the screen through the desktop (Wayland): the
// Screenshot portal on the session bus (grim where the desktop has it
// and there is no bus), with imagecx's own overlay where it can show
// one. done closes the bus.
func desktopPicker(ctx context.Context, env Env) (desk shot.Desktop, done func(), err error) {
	portal := &capture.Portal{Desktop: env.Getenv("XDG_CURRENT_DESKTOP"), PicturesDir: filepath.Dir(shot.DefaultDir(env.Getenv)), Asking: func() {
		errorf(env, "GNOME asks once whether applications may take screenshots, and keeps the answer: choose Allow.")
	}}
	done = func() {}
	conn, err := sessionbus.Connect(ctx, env.Getenv)
	switch {
	case err == nil:
		done = func() { conn.Close() }
		portal.Bus = capture.OnConn(conn)
	case !capture.GrimFallback(portal.Desktop):
		return shot.Desktop{}, nil, fmt.Errorf("%w: no D-Bus session (%v)", capture.ErrPortalUnavailable, err)
	}
	return shot.Desktop{Portal: portal, Overlay: capture.OwnOverlay(env.Getenv)}, done, nil
}

// chosen is the capture of what the person chose on the overlay: to the
// editor first when they confirmed with E.
func chosen(ctx context.Context, env Env, p *shot.Pipeline, setup shot.Setup, ch region.Chosen) (shot.Job, error) {
	if ch.Text { // T on the overlay: its text, printed and copied, not a capture
		return shot.Job{}, copyTextOf(ctx, env, ch.Image)
	}
	job, err := p.Encode(setup, ch.Image, "")
	if err != nil || !ch.Edit {
		return job, err
	}
	return editJob(ctx, env, p, setup, job)
}

// quietPipeline is the pipeline for a command: what it says goes to the
// person on stderr, not to a log.
func quietPipeline() *shot.Pipeline {
	return &shot.Pipeline{Log: slog.New(slog.DiscardHandler), Now: time.Now}
}
