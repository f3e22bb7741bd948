package record

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/internal/bgrx"
	"imagecx/internal/shrink"
	"imagecx/internal/winrt"
)

// Media Foundation, called without cgo: the sink writer encodes H.264
// with the encoder Windows has (the Microsoft H.264 encoder, or the
// graphics card's) into an MP4. Each method is called by its place in its
// interface's virtual table, counted as the Windows SDK's headers declare
// it (mfobjects.h, mfreadwrite.h).
var (
	mfplat                        = windows.NewLazySystemDLL("mfplat.dll")
	mfreadwrite                   = windows.NewLazySystemDLL("mfreadwrite.dll")
	procMFStartup                 = mfplat.NewProc("MFStartup")
	procMFShutdown                = mfplat.NewProc("MFShutdown")
	procMFCreateAttributes        = mfplat.NewProc("MFCreateAttributes")
	procMFCreateMediaType         = mfplat.NewProc("MFCreateMediaType")
	procMFCreateSample            = mfplat.NewProc("MFCreateSample")
	procMFCreateMemoryBuffer      = mfplat.NewProc("MFCreateMemoryBuffer")
	procMFCreateSinkWriterFromURL = mfreadwrite.NewProc("MFCreateSinkWriterFromURL")
)

// Places in IMFAttributes (and the interfaces built on it: IMFMediaType,
// IMFSample), IMFSample, IMFMediaBuffer and IMFSinkWriter.
const (
	attrGetUINT32 = 7
	attrGetUINT64 = 8
	attrGetGUID   = 10
	attrSetUINT32 = 21
	attrSetUINT64 = 22
	attrSetGUID   = 24

	sampleGetSampleTime     = 35
	sampleSetSampleTime     = 36
	sampleSetSampleDuration = 38
	sampleAddBuffer         = 42
	sampleGetTotalLength    = 45

	bufferLock             = 3
	bufferUnlock           = 4
	bufferSetCurrentLength = 6

	writerAddStream         = 3
	writerSetInputMediaType = 4
	writerBeginWriting      = 5
	writerWriteSample       = 6
	writerFinalize          = 11
)

// The GUIDs (mfapi.h, mfreadwrite.h).
var (
	mfMTMajorType        = winrt.MustGUID("48EBA18E-F8C9-4687-BF11-0A74C9F96A8F")
	mfMTSubtype          = winrt.MustGUID("F7E34C9A-42E8-4714-B74B-CB29D72C35E5")
	mfMTFrameSize        = winrt.MustGUID("1652C33D-D6B2-4012-B834-72030849A37D")
	mfMTFrameRate        = winrt.MustGUID("C459A2E8-3D2C-4E44-B132-FEE5156C7BB0")
	mfMTPixelAspectRatio = winrt.MustGUID("C6376A1E-8D0A-4027-BE45-6D9A0AD39BB6")
	mfMTInterlaceMode    = winrt.MustGUID("E2724BB8-E676-4806-B4B2-A8D6EFB44CCD")
	mfMTAvgBitrate       = winrt.MustGUID("20332624-FB0D-4D9E-BD0D-CBF6786C102E")
	mfMTDefaultStride    = winrt.MustGUID("644B4E48-1E02-4516-B0EB-C01CA9D49AC6")
	mfMTMPEG2Profile     = winrt.MustGUID("AD76A80B-2D5C-4E0B-B375-64E520137036")
	mfMediaTypeVideo     = winrt.MustGUID("73646976-0000-0010-8000-00AA00389B71")
	mfVideoFormatH264    = winrt.MustGUID("34363248-0000-0010-8000-00AA00389B71") // 'H264'
	mfVideoFormatRGB32   = winrt.MustGUID("00000016-0000-0010-8000-00AA00389B71") // D3DFMT_X8R8G8B8: B, G, R, X
	mfEnableHWTransforms = winrt.MustGUID("A634A91C-822B-41B9-A494-4DE4643612B0") // MF_READWRITE_ENABLE_HARDWARE_TRANSFORMS
)

const (
	mfVersion              = 0x00020070 // MF_SDK_VERSION 2 << 16 | MF_API_VERSION 0x70
	mfInterlaceProgressive = 2
	h264ProfileMain        = 77
	hundredNanoseconds     = 100 * time.Nanosecond
)

func hr(r uintptr, what string) error {
	if h := winrt.HRESULT(int32(r)); h.Failed() {
		return fmt.Errorf("%s: %w", what, h)
	}
	return nil
}

// mfStart starts Media Foundation on this thread (locked by the caller);
// stop with mfStop.
func mfStart() error {
	if err := mfplat.Load(); err != nil {
		return fmt.Errorf("mfplat.dll: %w", err)
	}
	if err := mfreadwrite.Load(); err != nil {
		return fmt.Errorf("mfreadwrite.dll: %w", err)
	}
	if err := winrt.Init(); err != nil {
		return err
	}
	r, _, _ := procMFStartup.Call(mfVersion, 0)
	return hr(r, "MFStartup")
}

func mfStop() { procMFShutdown.Call() }

func setGUID(o winrt.Object, key, v winrt.GUID) error {
	return o.Call("SetGUID", attrSetGUID, uintptr(unsafe.Pointer(&key)), uintptr(unsafe.Pointer(&v)))
}

func setUint32(o winrt.Object, key winrt.GUID, v uint32) error {
	return o.Call("SetUINT32", attrSetUINT32, uintptr(unsafe.Pointer(&key)), uintptr(v))
}

// setPair sets a UINT64 made of two UINT32s, as MFSetAttributeSize and
// MFSetAttributeRatio do: hi in the upper half.
func setPair(o winrt.Object, key winrt.GUID, hi, lo uint32) error {
	return o.Call("SetUINT64", attrSetUINT64, uintptr(unsafe.Pointer(&key)), uintptr(uint64(hi)<<32|uint64(lo)))
}

// videoType is a media type of video in format, size at fps.
func videoType(format winrt.GUID, size image.Point, fps int) (winrt.Object, error) {
	var t winrt.Object
	r, _, _ := procMFCreateMediaType.Call(t.Out())
	if err := hr(r, "MFCreateMediaType"); err != nil {
		return t, err
	}
	for _, err := range []error{
		setGUID(t, mfMTMajorType, mfMediaTypeVideo),
		setGUID(t, mfMTSubtype, format),
		setUint32(t, mfMTInterlaceMode, mfInterlaceProgressive),
		setPair(t, mfMTFrameSize, uint32(size.X), uint32(size.Y)),
		setPair(t, mfMTFrameRate, uint32(fps), 1),
		setPair(t, mfMTPixelAspectRatio, 1, 1),
	} {
		if err != nil {
			t.Release()
			return winrt.Object{}, err
		}
	}
	return t, nil
}

// mfWriter writes frames into an H.264 MP4 through the sink writer; all
// its calls are made on the thread that made it.
type mfWriter struct {
	w      winrt.Object // IMFSinkWriter
	stream uint32
	size   image.Point
	held   winrt.Object // the last frame's sample, written when the next comes (its duration known then)
	heldAt time.Duration
}

// newMFWriter opens file for size frames at fps and bitrate bits a
// second; an error means Windows has no H.264 encoder (or no MP4 writer)
// to use.
func newMFWriter(file string, size image.Point, fps int, bitrate int) (*mfWriter, error) {
	var attrs winrt.Object
	r, _, _ := procMFCreateAttributes.Call(attrs.Out(), 1)
	if err := hr(r, "MFCreateAttributes"); err != nil {
		return nil, err
	}
	defer attrs.Release()
	// The graphics card's encoder where there is one. (Throttling stays:
	// WriteSample waits for an encoder that is behind, so frames do not
	// pile up in memory.)
	setUint32(attrs, mfEnableHWTransforms, 1)
	name, err := windows.UTF16PtrFromString(file)
	if err != nil {
		return nil, err
	}
	m := &mfWriter{size: size}
	r, _, _ = procMFCreateSinkWriterFromURL.Call(uintptr(unsafe.Pointer(name)), 0, attrs.Arg(), m.w.Out())
	if err := hr(r, "MFCreateSinkWriterFromURL"); err != nil {
		return nil, err
	}
	out, err := videoType(mfVideoFormatH264, size, fps)
	if err != nil {
		m.w.Release()
		return nil, err
	}
	defer out.Release()
	setUint32(out, mfMTAvgBitrate, uint32(bitrate))
	setUint32(out, mfMTMPEG2Profile, h264ProfileMain)
	in, err := videoType(mfVideoFormatRGB32, size, fps)
	if err != nil {
		m.w.Release()
		return nil, err
	}
	defer in.Release()
	setUint32(in, mfMTDefaultStride, uint32(size.X*4)) // top row first
	for _, err := range []error{
		m.w.Call("AddStream", writerAddStream, out.Arg(), uintptr(unsafe.Pointer(&m.stream))),
		m.w.Call("SetInputMediaType", writerSetInputMediaType, uintptr(m.stream), in.Arg(), 0),
		m.w.Call("BeginWriting", writerBeginWriting),
	} {
		if err != nil {
			m.w.Release()
			os.Remove(file)
			return nil, err
		}
	}
	return m, nil
}

// sample is a sample of one frame, its RGBA pixels made B, G, R, X.
func (m *mfWriter) sample(rgba []byte) (winrt.Object, error) {
	var buf, s winrt.Object
	n := m.size.X * m.size.Y * 4
	r, _, _ := procMFCreateMemoryBuffer.Call(uintptr(n), buf.Out())
	if err := hr(r, "MFCreateMemoryBuffer"); err != nil {
		return s, err
	}
	defer buf.Release()
	var p *byte
	if err := buf.Call("Lock", bufferLock, uintptr(unsafe.Pointer(&p)), 0, 0); err != nil {
		return s, err
	}
	bgrx.ToRGBA(unsafe.Slice(p, n), rgba[:n]) // the same swap of R and B, the other way
	buf.Call("Unlock", bufferUnlock)
	if err := buf.Call("SetCurrentLength", bufferSetCurrentLength, uintptr(n)); err != nil {
		return s, err
	}
	r, _, _ = procMFCreateSample.Call(s.Out())
	if err := hr(r, "MFCreateSample"); err != nil {
		return s, err
	}
	if err := s.Call("AddBuffer", sampleAddBuffer, buf.Arg()); err != nil {
		s.Release()
		return winrt.Object{}, err
	}
	return s, nil
}

// frame adds a frame shown from at: the one before is written, shown
// until at.
func (m *mfWriter) frame(at time.Duration, rgba []byte) error {
	s, err := m.sample(rgba)
	if err != nil {
		return err
	}
	if err := m.flush(at); err != nil {
		s.Release()
		return err
	}
	m.held, m.heldAt = s, at
	return s.Call("SetSampleTime", sampleSetSampleTime, uintptr(at/hundredNanoseconds))
}

// flush writes the held frame, shown until end.
func (m *mfWriter) flush(end time.Duration) error {
	if m.held.None() {
		return nil
	}
	defer func() { m.held.Release(); m.held = winrt.Object{} }()
	d := max(end-m.heldAt, time.Millisecond)
	if err := m.held.Call("SetSampleDuration", sampleSetSampleDuration, uintptr(d/hundredNanoseconds)); err != nil {
		return err
	}
	return m.w.Call("WriteSample", writerWriteSample, uintptr(m.stream), m.held.Arg())
}

// finish writes the last frame, shown until end, and the MP4's index.
func (m *mfWriter) finish(end time.Duration) error {
	err := m.flush(end)
	if ferr := m.w.Call("Finalize", writerFinalize); err == nil {
		err = ferr
	}
	return err
}

func (m *mfWriter) close() {
	m.held.Release()
	m.w.Release()
}

// mfRecording is a recording encoded by Media Foundation: at a bitrate
// chosen at the start from the cap and the limit, so that a recording as
// long as the cap still fits (no ffmpeg is there to fit it afterwards).
type mfRecording struct {
	file string
	size image.Point // encoded
	area image.Point // recorded
	stop chan struct{}
	done chan struct{}

	// Set by the recording's goroutine before done is closed.
	err      error
	duration time.Duration
	first    image.Image
}

// startMF records area through grab with Media Foundation, into a file
// in dir; ErrNoH264 (with why) when Windows cannot encode H.264.
func startMF(ctx context.Context, grab Grabber, area image.Rectangle, dir string, o Options) (Recorder, error) {
	if grab == nil {
		return nil, errors.New("no screen to record")
	}
	area, err := videoArea(area)
	if err != nil {
		return nil, err
	}
	limit := o.limit()
	fps := o.fps()
	bitrate, size := mfRate(limit, o.max(), area.Size(), fps)
	f, err := os.CreateTemp(dir, "imagecx-recording-*.mp4")
	if err != nil {
		return nil, fmt.Errorf("make the recording's file: %w", err)
	}
	f.Close()
	rec := &mfRecording{file: f.Name(), size: size, area: area.Size(), stop: make(chan struct{}), done: make(chan struct{})}
	opened := make(chan error, 1)
	go func() {
		defer close(rec.done)
		runtime.LockOSThread() // COM and the sink writer keep to one thread
		defer runtime.UnlockOSThread()
		if err := mfStart(); err != nil {
			opened <- err
			return
		}
		defer mfStop()
		w, err := newMFWriter(rec.file, rec.size, fps, bitrate)
		opened <- err
		if err != nil {
			return
		}
		defer w.close()
		var last time.Duration
		rec.err = feed(ctx, grab, area, rec.size, time.Second/time.Duration(fps), o.max(), rec.stop, func(at time.Duration, img *image.RGBA, pix []byte) error {
			if rec.first == nil {
				rec.first = shrink.Thumbnail(img, thumbSide)
			}
			last = at
			return w.frame(at, pix)
		})
		if err := w.finish(last); rec.err == nil {
			rec.err = err
		}
		rec.duration = last
	}()
	if err := <-opened; err != nil {
		<-rec.done
		os.Remove(rec.file)
		return nil, fmt.Errorf("%w (Media Foundation: %v)", ErrNoH264, err)
	}
	return rec, nil
}

func (r *mfRecording) Done() <-chan struct{} { return r.done }

// Finish stops the recording and reads the MP4 back: it was encoded to
// fit, and one that does not after all is said (its file kept out of the
// way: removed).
func (r *mfRecording) Finish(ctx context.Context, limit int64, _ string) (Video, error) {
	select {
	case <-r.done:
	default:
		close(r.stop)
		<-r.done
	}
	defer os.Remove(r.file)
	if r.err != nil {
		return Video{}, r.err
	}
	if r.first == nil || r.duration <= 0 {
		return Video{}, ErrTooShort
	}
	data, err := os.ReadFile(r.file)
	if err != nil {
		return Video{}, err
	}
	if int64(len(data)) > limit { // the bitrate was chosen for it: the encoder did not keep to it
		return Video{}, i18n.Errorf("the recording could not be made to fit {{.limit}}", "limit", explain.Size(limit))
	}
	v := Video{Data: data, MIME: "video/mp4", Size: r.size, Duration: r.duration, First: r.first}
	if r.size != r.area {
		v.How = madeSmaller(limit, r.size, r.area)
	}
	return v, nil
}
