package record

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"imagecx/internal/winrt"
)

// mfThread starts Media Foundation on a thread of the test's own.
func mfThread(t *testing.T) {
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	if err := mfStart(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mfStop)
}

// A media type holds what is set in it, read back by the places of
// IMFAttributes' getters; a frame's sample holds its pixels as Windows'
// RGB32 (B, G, R, X) and its time.
func TestMFPlumbing(t *testing.T) {
	mfThread(t)
	mt, err := videoType(mfVideoFormatRGB32, image.Pt(640, 360), 30)
	if err != nil {
		t.Fatal(err)
	}
	defer mt.Release()
	var sub winrt.GUID
	var size uint64
	var interlace uint32
	key := mfMTSubtype
	if err := mt.Call("GetGUID", attrGetGUID, uintptr(unsafe.Pointer(&key)), uintptr(unsafe.Pointer(&sub))); err != nil || sub != mfVideoFormatRGB32 {
		t.Errorf("the subtype: %v, %v", sub, err)
	}
	key = mfMTFrameSize
	if err := mt.Call("GetUINT64", attrGetUINT64, uintptr(unsafe.Pointer(&key)), uintptr(unsafe.Pointer(&size))); err != nil || size != 640<<32|360 {
		t.Errorf("the frame size: %#x, %v", size, err)
	}
	key = mfMTInterlaceMode
	if err := mt.Call("GetUINT32", attrGetUINT32, uintptr(unsafe.Pointer(&key)), uintptr(unsafe.Pointer(&interlace))); err != nil || interlace != mfInterlaceProgressive {
		t.Errorf("the interlace mode: %d, %v", interlace, err)
	}

	m := &mfWriter{size: image.Pt(2, 1)}
	s, err := m.sample([]byte{10, 20, 30, 255, 40, 50, 60, 255})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	var n uint32
	if err := s.Call("GetTotalLength", sampleGetTotalLength, uintptr(unsafe.Pointer(&n))); err != nil || n != 8 {
		t.Errorf("the sample's length: %d, %v", n, err)
	}
	var buf winrt.Object
	if err := s.Call("ConvertToContiguousBuffer", 41, buf.Out()); err != nil {
		t.Fatal(err)
	}
	defer buf.Release()
	var p *byte
	if err := buf.Call("Lock", bufferLock, uintptr(unsafe.Pointer(&p)), 0, 0); err != nil {
		t.Fatal(err)
	}
	got := append([]byte(nil), unsafe.Slice(p, 8)...)
	buf.Call("Unlock", bufferUnlock)
	if want := []byte{30, 20, 10, 255, 60, 50, 40, 255}; string(got) != string(want) {
		t.Errorf("the pixels: %v, want %v (B, G, R, X)", got, want)
	}
	at := int64(1500 * time.Millisecond / hundredNanoseconds)
	var back int64
	s.Call("SetSampleTime", sampleSetSampleTime, uintptr(at))
	if err := s.Call("GetSampleTime", sampleGetSampleTime, uintptr(unsafe.Pointer(&back))); err != nil || back != at {
		t.Errorf("the sample's time: %d, %v; want %d", back, err, at)
	}
}

// Where Windows encodes H.264, the sink writer makes an MP4 of the
// frames; where it cannot (Wine has no H.264 encoder), a recording says
// that MP4s need ffmpeg, and leaves no file.
func TestMFWriter(t *testing.T) {
	dir, err := os.MkdirTemp("", "imagecx-mf-") // not t.TempDir: its removal fails under Wine
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	grab := func(_ context.Context, r image.Rectangle) (*image.RGBA, error) { return image.NewRGBA(r), nil }
	rec, err := startMF(context.Background(), grab, image.Rect(0, 0, 64, 48), dir, Options{FPS: 10, Max: 5 * time.Second})
	if err != nil {
		if !errors.Is(err, ErrNoH264) {
			t.Fatalf("no encoder: %v", err)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
			t.Errorf("left %v", left)
		}
		t.Logf("no H.264 encoder here: %v", err)
		return
	}
	time.Sleep(time.Second)
	v, err := rec.Finish(context.Background(), 5<<20, dir)
	if err != nil || v.MIME != "video/mp4" || len(v.Data) < 12 || string(v.Data[4:8]) != "ftyp" || v.Duration < 800*time.Millisecond {
		t.Fatalf("the MP4: %v %d bytes %v: %v", v.MIME, len(v.Data), v.Duration, err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}
