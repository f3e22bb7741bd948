// Package editing opens the annotation editor (the imagecx-editor program)
// on an image and waits for the person: what they chose (upload the
// result, copy it, or nothing) and the edited image. The tray app and
// `imagecx edit` call it; it needs no toolkit, so neither links one.
package editing

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"imagecx/internal/pam"
	"imagecx/programs"
)

// Choice is how the person left the editor.
type Choice int

// The choices.
const (
	Cancelled Choice = iota
	Upload
	Copy
)

func (c Choice) String() string {
	return [...]string{"cancelled", "upload", "copy"}[c]
}

// The editor's exit codes, which say the choice.
const (
	ExitUpload    = 0  // --out holds the image to upload
	ExitFailed    = 1  // the editor could not run; the reason is on its standard error
	ExitUsage     = 2  // wrong arguments
	ExitCancelled = 10 // nothing to do
	ExitCopy      = 11 // --out holds the image to put on the clipboard
)

// Editor opens the editor; the zero value runs imagecx-editor beside this
// program.
type Editor struct {
	// Program is the editor's path; "" finds imagecx-editor (programs.Path).
	Program string
	// Dir is a private folder for the image going in and out ("" is the
	// system's temporary folder); the files are removed at the end.
	Dir string
	// UploadLabel is the editor's upload button text ("" for Upload).
	UploadLabel string
}

// Edit shows img in the editor and waits until the person leaves it
// (or ctx ends: the editor is closed, Cancelled).
func (e Editor) Edit(ctx context.Context, img *image.RGBA) (Choice, *image.RGBA, error) {
	prog := e.Program
	if prog == "" {
		p, err := programs.Path(programs.Editor)
		if err != nil {
			return Cancelled, nil, err
		}
		prog = p
	}
	dir, err := os.MkdirTemp(e.Dir, "imagecx-edit-")
	if err != nil {
		return Cancelled, nil, fmt.Errorf("a folder for the editor: %w", err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "capture.pam"), filepath.Join(dir, "edited.pam")
	if err := pam.Write(in, img); err != nil {
		return Cancelled, nil, fmt.Errorf("hand the capture to the editor: %w", err)
	}
	return e.run(ctx, prog, in, out)
}

// EditFile shows the image file path in the editor.
func (e Editor) EditFile(ctx context.Context, path string) (Choice, *image.RGBA, error) {
	prog := e.Program
	if prog == "" {
		p, err := programs.Path(programs.Editor)
		if err != nil {
			return Cancelled, nil, err
		}
		prog = p
	}
	dir, err := os.MkdirTemp(e.Dir, "imagecx-edit-")
	if err != nil {
		return Cancelled, nil, fmt.Errorf("a folder for the editor: %w", err)
	}
	defer os.RemoveAll(dir)
	return e.run(ctx, prog, path, filepath.Join(dir, "edited.pam"))
}

func (e Editor) run(ctx context.Context, prog, in, out string) (Choice, *image.RGBA, error) {
	args := []string{"--out", out}
	if e.UploadLabel != "" {
		args = append(args, "--upload-label", e.UploadLabel)
	}
	cmd := exec.CommandContext(ctx, prog, append(args, in)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return Cancelled, nil, ctx.Err()
	}
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		return Cancelled, nil, fmt.Errorf("start the editor: %w", err)
	}
	choice := Upload
	switch code {
	case ExitUpload:
	case ExitCopy:
		choice = Copy
	case ExitCancelled:
		return Cancelled, nil, nil
	default:
		msg := strings.TrimSpace(lastLine(stderr.String()))
		if msg == "" {
			msg = fmt.Sprintf("it ended with status %d", code)
		}
		return Cancelled, nil, fmt.Errorf("the editor failed: %s", strings.TrimPrefix(msg, "imagecx-editor: "))
	}
	img, err := pam.Read(out)
	if err != nil {
		return Cancelled, nil, fmt.Errorf("read the edited image: %w", err)
	}
	return choice, img, nil
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
