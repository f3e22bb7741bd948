package explain_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"imagecx/explain"
	"imagecx/hotkeys"
	"imagecx/settings"
	"imagecx/uploader"
	"imagecx/uploader/cxtest"
)

// uploadErr is what the real client returns against a fake image.cx that
// answers with fault.
func uploadErr(t *testing.T, key string, timeout time.Duration, faults ...cxtest.Fault) error {
	t.Helper()
	srv := cxtest.NewServer(cxtest.Config{})
	t.Cleanup(srv.Close)
	if key == "" {
		key = srv.Key
	}
	srv.Script(faults...)
	c, err := uploader.New(key, uploader.WithEndpoint(srv.URL), uploader.WithTimeout(timeout),
		uploader.WithRetry(uploader.Retry{Attempts: len(faults), Base: time.Millisecond, Max: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("x", 64))
	_, err = c.Upload(context.Background(), "a.png", png, uploader.Options{})
	if err == nil {
		t.Fatal("the upload worked")
	}
	return err
}

// refused is a loopback address where nothing listens.
func refused(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestError(t *testing.T) {
	addr := refused(t)
	c, _ := uploader.New("k", uploader.WithEndpoint("http://"+addr), uploader.WithRetry(uploader.Retry{Attempts: 2, Base: time.Millisecond, Max: time.Millisecond}))
	_, refusedErr := c.Upload(context.Background(), "a.png", []byte("\x89PNG\r\n\x1a\n....."), uploader.Options{})
	_, endpointErr := uploader.New("k", uploader.WithEndpoint("http://example.org"))
	_, readErr := uploader.ReadFile("/nonexistent/shot.png", 1<<20)
	_, dirErr := uploader.ReadFile(os.TempDir(), 1<<20) // a folder everywhere (t.TempDir cannot be removed under Wine 8)
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"wrong key", uploadErr(t, "chv_wrong", time.Second, cxtest.APIError(100, "Invalid API key.")),
			`image.cx rejected the API key ("Invalid API key."): check the key in Settings or run ` + "`imagecx key set`."},
		{"html 502, retried", uploadErr(t, "", time.Second, cxtest.HTML502, cxtest.HTML502),
			"The server failed (HTTP 502 Bad Gateway); try again later. Tried 2 times."},
		{"server's words", uploadErr(t, "", time.Second, cxtest.Storage),
			`The server failed ("No space left on storage"); try again later.`},
		{"flood", uploadErr(t, "", time.Second, cxtest.Flood),
			`The site asks for fewer uploads (rate limited): "Flooding detected. You can only upload 10 images per minute"; it can take the next one in 1 min.`},
		{"429 with a date", uploadErr(t, "", time.Second, cxtest.TooMany429(7200)),
			`The site asks for fewer uploads (rate limited); it can take the next one in 2 hours.`},
		{"no answer", uploadErr(t, "", 100*time.Millisecond, cxtest.Hang),
			"…: no answer within 100ms. The whole upload had been sent, so it may have arrived; imagecx did not send it again, which could make a duplicate."},
		{"5 MB and a byte", uploader.Check(make([]byte, 5<<20+1), 5<<20), "The file is too large: 5 242 881 bytes, the limit is 5 242 880 bytes."},
		{"refused", refusedErr, "Could not reach " + addr + ": nothing answers there (connection refused). Tried 2 times."},
		{"plain http", endpointErr, "The site address is not usable: http://example.org uses plain http; use https (plain http is only allowed on this machine)."},
		{"too large", uploader.Check(make([]byte, 6<<20), 5<<20), "The file is too large: 6.0 MB, the limit is 5.0 MB."},
		{"not an image", uploader.Check([]byte("hello"), 5<<20), "The file type is not accepted: image.cx takes AVIF, JPEG, PNG, BMP, GIF, WebP, MOV, MP4 and WebM."},
		{"missing file", readErr, "/nonexistent/shot.png does not exist."},
		{"a folder", dirErr, "… is a folder, not a file."},
		{"disk full, wrapped", fmt.Errorf("save the capture: %w", &fs.PathError{Op: "write", Path: "/p/x.png", Err: syscall.ENOSPC}),
			"The disk is full: /p/x.png could not be written."},
		{"read-only", &fs.PathError{Op: "open", Path: "/p/x.png", Err: syscall.EROFS}, "/p/x.png is on a read-only disk."},
		{"permission", &fs.PathError{Op: "mkdir", Path: "/p", Err: syscall.EACCES}, "imagecx is not allowed to create the folder /p."},
		{"other file error", &fs.PathError{Op: "open", Path: "/p", Err: syscall.EIO}, "Could not open /p: input/output error."},
		{"taken hotkey", fmt.Errorf("register: %w", &hotkeys.TakenError{Hotkey: hotkeys.Hotkey{Mods: hotkeys.Ctrl | hotkeys.Shift, Key: "1"}}),
			"Ctrl+Shift+1 is already used by another program."},
		{"corrupt settings", &settings.CorruptError{Path: "/c/config.json", MovedTo: "/c/config.json.corrupt-1", Err: errors.New("invalid character")},
			"The settings file /c/config.json could not be read, so imagecx uses the default settings. The old file is kept as /c/config.json.corrupt-1."},
		{"cancelled", context.Canceled, "It was cancelled."},
		{"timed out", context.DeadlineExceeded, "It took too long and was given up."},
		{"said twice", errors.New("open x: open x: boom"), "Open x: boom."},
		{"context wording", fmt.Errorf("the clipboard owner did not answer: %w", context.DeadlineExceeded), "The clipboard owner did not answer."},
	} {
		got := explain.Error(c.err)
		if tail, ok := strings.CutPrefix(c.want, "…"); ok { // the start varies
			if !strings.HasSuffix(got, tail) {
				t.Errorf("%s:\n got %q\nwant …%q", c.name, got, tail)
			}
		} else if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		if c.err != nil && strings.Contains(got, "chv_wrong") {
			t.Errorf("%s: the key shows: %q", c.name, got)
		}
	}
}

func TestLower(t *testing.T) {
	for in, want := range map[string]string{"The file is too large.": "the file is too large.", "HTTP 502.": "HTTP 502.", "imagecx x": "imagecx x", "": "",
		"RequestURL: the host must be written out": "RequestURL: the host must be written out"} {
		if got := explain.Lower(in); got != want {
			t.Errorf("Lower(%q) = %q, want %q", in, got, want)
		}
	}
}
