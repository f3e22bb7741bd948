package cli

import (
	"context"
	"errors"
	"fmt"
	"image"
	"imagecx/filetype"
	"imagecx/i18n"
	"os"
	"path/filepath"

	"imagecx/capture"
	"imagecx/editing"
	"imagecx/encode"
	"imagecx/explain"
	"imagecx/shot"
	"imagecx/uploader"
)

// runEdit is `imagecx edit FILE`: the editor on an image file; what the
// person uploads goes through the same steps as a capture (saved in the
// captures folder, the history, the upload, the link).
func runEdit(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "edit", `edit [flags] FILE

Opens the editor on an image file (PNG, JPEG, GIF or WebP): arrows, lines,
boxes, ellipses, pen, highlighter, text, numbered steps, pixelate and blur to
hide what must not be seen, crop. Upload (Enter) saves the result in the
captures folder and uploads it, printing the link; Copy (Ctrl+C) puts the
image on the clipboard; Esc leaves with nothing done. The file itself is
never changed.`)
	out := fs.String("o", "", i18n.T("save the result to `FILE` instead of the captures folder"))
	noUpload := fs.Bool("no-upload", false, i18n.T("only save the result; print the file's path"))
	format := fs.String("format", "url", i18n.T("link to print: url, viewer, markdown, html or bbcode"))
	notifyFlag := fs.Bool("notify", false, i18n.T("copy the link and show a notification (the default without a terminal)"))
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "imagecx edit: "+i18n.T("give one image file"))
		fs.Usage()
		return exitUsage
	}
	file := fs.Arg(0)
	if st, err := os.Stat(file); err != nil || !st.Mode().IsRegular() {
		return errorf(env, "{{.file}} is not a file imagecx can open.", "file", file)
	}
	lf, err := uploader.ParseLinkFormat(*format)
	if err != nil {
		fmt.Fprintf(env.Stderr, "imagecx edit: --format: %s\n", explain.Error(err))
		return exitUsage
	}
	take := func(ctx context.Context, p *shot.Pipeline, setup shot.Setup) (shot.Job, error) {
		choice, img, err := editor(env).EditFile(ctx, file)
		return afterEditor(ctx, env, p, setup, choice, img, err)
	}
	run := func(env Env, r *captured) int { return capturing(ctx, env, r, "", take, *out, *noUpload, *format, lf) }
	// -o FILE is a script's way: it notifies only when asked to.
	if onDesktop(env, *notifyFlag) && (*out == "" || *notifyFlag) {
		return runOnDesktop(ctx, env, run)
	}
	return run(env, &captured{})
}

// editJob opens the editor on a capture the command took.
func editJob(ctx context.Context, env Env, p *shot.Pipeline, setup shot.Setup, job shot.Job) (shot.Job, error) {
	dir, err := os.MkdirTemp(env.Getenv("XDG_RUNTIME_DIR"), "imagecx-capture-")
	if err != nil {
		return shot.Job{}, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "capture"+filetype.Ext(job.MIME))
	if err := os.WriteFile(in, job.Data, 0o600); err != nil {
		return shot.Job{}, err
	}
	choice, img, err := editor(env).EditFile(ctx, in)
	return afterEditor(ctx, env, p, setup, choice, img, err)
}

func editor(env Env) editing.Editor {
	return editing.Editor{Dir: env.Getenv("XDG_RUNTIME_DIR")}
}

// errCopied ends a command whose result went to the clipboard.
var errCopied = errors.New("copied")

// afterEditor does what the person chose in the editor: an image to
// upload (encoded like a capture), one to copy, or nothing.
func afterEditor(ctx context.Context, env Env, p *shot.Pipeline, setup shot.Setup, choice editing.Choice, img *image.RGBA, err error) (shot.Job, error) {
	switch {
	case err != nil:
		return shot.Job{}, err
	case choice == editing.Cancelled:
		return shot.Job{}, capture.ErrCancelled
	case choice == editing.Copy:
		data, err := encode.PNG(img, encode.PNGOptions{})
		if err == nil {
			err = keepOnClipboard(ctx, env, "image/png", data)
		}
		if err != nil {
			return shot.Job{}, fmt.Errorf("copy the image: %w", err)
		}
		return shot.Job{}, errCopied
	}
	return p.Encode(setup, img, "")
}
