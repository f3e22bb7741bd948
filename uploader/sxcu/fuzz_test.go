package sxcu

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Any text is a template or a SyntaxError; a template checks and
// evaluates without a panic, on either side.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"{json:data.files[0].url}", "Basic {base64:a:b}", "{regex:{response}|href=\"(.+)\"|1}", "\\{x\\}", "{random:a|{filename}}",
		"$json:a.b$", "$1,2$", "$regex:1|name$", "\\$x", "{xml:/a/b[2]/@c}", "{", "}", "|", "{:}", "{a:|}"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, src string, old bool) {
		parse := parseTemplate
		if old {
			parse = parseOldTemplate
		}
		tm, err := parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: %T %v", src, err, err)
			}
			return
		}
		for _, side := range []Side{RequestSide, ResponseSide} {
			if tm.check("URL", side, 2) != nil {
				continue
			}
			e := &env{fileName: "a b.png", input: "in", urlEncode: true, rand: nil,
				resp: &answer{text: `{"a": {"b": "x"}}`, url: "https://example.com/", header: http.Header{}}}
			e.rand = newRand()
			e.ask = func(string, []string, string) (string, error) { return "ok", nil }
			tm.eval(e)
		}
	})
}

// Any file either imports or says what is wrong with it (an
// ImportError); an imported one builds its request without a panic.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.sxcu")
	for _, p := range files {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"RequestURL": "https://a/"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := Parse(data, Options{AllowHTTP: true})
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("%T %v", err, err)
			}
			return
		}
		req, err := u.Request(context.Background(), Input{FileName: "a.png", MIME: "image/png", Data: []byte("x"), Text: "t"}, nil)
		if err != nil {
			return
		}
		if req.Body != nil {
			io.Copy(io.Discard, req.Body)
		}
		if _, err := url.Parse(req.URL.String()); err != nil || !strings.HasPrefix(req.URL.Scheme, "http") {
			t.Fatalf("request URL %v", req.URL)
		}
	})
}
