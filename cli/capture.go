package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"imagecx/capture"
	"imagecx/shot"
	"imagecx/uploader"
)

func runCapture(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "capture", `capture full [flags]

Captures the screen (every monitor, or the monitor under the pointer as set in
the settings), saves it as PNG in the captures folder (or FILE) and uploads it,
printing the link. The tray app is not needed.`)
	out := fs.String("o", "", "save to `FILE` instead of the captures folder")
	noUpload := fs.Bool("no-upload", false, "only save; print the file's path")
	format := fs.String("format", "url", "link to print: url, viewer, markdown, html or bbcode")
	if len(args) == 0 || args[0] != "full" {
		if len(args) > 0 && args[0] == "region" {
			fmt.Fprintln(env.Stderr, "imagecx capture region: region capture is not available yet; use `imagecx capture full`")
			return exitFail
		}
		fs.Usage()
		return exitUsage
	}
	if code, ok := parse(fs, args[1:]); !ok {
		return code
	}
	lf, err := uploader.ParseLinkFormat(*format)
	if err != nil {
		fmt.Fprintf(env.Stderr, "imagecx capture: --format: %v\n", err)
		return exitUsage
	}
	w, err := load(env)
	if err != nil {
		return errorf(env, "%v", err)
	}
	var client *uploader.Client
	if !*noUpload {
		var key string
		if client, key, err = w.client(); err != nil {
			return errorf(env, "%v", err)
		}
		if key == "" {
			return errorf(env, "no API key is set: run `imagecx key set`, or use --no-upload")
		}
	}
	screen, err := capture.Open("")
	if err != nil {
		return errorf(env, "%v", err)
	}
	defer screen.Close()
	p := &shot.Pipeline{
		Screen: screen,
		Mode:   func() capture.Mode { return capture.Mode(w.cfg.Capture.Monitors) },
		Dir: func() string {
			if w.cfg.Capture.SaveDir != "" {
				return w.cfg.Capture.SaveDir
			}
			return shot.DefaultDir(env.Getenv)
		},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: time.Now,
	}
	job, err := p.Grab(ctx)
	if err != nil {
		return errorf(env, "%v", err)
	}
	if *out != "" {
		if err := os.WriteFile(*out, job.Data, 0o644); err != nil {
			return errorf(env, "save the capture: %v", err)
		}
		job.File = *out
	} else if job = p.Keep(job); job.SaveErr != nil {
		errorf(env, "%v", job.SaveErr)
		if *noUpload {
			return exitFail
		}
	}
	if *noUpload {
		fmt.Fprintln(env.Stdout, job.File)
		return exitOK
	}
	res, err := client.Upload(ctx, job.Name, job.Data, uploader.Options{AlbumID: w.cfg.Upload.AlbumID, Expiration: w.cfg.Upload.Expiration, NSFW: w.cfg.Upload.NSFW})
	if err != nil {
		if job.File != "" {
			return errorf(env, "%v (the capture is saved at %s)", err, job.File)
		}
		return errorf(env, "%v", err)
	}
	if job.File != "" {
		fmt.Fprintf(env.Stderr, "Saved %s\n", job.File)
	}
	fmt.Fprintln(env.Stdout, uploader.FormatLink(res, lf))
	return exitOK
}
