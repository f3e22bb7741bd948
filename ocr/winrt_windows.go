package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"
	"slices"
	"strings"
	"unsafe"

	"imagecx/i18n"
	"imagecx/internal/shrink"
	"imagecx/internal/winrt"
)

// The interfaces used, with their places in the virtual tables (see
// package winrt) as the Windows SDK declares them.
var (
	iidOcrEngineStatics     = winrt.MustGUID("5BFFA85A-3384-3540-9940-699120D428A8") // 6 get_MaxImageDimension, 7 get_AvailableRecognizerLanguages, 8 IsLanguageSupported, 9 TryCreateFromLanguage, 10 TryCreateFromUserProfileLanguages
	iidLanguageFactory      = winrt.MustGUID("9B0252AC-0C27-44F8-B792-9793FB66C63E") // 6 CreateLanguage
	iidSoftwareBitmapStatic = winrt.MustGUID("DF0385DB-672F-4A9D-806E-C2442F343E86") // 9 CreateCopyFromBuffer
	iidCryptoBufferStatics  = winrt.MustGUID("320B7E22-3CB0-4CDF-8663-1D28910065EB") // 9 CreateFromByteArray
	// IVectorView<Language>: 6 GetAt, 7 get_Size; ILanguage: 6 get_LanguageTag;
	// IOcrEngine: 6 RecognizeAsync; IOcrResult: 8 get_Text.
)

// bgra8 is BitmapPixelFormat.Bgra8.
const bgra8 = 87

// WindowsOCR is the text recognition Windows 10 and later have
// (Windows.Media.Ocr), in the languages whose recognition the person
// added in Windows' language settings. Wine has none: there Find goes on
// to tesseract, or says that no engine is installed.
type WindowsOCR struct{}

// ErrNoWindowsOCR says Windows' own text recognition cannot be used here.
var ErrNoWindowsOCR error = i18n.Errorf("Windows' own text recognition is not available here (it comes with Windows 10 and later), and tesseract is not installed")

// findWindows is Windows' own engine when it can be started and reads
// at least one language.
func findWindows() (Engine, error) {
	langs, err := WindowsOCR{}.Languages(context.Background())
	if err != nil || len(langs) == 0 {
		return nil, ErrNoWindowsOCR
	}
	return WindowsOCR{}, nil
}

// Where says where Windows gets a language's recognition.
func (WindowsOCR) Where(string) string {
	return i18n.T("add the language and its optical character recognition in Windows' language settings")
}

// nameOf is tesseract's name of a Windows language tag; "" for one
// imagecx does not ask for.
func nameOf(tag string) string {
	t := strings.ToLower(tag)
	switch {
	case t == "en" || strings.HasPrefix(t, "en-"):
		return "eng"
	case strings.HasPrefix(t, "zh-hant") || t == "zh-tw" || t == "zh-hk" || t == "zh-mo":
		return "chi_tra"
	case strings.HasPrefix(t, "zh"):
		return "chi_sim"
	case t == "ja" || strings.HasPrefix(t, "ja-"):
		return "jpn"
	}
	return ""
}

// session runs f on a thread of the Windows Runtime's multithreaded
// apartment with OcrEngine's statics.
func session(f func(statics winrt.Object) error) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := winrt.Init(); err != nil {
		return err
	}
	statics, err := winrt.Factory("Windows.Media.Ocr.OcrEngine", iidOcrEngineStatics)
	if err != nil {
		return err
	}
	defer statics.Release()
	return f(statics)
}

// installed is the language tags Windows reads, from the statics.
func installed(statics winrt.Object) ([]string, error) {
	var list winrt.Object
	if err := statics.Call("OcrEngine.AvailableRecognizerLanguages", 7, list.Out()); err != nil {
		return nil, err
	}
	defer list.Release()
	var n uint32
	if err := list.Call("IVectorView.Size", 7, uintptr(unsafe.Pointer(&n))); err != nil {
		return nil, err
	}
	var out []string
	for i := range min(n, 256) {
		var lang winrt.Object
		if err := list.Call("IVectorView.GetAt", 6, uintptr(i), lang.Out()); err != nil {
			return nil, err
		}
		var tag winrt.HString
		err := lang.Call("Language.LanguageTag", 6, uintptr(unsafe.Pointer(&tag)))
		lang.Release()
		if err != nil {
			return nil, err
		}
		out = append(out, tag.Go())
		tag.Delete()
	}
	return out, nil
}

// Languages is the languages Windows reads, by tesseract's names.
func (WindowsOCR) Languages(ctx context.Context) ([]string, error) {
	var names []string
	err := session(func(statics winrt.Object) error {
		got, err := installed(statics)
		for _, t := range got {
			if n := nameOf(t); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		return err
	})
	return names, err
}

// Read reads img in langs[0] (Windows reads one language at a time; the
// Latin letters of English come with each), made smaller first when it
// is larger than Windows takes.
func (WindowsOCR) Read(ctx context.Context, img *image.Gray, langs []string) (string, error) {
	var text string
	err := session(func(statics winrt.Object) error {
		have, err := installed(statics)
		if err != nil {
			return err
		}
		tag := "" // none installed for it: the person's own languages
		if i := slices.IndexFunc(have, func(t string) bool { return len(langs) > 0 && nameOf(t) == langs[0] }); i >= 0 {
			tag = have[i]
		}
		engine, err := engineFor(statics, tag)
		if err != nil {
			return err
		}
		defer engine.Release()
		var most uint32
		if err := statics.Call("OcrEngine.MaxImageDimension", 6, uintptr(unsafe.Pointer(&most))); err != nil {
			return err
		}
		bitmap, err := softwareBitmap(bgraOf(img, int(most)))
		if err != nil {
			return err
		}
		defer bitmap.Release()
		var op winrt.Object
		if err := engine.Call("OcrEngine.RecognizeAsync", 6, bitmap.Arg(), op.Out()); err != nil {
			return err
		}
		defer op.Release()
		result, err := winrt.Wait(ctx, op)
		if err != nil {
			return err
		}
		defer result.Release()
		var s winrt.HString
		if err := result.Call("OcrResult.Text", 8, uintptr(unsafe.Pointer(&s))); err != nil {
			return err
		}
		text = s.Go()
		s.Delete()
		return nil
	})
	if err != nil {
		return "", i18n.Errorf("text recognition failed: {{.why}}", "why", fmt.Errorf("Windows' recognition: %w", err))
	}
	return text, nil
}

// engineFor is an OcrEngine for the language tag, or for the person's
// own languages when tag is "".
func engineFor(statics winrt.Object, tag string) (winrt.Object, error) {
	var engine winrt.Object
	if tag == "" {
		err := statics.Call("OcrEngine.TryCreateFromUserProfileLanguages", 10, engine.Out())
		if err == nil && engine.None() {
			err = errors.New("none of the person's languages can be read")
		}
		return engine, err
	}
	factory, err := winrt.Factory("Windows.Globalization.Language", iidLanguageFactory)
	if err != nil {
		return engine, err
	}
	defer factory.Release()
	name, err := winrt.String(tag)
	if err != nil {
		return engine, err
	}
	defer name.Delete()
	var lang winrt.Object
	if err := factory.Call("Language.CreateLanguage", 6, uintptr(name), lang.Out()); err != nil {
		return engine, err
	}
	defer lang.Release()
	err = statics.Call("OcrEngine.TryCreateFromLanguage", 9, lang.Arg(), engine.Out())
	if err == nil && engine.None() {
		err = fmt.Errorf("%s cannot be read", tag)
	}
	return engine, err
}

// bgraOf is img as BGRA bytes, made no larger than most pixels on a
// side first (0: as it is).
func bgraOf(img *image.Gray, most int) (bgra []byte, w, h int) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	grey := func(x, y int) uint8 { return img.Pix[img.PixOffset(b.Min.X+x, b.Min.Y+y)] }
	if most > 0 && (w > most || h > most) {
		small := shrink.Thumbnail(img, most) // grey in, so R = G = B
		w, h = small.Rect.Dx(), small.Rect.Dy()
		grey = func(x, y int) uint8 { return small.Pix[small.PixOffset(x, y)] }
	}
	bgra = make([]byte, 0, w*h*4)
	for y := range h {
		for x := range w {
			v := grey(x, y)
			bgra = append(bgra, v, v, v, 0xff)
		}
	}
	return bgra, w, h
}

// softwareBitmap is a SoftwareBitmap of w×h BGRA bytes, copied in
// through a buffer.
func softwareBitmap(bgra []byte, w, h int) (winrt.Object, error) {
	var bitmap winrt.Object
	buffers, err := winrt.Factory("Windows.Security.Cryptography.CryptographicBuffer", iidCryptoBufferStatics)
	if err != nil {
		return bitmap, err
	}
	defer buffers.Release()
	bitmaps, err := winrt.Factory("Windows.Graphics.Imaging.SoftwareBitmap", iidSoftwareBitmapStatic)
	if err != nil {
		return bitmap, err
	}
	defer bitmaps.Release()
	var buf winrt.Object
	if err := buffers.Call("CryptographicBuffer.CreateFromByteArray", 9, uintptr(len(bgra)), uintptr(unsafe.Pointer(&bgra[0])), buf.Out()); err != nil {
		return bitmap, err
	}
	defer buf.Release()
	err = bitmaps.Call("SoftwareBitmap.CreateCopyFromBuffer", 9, buf.Arg(), bgra8, uintptr(w), uintptr(h), bitmap.Out())
	runtime.KeepAlive(bgra)
	return bitmap, err
}
