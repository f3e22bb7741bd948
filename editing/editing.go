// Package editing opens the annotation editor (the imagecx-editor program)
// on an image and waits for the person: what they chose (upload the
// result, copy it, or nothing) and the edited image. The tray app and
// `imagecx edit` call it; it needs no toolkit, so neither links one.
package editing

import (
	"bytes"
	"context"
	"errors"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"imagecx/i18n"
	"imagecx/internal/rawimage"
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

// ShownLine is what the editor writes on standard error once its window
// is up.
const ShownLine = "imagecx-editor: shown"

// DiedError is an editor that ended without a choice (it crashed, or was
// killed). Shown says its window had been up: the person may have hidden
// parts of the capture in it, so the original must not be written
// anywhere as if it were what they meant to keep.
type DiedError struct {
	Shown bool
	Why   string // its own last words, if it had any; never the toolkit's logs
}

func (e *DiedError) Error() string {
	if e.Why != "" {
		return i18n.T("The editor failed: {{.why}}", "why", e.Why)
	}
	return i18n.T("The editor stopped unexpectedly.")
}

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
	// Shown, if set, is told how long the editor took to show its window;
	// Closed, if set, how much memory it took at most (0 where unknown).
	Shown  func(after time.Duration)
	Closed func(peakBytes int64)
}

// Edit shows img in the editor and waits until the person leaves it
// (or ctx ends: the editor is closed, Cancelled).
func (e Editor) Edit(ctx context.Context, img *image.RGBA) (Choice, *image.RGBA, error) {
	return e.edit(ctx, func(dir string) (string, error) {
		in := filepath.Join(dir, "capture.pam")
		if err := rawimage.Write(in, img); err != nil {
			return "", i18n.Errorf("The capture could not be handed to the editor: {{.why}}", "why", err)
		}
		return in, nil
	})
}

// EditFile shows the image file path in the editor.
func (e Editor) EditFile(ctx context.Context, path string) (Choice, *image.RGBA, error) {
	return e.edit(ctx, func(string) (string, error) { return path, nil })
}

// edit runs the editor on the file input names, given a private folder
// that is removed at the end (where the result goes too).
func (e Editor) edit(ctx context.Context, input func(dir string) (string, error)) (Choice, *image.RGBA, error) {
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
		return Cancelled, nil, i18n.Errorf("No folder could be made for the editor: {{.why}}", "why", err)
	}
	defer os.RemoveAll(dir)
	// Held while the editor runs: a folder nobody holds is what a killed
	// process left (RemoveLeftovers).
	if lock, err := hold(filepath.Join(dir, lockName)); err == nil {
		defer lock.Close()
	}
	in, err := input(dir)
	if err != nil {
		return Cancelled, nil, err
	}
	return e.run(ctx, prog, in, filepath.Join(dir, "edited.pam"))
}

func (e Editor) run(ctx context.Context, prog, in, out string) (Choice, *image.RGBA, error) {
	args := []string{"--out", out}
	if e.UploadLabel != "" {
		args = append(args, "--upload-label", e.UploadLabel)
	}
	cmd := exec.CommandContext(ctx, prog, append(args, in)...)
	start := time.Now()
	var shown bool
	stderr := &lineWriter{line: func(l string) {
		if l == ShownLine {
			shown = true // read after Wait, which waits for the writes
			if e.Shown != nil {
				e.Shown(time.Since(start))
			}
		}
	}}
	cmd.Stderr = stderr
	// Once the editor has ended, its output is not waited for long: a
	// process it left behind could hold it open (Wine does, for a
	// windowed program a console program starts).
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return Cancelled, nil, i18n.Errorf("The editor could not be started: {{.why}}", "why", err)
	}
	err := cmd.Wait()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil // it ended well; only its output was held open
	}
	if e.Closed != nil && cmd.ProcessState != nil {
		e.Closed(peakBytes(cmd.ProcessState))
	}
	if ctx.Err() != nil {
		return Cancelled, nil, ctx.Err()
	}
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		return Cancelled, nil, i18n.Errorf("The editor could not be started: {{.why}}", "why", err)
	}
	choice := Upload
	switch code {
	case ExitUpload:
	case ExitCopy:
		choice = Copy
	case ExitCancelled:
		return Cancelled, nil, nil
	default:
		return Cancelled, nil, &DiedError{Shown: shown, Why: ownWords(stderr.said())}
	}
	img, err := rawimage.Read(out)
	if err != nil {
		return Cancelled, nil, i18n.Errorf("The edited image could not be read: {{.why}}", "why", err)
	}
	return choice, img, nil
}

// ownWords is the editor's own last message ("imagecx-editor: …"), not
// what the toolkit logged ("Fyne error: …", a source file and line).
func ownWords(said string) string {
	lines := strings.Split(strings.TrimRight(said, "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if msg, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "imagecx-editor: "); ok && msg != "" {
			return msg
		}
	}
	return ""
}

// lineWriter is the editor's standard error: each line is told to line,
// and what is not ShownLine is kept (64 KB at most) for its last words.
type lineWriter struct {
	mu      sync.Mutex
	partial []byte
	kept    strings.Builder
	line    func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		l := strings.TrimSuffix(string(w.partial[:i]), "\r")
		w.partial = w.partial[i+1:]
		w.line(l)
		if l != ShownLine && w.kept.Len() < 64<<10 {
			w.kept.WriteString(l + "\n")
		}
	}
	if len(w.partial) > 64<<10 { // a line too long to keep
		w.partial = w.partial[:0]
	}
	return len(p), nil
}

// said is what the editor wrote, without ShownLine.
func (w *lineWriter) said() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.kept.String() + string(w.partial)
}
