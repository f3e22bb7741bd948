package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/capture"
	"imagecx/explain"
	"imagecx/instance"
	"imagecx/region"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/uploader"
)

func runCapture(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "capture", `capture full|region [flags]

full:   captures the screen (every monitor, or the monitor under the pointer as
        set in the settings)
region: freezes the screen and lets you drag a rectangle (Enter or a
        double-click confirms, Esc cancels); --last repeats the previous one

The capture is saved as PNG in the captures folder (or FILE) and uploaded; the
link is printed. The tray app is not needed.`)
	last := fs.Bool("last", false, "region: capture the previous region again, without the overlay")
	out := fs.String("o", "", "save to `FILE` instead of the captures folder")
	noUpload := fs.Bool("no-upload", false, "only save; print the file's path")
	format := fs.String("format", "url", "link to print: url, viewer, markdown, html or bbcode")
	if len(args) == 0 || (args[0] != "full" && args[0] != "region") {
		fs.Usage()
		return exitUsage
	}
	what := args[0]
	if code, ok := parse(fs, args[1:]); !ok {
		return code
	}
	lf, err := uploader.ParseLinkFormat(*format)
	if err != nil {
		fmt.Fprintf(env.Stderr, "imagecx capture: --format: %v\n", err)
		return exitUsage
	}
	// Bound to a key in the desktop's settings, this is how Wayland users
	// get hotkeys: the running tray app does the capture, so the link goes
	// to the clipboard it owns and the notification is its own.
	if *out == "" && !*noUpload && *format == "url" {
		cmd := "capture " + what
		if *last {
			cmd += " --last"
		}
		hctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		text, err := instance.Send(hctx, instance.Path(env.Getenv), cmd)
		cancel()
		switch {
		case err == nil:
			fmt.Fprintf(env.Stderr, "imagecx: %s\n", text)
			return exitOK
		case !errors.Is(err, instance.ErrNotRunning):
			return fail(env, "", err)
		}
	}
	// A file that cannot be written is found out before the capture,
	// which would otherwise be lost.
	if *out != "" {
		if st, err := os.Stat(filepath.Dir(*out)); err != nil || !st.IsDir() {
			return errorf(env, "The folder %s does not exist, so the capture could not be saved there; nothing was captured.", filepath.Dir(*out))
		}
	}
	w, err := load(env)
	if err != nil {
		return fail(env, "", err)
	}
	var client *uploader.Client
	if !*noUpload {
		var key string
		if client, key, err = w.client(); err != nil {
			return fail(env, "", err)
		}
		if key == "" {
			return errorf(env, "No API key is set: run `imagecx key set`, or use --no-upload.")
		}
	}
	p := &shot.Pipeline{
		Mode: func() capture.Mode { return capture.Mode(w.cfg.Capture.Monitors) },
		Dir: func() string {
			if w.cfg.Capture.SaveDir != "" {
				return w.cfg.Capture.SaveDir
			}
			return shot.DefaultDir(env.Getenv)
		},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: time.Now,
	}
	if *out == "" { // -o FILE is a PNG; the captures folder gets the format from the settings
		p.Format = func() shot.Format { return shot.Format{Kind: w.cfg.Capture.Format, Quality: w.cfg.Capture.Quality} }
	}
	var job shot.Job
	if capture.Wayland(env.Getenv) {
		job, err = portalShot(ctx, p, env, what == "region", *last)
	} else {
		var screen capture.Screen
		if screen, err = capture.Open(""); err != nil {
			return fail(env, "", err)
		}
		defer screen.Close()
		p.Screen = screen
		switch {
		case what == "full":
			job, err = p.Grab(ctx)
		case *last:
			job, err = lastRegion(ctx, p, env)
		default:
			job, err = chooseRegion(ctx, p, env)
		}
	}
	if errors.Is(err, capture.ErrCancelled) {
		fmt.Fprintln(env.Stderr, "imagecx: cancelled")
		return exitFail
	}
	if err != nil {
		return fail(env, "", err)
	}
	if *out != "" {
		if err := os.WriteFile(*out, job.Data, 0o644); err != nil {
			return fail(env, "", err)
		}
		job.File = *out
	} else if job = p.Keep(job); job.SaveErr != nil {
		fail(env, "", job.SaveErr)
		if *noUpload {
			return exitFail
		}
	}
	if *noUpload {
		fmt.Fprintln(env.Stdout, job.File)
		return exitOK
	}
	kept := ""
	if job.File != "" {
		kept = " The capture is saved at " + job.File + "."
	}
	name, data, how, err := job.ForUpload(w.cfg.Upload.AlwaysLossless)
	if err != nil {
		return errorf(env, "%s%s", explain.Error(err), kept)
	}
	if how != "" {
		fmt.Fprintf(env.Stderr, "imagecx: %s\n", how)
	}
	o := uploader.Options{AlbumID: w.cfg.Upload.AlbumID, Expiration: w.cfg.Upload.Expiration, NSFW: w.cfg.Upload.NSFW}
	if w.cfg.Upload.TitleTemplate != "" {
		o.Title = shot.Title(w.cfg.Upload.TitleTemplate, time.Now(), job.Window)
	}
	res, err := client.Upload(ctx, name, data, o)
	if err != nil {
		return errorf(env, "%s%s", explain.Error(err), kept)
	}
	if job.File != "" {
		fmt.Fprintf(env.Stderr, "Saved %s\n", job.File)
	}
	fmt.Fprintln(env.Stdout, uploader.FormatLink(res, lf))
	return exitOK
}

// chooseRegion shows the overlay and encodes the chosen part of the frozen
// screen; the rectangle is remembered for --last.
func chooseRegion(ctx context.Context, p *shot.Pipeline, env Env) (shot.Job, error) {
	r, img, err := region.Select(ctx, region.Options{})
	if err != nil {
		return shot.Job{}, err
	}
	if dir, err := settings.StateDir(env.Getenv); err == nil {
		region.SaveLast(dir, r)
	}
	return p.Encode(img)
}

func lastRegion(ctx context.Context, p *shot.Pipeline, env Env) (shot.Job, error) {
	dir, err := settings.StateDir(env.Getenv)
	if err != nil {
		return shot.Job{}, err
	}
	r, err := region.LoadLast(dir)
	if err != nil {
		return shot.Job{}, err
	}
	img, err := p.Screen.Capture(r)
	if err != nil {
		return shot.Job{}, err
	}
	return p.Encode(img)
}

// portalShot captures through org.freedesktop.portal.Screenshot; for a
// region the compositor's own interface picks it.
func portalShot(ctx context.Context, p *shot.Pipeline, env Env, interactive, last bool) (shot.Job, error) {
	if last {
		return shot.Job{}, errors.New("--last is not available on Wayland: the compositor chooses the region")
	}
	portal := &capture.Portal{Desktop: env.Getenv("XDG_CURRENT_DESKTOP")}
	conn, err := dbus.ConnectSessionBus()
	switch {
	case err == nil:
		defer conn.Close()
		portal.Conn = conn
	case !capture.GrimFallback(portal.Desktop):
		return shot.Job{}, fmt.Errorf("%w: no D-Bus session (%v)", capture.ErrPortalUnavailable, err)
	}
	img, err := portal.Screenshot(ctx, interactive)
	if err != nil {
		return shot.Job{}, err
	}
	return p.Encode(img)
}
