package sxcu

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"imagecx/uploader"
)

// seen is a request the loopback server received.
type seen struct {
	method, path, query string
	header              http.Header
	ctype               string
	form                map[string]string // multipart or URL-encoded fields
	fileField, fileName string
	file                []byte
	body                string
}

// host is a loopback server that records each request and answers as a
// real host would, by path.
type host struct {
	*httptest.Server
	got []seen
}

func newHost(t *testing.T) *host {
	h := &host{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := seen{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery, header: r.Header.Clone(), form: map[string]string{}}
		s.ctype, _, _ = mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch s.ctype {
		case "multipart/form-data":
			mr, err := r.MultipartReader()
			if err != nil {
				t.Errorf("multipart: %v", err)
				return
			}
			for {
				p, err := mr.NextPart()
				if err != nil {
					break
				}
				data, _ := io.ReadAll(p)
				if p.FileName() != "" {
					s.fileField, s.fileName, s.file = p.FormName(), p.FileName(), data
				} else {
					s.form[p.FormName()] = string(data)
				}
			}
		case "application/x-www-form-urlencoded":
			r.ParseForm()
			for k := range r.PostForm {
				s.form[k] = r.PostForm.Get(k)
			}
		default:
			b, _ := io.ReadAll(r.Body)
			s.body = string(b)
		}
		h.got = append(h.got, s)
		base := "http://" + r.Host
		switch r.URL.Path {
		case "/api/upload":
			if r.Header.Get("Authorization") != "Bearer t0k3n-abc" {
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, `{"error": {"message": "the token is wrong"}}`)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"data": {"files": [{"url": "`+base+`/i/a1.png", "thumb": "`+base+`/t/a1.png"}], "delete url": "`+base+`/d/a1"}}`)
		case "/files/shot one.png":
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, "  "+base+"/files/shot%20one.png\n")
		case "/store":
			io.WriteString(w, `<p>Stored: <a href="`+base+`/s/xyz">here</a> delete: `+base+`/s/xyz/del </p>`)
		case "/paste":
			io.WriteString(w, base+"/p/77")
		case "/shorten":
			io.WriteString(w, `{"result": {"short": "`+base+`/x"}}`)
		case "/xml":
			io.WriteString(w, `<?xml version="1.0"?><result preview="`+base+`/pv"><links><link>`+base+`/first</link><link>`+base+`/second</link></links></result>`)
		case "/api":
			w.Header().Set("X-Short-Link", base+"/g")
			io.WriteString(w, "<html>ok</html>")
		case "/share/abc":
			http.Redirect(w, r, "/shared/abc", http.StatusFound)
		case "/shared/abc":
			io.WriteString(w, "shared")
		case "/up.php":
			io.WriteString(w, "ok,"+base+"/i/old.png,del=zz9")
		case "/v1/upload":
			io.WriteString(w, `{"files": [{"link": "`+base+`/o/1.png", "remove": "`+base+`/o/1/rm"}]}`)
		case "/loc":
			w.Header().Set("Location", base+"/l/9.png")
			w.WriteHeader(http.StatusCreated)
		case "/redir":
			http.Redirect(w, r, "/r/5.png", http.StatusSeeOther)
		case "/r/5.png":
			io.WriteString(w, "PNG")
		case "/ask":
			io.WriteString(w, `{"url": "`+base+`/asked.png"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// load imports a test uploader with its requests sent to h.
func (h *host) load(t *testing.T, name string) *Uploader {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("http://HOST"), []byte(h.URL))
	u, err := Parse(data, Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return u
}

var png = []byte("\x89PNG\r\n\x1a\n pretend pixels")

// Every body type, method and syntax of the corpus: the request is what
// the file describes (checked by the server), and the links are read
// from the answer as the file says.
func TestCorpusAgainstALoopbackHost(t *testing.T) {
	h := newHost(t)
	base := h.URL
	upload := func(t *testing.T, name, file string) uploader.Result {
		t.Helper()
		c := &Client{U: h.load(t, name)}
		r, err := c.Upload(context.Background(), file, png, uploader.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return r
	}
	last := func() seen { return h.got[len(h.got)-1] }

	t.Run("multipart, JSON answer", func(t *testing.T) {
		r := upload(t, "multipart-json.sxcu", "shot.png")
		s := last()
		if s.method != "POST" || s.path != "/api/upload" || s.query != "expires=1d&name=shot.png" {
			t.Errorf("request %s %s?%s", s.method, s.path, s.query)
		}
		if s.header.Get("X-Client") != "imagecx test" || s.fileField != "file" || s.fileName != "shot.png" || !bytes.Equal(s.file, png) {
			t.Errorf("headers %v, file %q %q %d bytes", s.header, s.fileField, s.fileName, len(s.file))
		}
		if s.form["album"] != "shots" || s.form["title"] != "Capture shot.png" || s.form["stamp"] != time.Now().Format("2006-01-02")+" %y 100%" {
			t.Errorf("form %v", s.form)
		}
		if r.URL != base+"/i/a1.png" || r.ThumbURL != base+"/t/a1.png" || r.DeleteURL != base+"/d/a1" {
			t.Errorf("result %+v", r)
		}
	})
	t.Run("PUT, binary body, the link as the answer", func(t *testing.T) {
		r := upload(t, "binary-put.sxcu", "shot one.png")
		s := last()
		if s.method != "PUT" || s.path != "/files/shot%20one.png" || s.ctype != "image/png" || s.body != string(png) || s.header.Get("X-Api-Key") != "k-123" {
			t.Errorf("request %s %s %s %q", s.method, s.path, s.ctype, s.body)
		}
		if r.URL != base+"/files/shot%20one.png" {
			t.Errorf("result %+v", r)
		}
	})
	t.Run("PATCH, base64, regex with a named group and look-behind", func(t *testing.T) {
		r := upload(t, "patch-regex.sxcu", "a.png")
		s := last()
		if s.method != "PATCH" || s.fileField != "upload" || s.header.Get("Authorization") != "Basic bWU6c2VjcmV0IHBhc3M=" {
			t.Errorf("request %s field %q auth %q", s.method, s.fileField, s.header.Get("Authorization"))
		}
		if r.URL != base+"/s/xyz" || r.DeleteURL != base+"/s/xyz/del" {
			t.Errorf("result %+v", r)
		}
	})
	t.Run("old syntax, RegexList, byte-order mark", func(t *testing.T) {
		r := upload(t, "old-regexlist.sxcu", "b.png")
		s := last()
		if s.fileField != "f" || s.form["k"] != "old-key-1" || s.form["n"] != "b.png" {
			t.Errorf("request %+v", s)
		}
		if r.URL != base+"/i/old.png" || r.ThumbURL != base+"/i/old.png/thumb" || r.DeleteURL != base+"/delete/zz9" {
			t.Errorf("result %+v", r)
		}
	})
	t.Run("old syntax, JSON, escapes", func(t *testing.T) {
		r := upload(t, "old-json.sxcu", "c.png")
		if s := last(); s.fileField != "image" || s.header.Get("Authorization") != "Basic dTpw" {
			t.Errorf("request %+v", s)
		}
		if r.URL != base+"/o/1.png" || r.DeleteURL != base+"/o/1/rm$x" {
			t.Errorf("result %+v (an escaped \\$ is a $)", r)
		}
	})
	t.Run("old LocationHeader and RedirectionURL", func(t *testing.T) {
		if r := upload(t, "old-location.sxcu", "d.png"); r.URL != base+"/l/9.png" {
			t.Errorf("location: %+v", r)
		}
		if r := upload(t, "old-redirect.sxcu", "e.png"); r.URL != base+"/r/5.png" {
			t.Errorf("redirection: %+v", r)
		}
	})

	// Text and link uploaders: their requests are built the same way
	// (with {input}), and they refuse images.
	request := func(t *testing.T, name string, in Input) (*Uploader, uploader.Result) {
		t.Helper()
		u := h.load(t, name)
		req, err := u.Request(context.Background(), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		r, err := u.Result(resp, in.FileName)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return u, r
	}
	t.Run("form URL-encoded text", func(t *testing.T) {
		u, r := request(t, "formurlencoded-text.sxcu", Input{Text: "hello & bye"})
		if s := last(); s.ctype != "application/x-www-form-urlencoded" || s.form["content"] != "hello & bye" || s.form["syntax"] != "text" {
			t.Errorf("request %+v", s)
		}
		if r.URL != base+"/p/77" {
			t.Errorf("result %+v", r)
		}
		_, err := (&Client{U: u}).Upload(context.Background(), "x.png", png, uploader.Options{})
		if !errors.Is(err, uploader.ErrUnsupported) || !strings.Contains(err.Error(), "uploads text, not images") {
			t.Errorf("an image to a text uploader: %v", err)
		}
	})
	t.Run("JSON body", func(t *testing.T) {
		_, r := request(t, "json-shortener.sxcu", Input{Text: `https://example.com/a "b"`, FileName: "n.txt"})
		if s := last(); s.ctype != "application/json" || s.body != `{"url": "https://example.com/a \"b\"", "note": "from n.txt"}` {
			t.Errorf("request %s %q", s.ctype, s.body)
		}
		if r.URL != base+"/x" {
			t.Errorf("result %+v", r)
		}
	})
	t.Run("XML body and answer", func(t *testing.T) {
		_, r := request(t, "xml-shortener.sxcu", Input{Text: "https://example.com/?a=1&b=<2>"})
		if s := last(); s.ctype != "application/xml" || s.body != "<shorten><url>https://example.com/?a=1&amp;b=&lt;2&gt;</url></shorten>" {
			t.Errorf("request %s %q", s.ctype, s.body)
		}
		if r.URL != base+"/second" || r.ThumbURL != base+"/pv" {
			t.Errorf("result %+v", r)
		}
	})
	t.Run("GET, parameters, random, a header of the answer", func(t *testing.T) {
		_, r := request(t, "get-shortener.sxcu", Input{Text: "https://example.com/x y"})
		s := last()
		if s.method != "GET" || !strings.HasPrefix(s.query, "format=html&url=https%3A%2F%2Fexample.com%2Fx+y&key=") {
			t.Errorf("request %s ?%s", s.method, s.query)
		}
		if k := s.query[strings.LastIndex(s.query, "=")+1:]; k != "one" && k != "two" && k != "three" {
			t.Errorf("{random} gave %q", k)
		}
		if r.URL != base+"/g" {
			t.Errorf("result %+v", r)
		}
	})
	t.Run("DELETE, the URL after redirects", func(t *testing.T) {
		_, r := request(t, "delete-method.sxcu", Input{Text: "abc"})
		if s := h.got[len(h.got)-2]; s.method != "DELETE" || s.path != "/share/abc" {
			t.Errorf("request %s %s", s.method, s.path)
		}
		if r.URL != base+"/shared/abc" {
			t.Errorf("result %+v", r)
		}
	})
	t.Run("prompt and select", func(t *testing.T) {
		u := h.load(t, "prompt.sxcu")
		_, err := (&Client{U: u}).Upload(context.Background(), "p.png", png, uploader.Options{})
		if !errors.Is(err, ErrNobodyToAsk) || !strings.Contains(err.Error(), "{prompt}") {
			t.Errorf("with nobody to ask: %v", err)
		}
		if n := len(h.got); h.got[n-1].path == "/ask" {
			t.Error("a request went out with a question unanswered")
		}
		var asked []string
		ask := func(title string, options []string, def string) (string, error) {
			asked = append(asked, title+"|"+strings.Join(options, ",")+"|"+def)
			if options != nil {
				return options[1], nil
			}
			return "trip", nil
		}
		r, err := (&Client{U: u, Ask: ask}).Upload(context.Background(), "p.png", png, uploader.Options{})
		if err != nil || r.URL != base+"/asked.png" {
			t.Fatalf("%+v %v", r, err)
		}
		if s := last(); s.form["album"] != "trip" || s.form["size"] != "large" || strings.Join(asked, ";") != "Album||holiday;Choose|small,large|" {
			t.Errorf("form %v, asked %v", s.form, asked)
		}
	})
}

// Failures read the host's own words where the uploader says where they
// are, and say what kind of failure it is.
func TestFailures(t *testing.T) {
	h := newHost(t)
	file, _ := os.ReadFile("testdata/multipart-json.sxcu")
	file = bytes.ReplaceAll(file, []byte("t0k3n-abc"), []byte("wrong"))
	on := func(base string) *Uploader { // the uploader, sending to base
		u, err := Parse(bytes.ReplaceAll(file, []byte("http://HOST"), []byte(base)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	u := on(h.URL)
	_, err := (&Client{U: u}).Upload(context.Background(), "a.png", png, uploader.Options{})
	var ue *uploader.Error
	if !errors.As(err, &ue) || !errors.Is(err, uploader.ErrDenied) || ue.Message != "the token is wrong" || ue.Status != 401 {
		t.Errorf("a wrong token: %v", err)
	}
	// A success whose answer holds no link.
	h2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"data": {}}`) }))
	defer h2.Close()
	u = on(h2.URL)
	_, err = (&Client{U: u}).Upload(context.Background(), "a.png", png, uploader.Options{})
	if !errors.Is(err, uploader.ErrBadResponse) || !strings.Contains(err.Error(), "held no link") {
		t.Errorf("no link: %v", err)
	}
	// An HTML page where JSON was expected.
	h3 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `<html>maintenance</html>`) }))
	defer h3.Close()
	u = on(h3.URL)
	_, err = (&Client{U: u}).Upload(context.Background(), "a.png", png, uploader.Options{})
	var re *ResponseError
	if !errors.Is(err, uploader.ErrBadResponse) || !errors.As(err, &re) || re.Want != "JSON" {
		t.Errorf("HTML instead of JSON: %v", err)
	}
	// A server that is gone.
	h3.Close()
	if _, err = (&Client{U: u}).Upload(context.Background(), "a.png", png, uploader.Options{}); !errors.Is(err, uploader.ErrNetwork) {
		t.Errorf("no server: %v", err)
	}
}

// What imagecx cannot do as a file says is refused at import, naming it.
func TestImportSaysWhatIsWrong(t *testing.T) {
	ok := `"Version": "15.0.0", "DestinationType": "ImageUploader", "RequestURL": "https://example.com/up", "Body": "MultipartFormData", "FileFormName": "file"`
	for name, c := range map[string]struct{ file, want string }{
		"not JSON":             {`{"Version": `, "not JSON"},
		"a list":               {`[1, 2]`, "one JSON object"},
		"an unknown field":     {`{` + ok + `, "Colour": "red"}`, "Colour: not a field"},
		"no URL":               {`{"Version": "15.0.0", "Body": "MultipartFormData", "FileFormName": "f"}`, "RequestURL: is missing"},
		"plain http":           {`{` + strings.Replace(ok, "https://", "http://", 1) + `}`, "plain http://"},
		"a templated host":     {`{"Version": "15.0.0", "DestinationType": "ImageUploader", "RequestURL": "{random:https://a|https://b}/up", "Body": "Binary"}`, "does not start with http"},
		"ftp":                  {`{"Version": "15.0.0", "RequestURL": "ftp://example.com/x"}`, "not an http"},
		"an unknown function":  {`{` + ok + `, "URL": "{link:data}"}`, "{link} is not a function imagecx knows"},
		"an output box":        {`{` + ok + `, "URL": "{outputbox:x}"}`, "ShareX's own"},
		"prompt in the answer": {`{` + ok + `, "URL": "{prompt:x}"}`, "{prompt} cannot be used in what is read from the answer"},
		"input in the answer":  {`{` + ok + `, "URL": "{input}"}`, "{input} cannot be used"},
		"an open brace":        {`{` + ok + `, "URL": "{json:data.url"}`, "never closed"},
		"a stray bar":          {`{` + ok + `, "URL": "{json:a}|b"}`, "outside {…}"},
		"random of one":        {`{` + ok + `, "URL": "{random:a}"}`, "takes 2 or more arguments"},
		"a JSON wildcard":      {`{` + ok + `, "URL": "{json:data[*].url}"}`, "wildcards"},
		"a deep JSON path":     {`{` + ok + `, "URL": "{json:$..url}"}`, "every depth"},
		"an XPath axis":        {`{` + ok + `, "URL": "{xml:/a/child::b}"}`, "does not follow"},
		"a bad regex":          {`{` + ok + `, "URL": "{regex:(unclosed}"}`, "regular expression"},
		"a RegexList gap":      {`{"RequestURL": "https://example.com/up", "FileFormName": "f", "RegexList": ["a"], "URL": "$2$"}`, "RegexList entry 2"},
		"no file field":        {`{"Version": "15.0.0", "DestinationType": "ImageUploader", "RequestURL": "https://example.com/up", "Body": "MultipartFormData"}`, "FileFormName: is missing"},
		"an image as JSON":     {`{"Version": "15.0.0", "DestinationType": "ImageUploader", "RequestURL": "https://example.com/up", "Body": "JSON", "Data": "{}"}`, "cannot carry a file"},
		"an unknown body":      {`{"Version": "15.0.0", "RequestURL": "https://example.com/up", "Body": "Carrier pigeon"}`, "Body: \"Carrier pigeon\" is not"},
		"an unknown method":    {`{"Version": "15.0.0", "RequestMethod": "BREW", "RequestURL": "https://example.com/up"}`, "RequestMethod: \"BREW\""},
		"an unknown kind":      {`{"Version": "15.0.0", "DestinationType": "PictureUploader", "RequestURL": "https://example.com/up"}`, "\"PictureUploader\" is not"},
		"headers as a list":    {`{` + ok + `, "Headers": ["a"]}`, "Headers: must be an object"},
		"a number for a URL":   {`{` + ok + `, "URL": 5}`, "URL: is number; it must be a text"},
		"image.cx's own name":  {`{` + ok + `, "Name": "image.cx"}`, "cannot name an uploader"},
		"a window's title":     {`{` + ok + `, "Arguments": {"t": "shot of %t"}}`, "%t (the active window's title) is a ShareX name code"},
		"a counter in Data":    {`{"Version": "15.0.0", "DestinationType": "URLShortener", "RequestURL": "https://example.com/up", "Body": "JSON", "Data": "{\"n\": \"%i\"}"}`, "Data: %i (an auto-increment number)"},
	} {
		_, err := Parse([]byte(c.file), Options{})
		var ie *ImportError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want an ImportError with %q", name, err, c.want)
		}
	}
	// Plain http to another machine when the person says so; to this one
	// always.
	if _, err := Parse([]byte(`{`+strings.Replace(ok, "https://", "http://", 1)+`}`), Options{AllowHTTP: true}); err != nil {
		t.Errorf("--allow-http: %v", err)
	}
	u, err := Parse([]byte(`{`+strings.Replace(ok, "https://example.com", "http://localhost:8080", 1)+`}`), Options{})
	if err != nil || u.Name != "localhost" || u.Host() != "localhost" {
		t.Errorf("loopback: %v %+v", err, u)
	}
}

// The multipart body the request carries can be read back by a standard
// reader (a boundary, the file's content type).
func TestMultipartIsStandard(t *testing.T) {
	u, err := Parse([]byte(`{"Version": "15.0.0", "DestinationType": "ImageUploader", "RequestURL": "https://example.com/up", "Body": "MultipartFormData", "FileFormName": "file"}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	req, err := u.Request(context.Background(), Input{FileName: "a \"b\".png", MIME: "image/png", Data: png}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, params, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	p, err := multipart.NewReader(req.Body, params["boundary"]).NextPart()
	if err != nil || p.FileName() != `a "b".png` || p.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("%v %q %q", err, p.FileName(), p.Header.Get("Content-Type"))
	}
}
