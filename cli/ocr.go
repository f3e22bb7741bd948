package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"

	"imagecx/capture"
	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/internal/regular"
	"imagecx/ocr"
	"imagecx/shot"
)

// maxOCRFile bounds the image file `imagecx ocr` reads.
const maxOCRFile = 256 << 20

// runOCR is `imagecx ocr [FILE]`: the text of an image file, or of a
// region dragged on the screen, printed (and copied, from a desktop
// shortcut or with --copy).
func runOCR(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "ocr", `ocr [flags] [FILE]

Reads the text in an image file ("-" for standard input) and prints it. Without
FILE, drag a rectangle on the screen, as capture region does, and its text is
read. With no terminal (a keyboard shortcut in the desktop's settings) or
--copy, the text is also copied and a notification shows it. The languages
read are English and the one imagecx speaks, Chinese or Japanese, when its data
is installed (tesseract-ocr-chi-tra, -chi-sim, -jpn); --lang chooses others.`)
	copyText := fs.Bool("copy", false, i18n.T("copy the text and show a notification (the default without a terminal)"))
	langFlag := fs.String("lang", "", i18n.T("the `LANGUAGES` to read, as tesseract names them, joined by + (eng+chi_tra+jpn)"))
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(env.Stderr, "imagecx ocr: "+i18n.T("give one image file, or none to drag a region"))
		fs.Usage()
		return exitUsage
	}
	wanted := ocr.Wanted(i18n.Current())
	if *langFlag != "" {
		var err error
		if wanted, err = ocr.ParseLangs(*langFlag); err != nil {
			fmt.Fprintf(env.Stderr, "imagecx ocr: --lang: %s\n", explain.Error(err))
			return exitUsage
		}
	}
	desktop := onDesktop(env, *copyText)
	// From a desktop shortcut (Wayland's hotkeys), the running tray app
	// reads the region: the text goes to the clipboard it owns.
	if desktop && fs.NArg() == 0 && *langFlag == "" {
		if code, handed := handOff(ctx, env, "ocr"); handed {
			return code
		}
	}
	engine, err := ocr.Find()
	if err != nil {
		return ocrFailed(ctx, env, desktop, err)
	}
	var img image.Image
	if fs.NArg() == 1 {
		img, err = readImage(env, fs.Arg(0))
	} else {
		img, err = pickText(ctx, env)
	}
	if errors.Is(err, capture.ErrCancelled) {
		errorf(env, "cancelled")
		return exitFail
	}
	if err != nil {
		return ocrFailed(ctx, env, desktop, err)
	}
	text, missing, err := ocr.Text(ctx, engine, img, wanted)
	for _, m := range missing {
		fmt.Fprintf(env.Stderr, "imagecx: %s\n", m.Explain())
	}
	if err != nil {
		return ocrFailed(ctx, env, desktop, err)
	}
	if emit(env, text) != nil {
		return exitFail
	}
	if desktop {
		if err := keepOnClipboard(ctx, env, "", []byte(text)); err != nil {
			return ocrFailed(ctx, env, desktop, i18n.Errorf("the text was not copied: {{.why}}", "why", err))
		}
		tell(ctx, env, ocr.CopiedNote(text))
	}
	return exitOK
}

// errTextCopied ends a capture whose region's text was wanted instead (T
// on the overlay): it was printed and copied.
var errTextCopied = errors.New("the text was copied")

// copyTextOf reads img's text in the person's languages, prints it and
// copies it: errTextCopied when it did.
func copyTextOf(ctx context.Context, env Env, img image.Image) error {
	engine, err := ocr.Find()
	if err != nil {
		return err
	}
	text, missing, err := ocr.Text(ctx, engine, img, ocr.Wanted(i18n.Current()))
	for _, m := range missing {
		fmt.Fprintf(env.Stderr, "imagecx: %s\n", m.Explain())
	}
	if err != nil {
		return err
	}
	if err := emit(env, text); err != nil {
		return err
	}
	if err := keepOnClipboard(ctx, env, "", []byte(text)); err != nil {
		return i18n.Errorf("the text was not copied: {{.why}}", "why", err)
	}
	errorf(env, "the text is on the clipboard; nothing was captured")
	return errTextCopied
}

// ocrFailed says why no text was read, on standard error and, from a
// desktop shortcut, in a notification.
func ocrFailed(ctx context.Context, env Env, desktop bool, err error) int {
	code := fail(env, "", err)
	if desktop {
		tell(ctx, env, ocr.FailedNote(err))
	}
	return code
}

// readImage decodes an image file ("-": standard input), refusing what
// would take too much memory before decoding it.
func readImage(env Env, file string) (image.Image, error) {
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(io.LimitReader(env.Stdin, maxOCRFile+1))
		if err == nil && len(data) > maxOCRFile {
			err = i18n.Errorf("the image is too large to read (over {{.size}})", "size", explain.Size(maxOCRFile))
		}
	} else {
		data, err = regular.Read(file, maxOCRFile)
	}
	if err != nil {
		return nil, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, i18n.Errorf("{{.file}} is not an image imagecx can read (PNG, JPEG, GIF, WebP or BMP)", "file", file)
	}
	if int64(cfg.Width)*int64(cfg.Height) > shot.MaxImagePixels {
		return nil, i18n.Errorf("the image is too large to read ({{.w}}×{{.h}})", "w", cfg.Width, "h", cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	return img, err
}

// pickText is the region the person drags, its hints saying that its
// text is read: imagecx's overlay on X11, the desktop's way on Wayland.
func pickText(ctx context.Context, env Env) (image.Image, error) {
	var picker shot.Picker = shot.Overlay{}.ToRead()
	if capture.Wayland(env.Getenv) {
		desk, done, err := desktopPicker(ctx, env)
		if err != nil {
			return nil, err
		}
		defer done()
		picker = desk.ToRead()
	}
	ch, err := picker.Pick(ctx, true)
	if err != nil {
		return nil, err
	}
	return ch.Image, nil
}
