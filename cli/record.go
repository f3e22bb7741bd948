package cli

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"time"

	"imagecx/capture"
	"imagecx/i18n"
	"imagecx/internal/sessionbus"
	"imagecx/internal/wlglobals"
	"imagecx/record"
	"imagecx/settings"
	"imagecx/shot"
	"imagecx/uploader"
)

func runRecord(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "record", `record full|region [flags]

full      records the screen (every monitor, or the monitor under the pointer
          as set in the settings); on Wayland, the monitor the desktop shares
region    lets you drag a rectangle on the overlay, then records it; a thin
          frame around it shows what is recorded (it is not in the video);
          on sway and other wlroots desktops, you drag it with slurp

Ctrl+C (or --seconds) stops the recording. The video is an H.264 MP4, made to
fit image.cx's 5 MB (encoded again, or made smaller, when it does not), saved
in the captures folder (or FILE) and uploaded; the link is printed.`)
	seconds := fs.Float64("seconds", 0, i18n.T("stop by itself after `N` seconds (at most the cap in the settings, 60 s by default)"))
	k := addKeepFlags(fs)
	out, noUpload, format, notifyFlag := k.out, k.noUpload, k.format, k.notify
	gif := fs.Bool("gif", false, i18n.T("make a GIF instead of an MP4 (on X11 and Windows no other program needed; fewer frames a second)"))
	what, lf, code, ok := k.parse(env, "record", args)
	if !ok {
		return code
	}
	if *seconds < 0 {
		fmt.Fprintf(env.Stderr, "imagecx record: --seconds: %s\n", i18n.T("a number of seconds above 0"))
		return exitUsage
	}
	opts := record.Options{Max: time.Duration(*seconds * float64(time.Second)), GIF: *gif}
	if w, err := load(ctx, env); err == nil {
		opts.GIF = opts.GIF || w.cfg.Record.GIF
		limit := time.Duration(w.cfg.Record.MaxSeconds) * time.Second
		opts.FPS = w.cfg.Record.FPS
		opts.FFmpeg = w.cfg.Record.FFmpeg
		if opts.Max == 0 || opts.Max > limit {
			opts.Max = limit
		}
	}
	take := func(ctx context.Context, p *shot.Pipeline, setup shot.Setup) (shot.Job, error) {
		limit := int64(1 << 40) // kept here: as recorded
		if !*noUpload {
			limit = uploader.MaxSize
		}
		return recordJob(ctx, env, p, setup, what == "region", opts, limit)
	}
	run := func(env Env, r *captured) int {
		return capturing(ctx, env, r, "record "+what, take, *out, *noUpload, *format, lf)
	}
	if onDesktop(env, *notifyFlag) && (*out == "" || *notifyFlag) {
		return runOnDesktop(ctx, env, run)
	}
	return run(env, &captured{})
}

// recordJob records the screen or a region until ctx ends (Ctrl+C) or
// the cap, and fits the video to limit: a job as a capture is, its first
// frame the thumbnail.
func recordJob(ctx context.Context, env Env, p *shot.Pipeline, setup shot.Setup, region bool, o record.Options, limit int64) (shot.Job, error) {
	if o.GIF {
		limit = min(limit, uploader.MaxSize) // a GIF of minutes would be huge: the host's limit bounds it here too
	}
	o.Limit = limit
	dir, err := settings.StateDir(env.Getenv)
	if err != nil {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return shot.Job{}, err
	}
	scr := record.Screen{TokenFile: filepath.Join(dir, "screencast-token")}
	var area image.Rectangle // Wayland: empty for the monitor the desktop gives
	if capture.Wayland(env.Getenv) {
		switch {
		case region && capture.GrimFallback(env.Getenv("XDG_CURRENT_DESKTOP")):
			// wlroots: slurp chooses it, in the desktop's layout.
			if area, err = capture.Slurp(ctx); err != nil {
				return shot.Job{}, err
			}
			scr.Outputs = func(ctx context.Context) ([]wlglobals.Output, error) {
				return wlglobals.Outputs(ctx, wlglobals.Socket(env.Getenv))
			}
		case region:
			// GNOME, KDE: imagecx's overlay on the desktop's screenshot.
			desk, done, err := desktopPicker(ctx, env)
			if err != nil {
				return shot.Job{}, err
			}
			ch, err := desk.ToRecord().Pick(ctx, true)
			done()
			if err != nil {
				return shot.Job{}, err
			}
			if ch.Rect.Empty() || ch.On == (image.Point{}) { // the portal's own dialog chose it: where is not said
				return shot.Job{}, i18n.Errorf("recording a region is not available on this desktop yet: record full records the whole monitor")
			}
			area, scr.AreaOn = ch.Rect, ch.On
		}
		conn, err := sessionbus.Connect(ctx, env.Getenv)
		if err != nil {
			return shot.Job{}, fmt.Errorf("%w: no D-Bus session (%v)", capture.ErrPortalUnavailable, err)
		}
		defer conn.Close()
		scr.Portal = conn
	} else {
		screen, err := capture.Open("")
		if err != nil {
			return shot.Job{}, err
		}
		defer screen.Close()
		scr.Grab = screen.Capture
		if area, err = capture.Area(screen, setup.Mode); err != nil {
			return shot.Job{}, err
		}
		if region {
			ch, err := shot.Overlay{}.ToRecord().Pick(ctx, true)
			if err != nil {
				return shot.Job{}, err
			}
			area = ch.Rect
		}
	}
	rec, err := record.Start(ctx, scr, area, region, dir, o)
	if err != nil {
		return shot.Job{}, err
	}
	if env.StderrTerminal {
		if area.Empty() {
			say(env.Stderr, "Recording: Ctrl+C stops it.")
		} else {
			say(env.Stderr, "Recording {{.width}}×{{.height}}: Ctrl+C stops it.", "width", area.Dx(), "height", area.Dy())
		}
	}
	select {
	case <-ctx.Done():
	case <-rec.Done():
	}
	// Stopped: what follows is not cut off by the same Ctrl+C.
	v, err := rec.Finish(context.WithoutCancel(ctx), limit, dir)
	if err != nil {
		return shot.Job{}, err
	}
	if v.How != "" {
		fmt.Fprintf(env.Stderr, "imagecx: %s\n", v.How)
	}
	return p.Video(v.Data, v.MIME, v.Size, v.Duration, v.First), nil
}
