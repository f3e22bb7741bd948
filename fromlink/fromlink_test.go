package fromlink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"imagecx/egress"
	"imagecx/explain"
	"imagecx/uploader"
)

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFetch(t *testing.T) {
	img := pngBytes(t)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(img)
	}))
	defer other.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("/photos/cat.jpeg", func(w http.ResponseWriter, r *http.Request) { w.Write(img) }) // a PNG, named .jpeg
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/cdn/dog.png", http.StatusFound)
	})
	mux.HandleFunc("/loop/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/loop/"), "%d", &n)
		http.Redirect(w, r, fmt.Sprintf("/loop/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>a page</html>"))
	})
	mux.HandleFunc("/octets", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte("not an image at all"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, 2000)) })
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 4 {
			w.Write(make([]byte, 600))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/named", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Disposition", `attachment; filename="../holiday.png"`)
		w.Write(img)
	})
	mux.HandleFunc("/gone.png", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()

	for link, want := range map[string]string{
		srv.URL + "/photos/cat.jpeg": "cat.png",
		srv.URL + "/elsewhere":       "dog.png", // another origin: no secret travels with a link
		srv.URL + "/named":           "holiday.png",
		srv.URL + "/":                "127.0.0.1.png",
	} {
		if link == srv.URL+"/" {
			mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) { w.Write(img) })
		}
		f, err := Fetch(ctx, link, 1000, nil)
		if err != nil || f.Name != want || f.Title != strings.TrimSuffix(want, ".png") || !bytes.Equal(f.Data, img) || f.MIME != "image/png" {
			t.Errorf("%s: %q %q %v", link, f.Name, f.Title, err)
		}
	}

	for link, check := range map[string]func(error) bool{
		srv.URL + "/loop/0":        func(err error) bool { return errors.Is(err, egress.ErrRedirect) },
		srv.URL + "/page":          func(err error) bool { return errors.Is(err, ErrNotAnImage) },
		srv.URL + "/octets":        func(err error) bool { return errors.Is(err, ErrNotAnImage) },
		srv.URL + "/big":           func(err error) bool { return errors.Is(err, uploader.ErrTooLarge) },
		srv.URL + "/big-chunked":   func(err error) bool { return errors.Is(err, uploader.ErrTooLarge) },
		srv.URL + "/gone.png":      func(err error) bool { return err != nil && strings.Contains(err.Error(), "404") },
		"http://example.com/a.png": func(err error) bool { return errors.Is(err, egress.ErrScheme) },
		"ftp://127.0.0.1/a.png":    func(err error) bool { return errors.Is(err, egress.ErrScheme) },
		"http://127.0.0.1:1/a.png?token=secret": func(err error) bool { // nothing listens there
			return err != nil && !strings.Contains(err.Error(), "secret") && !strings.Contains(explain.Error(err), "secret")
		},
		"https://u:secret@127.0.0.1/a.png": func(err error) bool {
			return errors.Is(err, egress.ErrUserInfo) && !strings.Contains(explain.Error(err), "secret")
		},
	} {
		if _, err := Fetch(ctx, link, 1000, nil); !check(err) {
			t.Errorf("%s: %v", link, err)
		}
	}
}

// An https link that redirects to plain http is not followed.
func TestNoDowngrade(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(pngBytes(t)) }))
	defer plain.Close()
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/a.png", http.StatusFound)
	}))
	defer tls.Close()
	_, err := Fetch(context.Background(), tls.URL+"/a.png", 1000, tls.Client().Transport)
	if !errors.Is(err, egress.ErrScheme) {
		t.Fatalf("https to http: %v", err)
	}
}

func TestIs(t *testing.T) {
	for arg, want := range map[string]bool{"https://a/b.png": true, "HTTP://a": true, "a.png": false, "./https:x": false, "-": false} {
		if Is(arg) != want {
			t.Errorf("Is(%q)", arg)
		}
	}
}
