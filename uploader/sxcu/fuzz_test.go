package sxcu

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
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

// Any template, on any answer, ends within its time bound, makes no more
// text than its bound, and allocates a bounded amount (the answer here is
// the fuzzed text repeated up to 16 kB; TestHostileTemplateBlowUps does
// 4 MB).
func FuzzEvalBounded(f *testing.F) {
	for _, s := range []string{"{response}{response}", "{json:a.b}", "{base64:{base64:{response}}}", "{regex:{response}|(a+)+b|1}",
		"{xml:/a/b}", "{json:{response}|a}", "{random:{response}|{response}}", "{header:x}{responseurl}"} {
		f.Add(s, `{"a": {"b": "x"}}`, uint16(1000))
		f.Add(s, `<a><b>x</b></a>`, uint16(3))
	}
	const bound = 1 << 30 // allocated, for 16 kB of answer and 12 MB of output at most
	f.Fuzz(func(t *testing.T, src, doc string, repeat uint16) {
		tm, err := parseTemplate(src)
		if err != nil || tm.check("URL", ResponseSide, 0) != nil {
			return
		}
		text := ""
		if doc != "" {
			text = strings.Repeat(doc, 1+int(repeat)%(16<<10/len(doc)+1))
			text = text[:min(len(text), 16<<10)]
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		b := newBudget(start)
		b.deadline = start.Add(time.Second)
		e := &env{fileName: "a.png", urlEncode: true, rand: newRand(), budget: b,
			resp: &answer{text: text, url: "https://example.com/", header: http.Header{"X": {text}}}}
		out, _ := tm.eval(e)
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		if len(out) > MaxOutput {
			t.Fatalf("made %d bytes", len(out))
		}
		if took > 3*time.Second {
			t.Fatalf("took %v", took)
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > bound {
			t.Fatalf("allocated %d MB", a>>20)
		}
	})
}
