package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"imagecx/i18n"
	"imagecx/internal/console"
)

// Tesseract is the tesseract command.
type Tesseract struct {
	Path string
}

// Find is the installed engine: the tesseract command on PATH (or where
// its Windows installer puts it), else on Windows the system's own
// (WindowsOCR); ErrNoEngine (ErrNoWindowsOCR) when there is none.
func Find() (Engine, error) {
	if p, err := exec.LookPath("tesseract"); err == nil {
		return Tesseract{Path: p}, nil
	}
	if runtime.GOOS == "windows" {
		for _, dir := range []string{os.Getenv("ProgramFiles"), os.Getenv("LOCALAPPDATA") + `\Programs`} {
			p := filepath.Join(dir, "Tesseract-OCR", "tesseract.exe")
			if _, err := os.Stat(p); dir != "" && err == nil {
				return Tesseract{Path: p}, nil
			}
		}
		return findWindows() // Windows' own, where tesseract was not installed
	}
	return nil, ErrNoEngine
}

// Languages lists the installed languages (`tesseract --list-langs`).
func (t Tesseract) Languages(ctx context.Context) ([]string, error) {
	out, err := t.run(ctx, nil, "--list-langs")
	if err != nil {
		return nil, err
	}
	var langs []string
	for _, l := range strings.Split(out, "\n")[1:] { // after "List of available languages in …"
		if l = strings.TrimSpace(l); l != "" && l != "osd" {
			langs = append(langs, l)
		}
	}
	return langs, nil
}

// Read reads img: one process, the image on its input as a PGM, the
// page laid out automatically, at 300 dpi (the engine's own scale; the
// image was made larger already).
func (t Tesseract) Read(ctx context.Context, img *image.Gray, langs []string) (string, error) {
	return t.run(ctx, pgm(img), "stdin", "stdout", "-l", strings.Join(langs, "+"), "--dpi", "300", "--psm", "3",
		"-c", "preserve_interword_spaces=1")
}

// run runs tesseract with args and input on its standard input.
func (t Tesseract) run(ctx context.Context, input []byte, args ...string) (string, error) {
	cmd := console.Hidden(exec.CommandContext(ctx, t.Path, args...))
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1") // one thread: faster for a screen's worth, and the tray app stays light
	if input != nil {
		cmd.Stdin = bytes.NewReader(input)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &limited{max: 4096, w: &stderr}
	err := cmd.Run()
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
		return "", ErrNoEngine
	}
	if err != nil {
		why := lastLine(stderr.String())
		if why == "" {
			why = err.Error()
		}
		return "", i18n.Errorf("text recognition failed: {{.why}}", "why", fmt.Errorf("tesseract: %s", why))
	}
	return stdout.String(), nil
}

// pgm is img as a binary PGM (P5), which tesseract reads from its input.
func pgm(img *image.Gray) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var b bytes.Buffer
	fmt.Fprintf(&b, "P5\n%d %d\n255\n", w, h)
	b.Grow(w * h)
	for y := range h {
		b.Write(img.Pix[y*img.Stride : y*img.Stride+w])
	}
	return b.Bytes()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// limited keeps the first max bytes written to it.
type limited struct {
	max int
	w   *bytes.Buffer
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.max - l.w.Len(); room > 0 {
		l.w.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
