package capture

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"imagecx/i18n"
)

// On wlroots desktops (sway, Hyprland, river, …) the Screenshot portal is
// often not installed, or lacks what it runs. grim reads the screen there
// through the compositor's screencopy protocol, without a portal, and slurp
// lets the user drag an area; xdg-desktop-portal-wlr runs the same two.
// When the portal fails on such a desktop and grim is installed, imagecx
// runs them itself.

// GrimFallback reports whether a screenshot on desktop can be taken
// without a portal (and so without a D-Bus session).
func GrimFallback(desktop string) bool { return wlroots(desktop) }

var errNoSlurp error = i18n.Errorf("slurp is not installed to choose the area")

// grimShot takes a screenshot with grim: every output, or (interactive)
// the area the user drags with slurp.
func grimShot(ctx context.Context, interactive bool) (*image.RGBA, error) {
	args := []string{"-t", "ppm", "-"}
	if interactive {
		area, err := Slurp(ctx)
		if err != nil {
			return nil, err
		}
		geometry := fmt.Sprintf("%d,%d %dx%d", area.Min.X, area.Min.Y, area.Dx(), area.Dy())
		args = append([]string{"-g", geometry}, args...)
	}
	var errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, "grim", args...)
	cmd.Stderr = &errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("grim: %w", err)
	}
	img, perr := readPPM(bufio.NewReaderSize(stdout, 1<<20))
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("grim: %w: %s", err, strings.TrimSpace(errOut.String()))
	}
	if perr != nil {
		return nil, fmt.Errorf("grim's image: %w", perr)
	}
	return img, nil
}

// Slurp lets the user drag an area with slurp, on a wlroots desktop: a
// rectangle of the desktop's layout (logical pixels, as grim and the
// ScreenCast portal's stream positions count). ErrCancelled when the
// user pressed Esc.
func Slurp(ctx context.Context) (image.Rectangle, error) {
	if _, err := exec.LookPath("slurp"); err != nil {
		return image.Rectangle{}, errNoSlurp
	}
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, "slurp") // prints "x,y wxh"
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return image.Rectangle{}, ctx.Err()
		}
		// slurp fails silently when the selection is cancelled (Esc),
		// and says why when it cannot run.
		if msg := strings.TrimSpace(errOut.String()); msg != "" {
			return image.Rectangle{}, fmt.Errorf("slurp: %w: %s", err, msg)
		}
		return image.Rectangle{}, ErrCancelled
	}
	var x, y, w, h int
	if n, _ := fmt.Sscanf(strings.TrimSpace(out.String()), "%d,%d %dx%d", &x, &y, &w, &h); n != 4 || w <= 0 || h <= 0 {
		return image.Rectangle{}, ErrCancelled
	}
	return image.Rect(x, y, x+w, y+h), nil
}

// readPPM decodes a binary PPM (P6, 8-bit): what grim writes fastest, and
// trivial to read.
func readPPM(r *bufio.Reader) (*image.RGBA, error) {
	var fields [4]int
	magic, err := ppmToken(r)
	if err != nil {
		return nil, err
	}
	if magic != "P6" {
		return nil, fmt.Errorf("not a binary PPM (%q)", magic)
	}
	for i := 1; i < 4; i++ {
		tok, err := ppmToken(r)
		if err != nil {
			return nil, err
		}
		if fields[i], err = strconv.Atoi(tok); err != nil || fields[i] <= 0 {
			return nil, fmt.Errorf("bad PPM header field %q", tok)
		}
	}
	w, h, maxval := fields[1], fields[2], fields[3]
	if maxval != 255 {
		return nil, fmt.Errorf("PPM with %d levels, not 256", maxval+1)
	}
	if w > 1<<15 || h > 1<<15 {
		return nil, fmt.Errorf("PPM of %d×%d is too large", w, h)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	row := make([]byte, w*3)
	for y := 0; y < h; y++ {
		if _, err := io.ReadFull(r, row); err != nil {
			return nil, fmt.Errorf("PPM row %d of %d: %w", y, h, err)
		}
		dst := img.Pix[y*img.Stride:][:w*4]
		for x := 0; x < w; x++ {
			dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = row[x*3], row[x*3+1], row[x*3+2], 0xff
		}
	}
	return img, nil
}

// ppmToken reads one header token: skips white space and # comments, and
// consumes the single white space character after the token.
func ppmToken(r *bufio.Reader) (string, error) {
	var tok []byte
	for {
		c, err := r.ReadByte()
		if err != nil {
			if len(tok) > 0 && err == io.EOF {
				return string(tok), nil
			}
			return "", fmt.Errorf("PPM header: %w", err)
		}
		switch {
		case c == '#' && len(tok) == 0:
			if _, err := r.ReadString('\n'); err != nil {
				return "", fmt.Errorf("PPM header: %w", err)
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if len(tok) > 0 {
				return string(tok), nil
			}
		default:
			if len(tok) > 16 {
				return "", errors.New("PPM header: token too long")
			}
			tok = append(tok, c)
		}
	}
}
