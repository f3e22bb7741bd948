// Package cxtest is an in-process fake image.cx (Chevereto API v1) for
// tests, in the manner of net/http/httptest. It follows docs/imagecx-api.md:
// the key is read from X-API-Key first and the "key" field second and is
// checked before the source; the file must come in the multipart field
// "source", at most 5 MB, and is sniffed from its bytes; answers carry the
// fields the client reads (and drop the ones moderation removes); errors are
// HTTP 400 JSON with status_code, error.message and error.code.
//
// Faults are scripted per request with Script: an HTML 502 page, a 503, a
// hang, flood protection, a reset connection, any API error, and what a
// hostile or broken server does: an answer cut off after the upload was
// stored, a link that is not one, bytes that are not the API's JSON.
package cxtest

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif" // dimensions of GIF uploads
	_ "image/jpeg"
	_ "image/png"
	"imagecx/filetype"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"imagecx/explain"
	"imagecx/uploader"
)

// Config shapes a server. The zero value is image.cx as it is today.
type Config struct {
	Keys          []string // accepted keys; empty means a generated one (Server.Key)
	Prefix        string   // mount point, e.g. "/chevereto"; the API is at Prefix+"/api/1/upload"
	MaxSize       int64    // default uploader.MaxSize
	Moderated     bool     // answer as a moderated site: no direct link, is_approved 0
	StringNumbers bool     // answer like Chevereto 3: numbers as strings, no delete_url
	// Delay is how long each upload takes before it is stored and
	// answered (a slow link, a busy site), so captures queue up behind it;
	// a client that goes away during it stores nothing.
	Delay time.Duration
}

// Upload is one request the server received, as it saw it.
type Upload struct {
	Method      string
	Path        string
	Header      http.Header
	Query       string
	Fields      map[string][]string // non-file form fields
	Key         string              // the key the request carried (header or field)
	FileField   string              // the form name of the file part ("" when none)
	FileName    string
	ContentType string // of the file part
	Data        []byte
	Stored      bool   // the server kept it (answered 200)
	ID          string // id_encoded when stored
}

// Fault is a scripted answer for one request.
type Fault struct {
	kind   string
	status int
	code   int
	msg    string
	header http.Header
	link   string // for kind "link"
}

var (
	// HTML502 answers like nginx in front of a dead PHP backend.
	HTML502 = Fault{kind: "html", status: 502, msg: "502 Bad Gateway"}
	// Unavailable503 answers 503 with an HTML page.
	Unavailable503 = Fault{kind: "html", status: 503, msg: "503 Service Temporarily Unavailable"}
	// Hang never answers until the client gives up or the server closes.
	Hang = Fault{kind: "hang"}
	// Reset closes the connection without an answer, after reading the
	// request (a crashed backend: the client cannot know whether it
	// stored the upload).
	Reset = Fault{kind: "reset"}
	// ResetEarly closes the connection before reading the request's body:
	// a large upload fails while it is being sent.
	ResetEarly = Fault{kind: "reset-early"}
	// CutOff stores the upload, then answers 200 with a Content-Length of
	// 2 GB, a few bytes, and a closed connection.
	CutOff = Fault{kind: "cutoff"}
	// EmptyOK answers 200 with no body and no content type.
	EmptyOK = Fault{kind: "raw", status: 200}
	// GarbageJSON answers 200, application/json, with bytes that are not
	// JSON.
	GarbageJSON = Fault{kind: "raw", status: 200, msg: `{"status_code":200,"image":{"url":`, header: http.Header{"Content-Type": {"application/json"}}}
	// Flood is Chevereto's flood protection.
	Flood = Fault{kind: "api", status: 400, code: 130, msg: "Flooding detected. You can only upload 10 images per minute"}
	// Storage is a full disk on the server.
	Storage = Fault{kind: "api", status: 400, code: 104, msg: "No space left on storage"}
)

// TooMany429 answers like a CDN's rate limiter, with Retry-After seconds.
func TooMany429(retryAfter int) Fault {
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(retryAfter))
	return Fault{kind: "html", status: 429, msg: "429 Too Many Requests", header: h}
}

// APIError answers the API's error JSON with any code and message.
func APIError(code int, msg string) Fault {
	return Fault{kind: "api", status: 400, code: code, msg: msg}
}

// Link stores the upload and answers with link as its direct link and
// viewer page: a server that hands out something that is not a link.
func Link(link string) Fault { return Fault{kind: "link", link: link} }

// Status answers an HTML page with any status.
func Status(code int) Fault {
	return Fault{kind: "html", status: code, msg: strconv.Itoa(code) + " " + http.StatusText(code)}
}

// Server is a running fake image.cx.
type Server struct {
	// URL is the endpoint to give a client (with Prefix).
	URL string
	// Key is the first accepted key.
	Key string

	cfg  Config
	http *httptest.Server
	stop chan struct{}

	mu      sync.Mutex
	keys    map[string]bool
	faults  []Fault
	uploads []Upload
	images  map[string]Upload // by stored path
	doomed  map[string]string // delete link path → stored path
	deletes int
	seq     int
}

// NewServer starts a server; Close it when done.
func NewServer(cfg Config) *Server {
	s := &Server{cfg: cfg, keys: map[string]bool{}, images: map[string]Upload{}, doomed: map[string]string{}, stop: make(chan struct{})}
	if s.cfg.MaxSize == 0 {
		s.cfg.MaxSize = uploader.MaxSize
	}
	if len(cfg.Keys) == 0 {
		cfg.Keys = []string{"chv_T3st_" + randHex(64)}
	}
	for _, k := range cfg.Keys {
		s.keys[k] = true
	}
	s.Key = cfg.Keys[0]
	s.cfg.Prefix = strings.TrimRight(cfg.Prefix, "/")
	s.http = httptest.NewServer(s)
	s.URL = s.http.URL + s.cfg.Prefix
	return s
}

// Close stops the server, releasing hung requests.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	s.mu.Unlock()
	s.http.CloseClientConnections()
	s.http.Close()
}

// Script queues faults: each answers one request, in order; after them the
// server behaves normally again.
func (s *Server) Script(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// AddKey accepts another key.
func (s *Server) AddKey(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[k] = true
}

// Requests returns every API request received, in order.
func (s *Server) Requests() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}

// Stored returns the requests that were stored as images.
func (s *Server) Stored() []Upload {
	var out []Upload
	for _, u := range s.Requests() {
		if u.Stored {
			out = append(out, u)
		}
	}
	return out
}

// DeleteHits counts GETs of delete links; a client must never make one on
// its own. A good link deletes the image (its direct link answers 404
// then); any other answers 404.
func (s *Server) DeleteHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deletes
}

var deletePath = regexp.MustCompile(`^/image/([^/]+)/delete/[0-9a-f]{48}$`)

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, s.cfg.Prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch {
	case p == "/api/1/upload" || p == "/api/1/upload/":
		s.upload(w, r)
	case deletePath.MatchString(p):
		s.mu.Lock()
		s.deletes++
		stored, ok := s.doomed[p]
		delete(s.doomed, p)
		delete(s.images, stored)
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>Image deleted</body></html>")
	case strings.HasPrefix(p, "/images/"):
		s.mu.Lock()
		u, ok := s.images[p]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", u.ContentType)
		w.Write(u.Data)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	rec := Upload{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Query: r.URL.RawQuery, Fields: map[string][]string{}}
	s.mu.Lock()
	var fault *Fault
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		fault = &f
	}
	s.mu.Unlock()
	if fault != nil && fault.kind == "reset-early" {
		s.mu.Lock()
		s.uploads = append(s.uploads, rec)
		s.mu.Unlock()
		s.fault(w, r, *fault)
		return
	}
	// The body is read in full before any other fault, as PHP does.
	parseErr := s.parseForm(r, &rec)
	s.mu.Lock()
	idx := len(s.uploads)
	s.uploads = append(s.uploads, rec)
	s.mu.Unlock()
	if s.cfg.Delay > 0 {
		select {
		case <-time.After(s.cfg.Delay):
		case <-s.stop:
			return
		case <-r.Context().Done():
			return // the client went away first: PHP aborts, nothing is stored
		}
	}

	var after *Fault // a fault in how a stored upload is answered
	if fault != nil && (fault.kind == "cutoff" || fault.kind == "link") {
		after, fault = fault, nil
	}
	if fault != nil {
		s.fault(w, r, *fault)
		return
	}
	if rec.Fields["image"] != nil {
		// ImgBB compatibility mode: a different answer shape that clients
		// must never trigger.
		writeJSON(w, 400, map[string]any{"status_code": 400, "success": false, "error": map[string]any{"message": "ImgBB mode", "code": 0}})
		return
	}
	if rec.Key == "" {
		s.apiError(w, 100, "No key provided")
		return
	}
	s.mu.Lock()
	ok := s.keys[rec.Key]
	s.mu.Unlock()
	if !ok {
		s.apiError(w, 100, "Invalid API key.")
		return
	}
	if parseErr == errTooBig {
		s.apiError(w, 400, "File too big - max "+explain.Size(s.cfg.MaxSize))
		return
	}
	if rec.FileField != "source" || len(rec.Data) == 0 {
		s.apiError(w, 130, "Empty upload source")
		return
	}
	if int64(len(rec.Data)) > s.cfg.MaxSize {
		s.apiError(w, 400, "File too big - max "+explain.Size(s.cfg.MaxSize))
		return
	}
	mime := filetype.Sniff(rec.Data)
	if mime == "" {
		s.apiError(w, 400, "Invalid image")
		return
	}
	var expires any
	if e := first(rec.Fields["expiration"]); e != "" {
		d, err := isoSeconds(e)
		if err != nil {
			s.apiError(w, 400, "Invalid expiration")
			return
		}
		d = min(max(d, 5*time.Minute), 365*24*time.Hour)
		expires = time.Now().UTC().Add(d).Format(time.DateTime)
	}

	s.mu.Lock()
	s.seq++
	id := encodeID(s.seq)
	name := storedName(rec.FileName, mime)
	stored := fmt.Sprintf("/images/%s/%s", time.Now().UTC().Format("2006/01/02"), name)
	rec.Stored, rec.ID, rec.ContentType = true, id, mime
	s.uploads[idx] = rec
	s.images[stored] = rec
	deleteLink := s.cfg.Prefix + "/image/" + id + "/delete/" + randHex(24)
	s.doomed[strings.TrimPrefix(deleteLink, s.cfg.Prefix)] = stored
	s.mu.Unlock()

	w2, h2 := dimensions(rec.Data)
	base := s.http.URL + s.cfg.Prefix
	title := first(rec.Fields["title"])
	if title == "" {
		title = strings.NewReplacer("-", " ", "_", " ").Replace(strings.TrimSuffix(name, path.Ext(name)))
	}
	if len([]rune(title)) > 100 {
		title = string([]rune(title)[:100])
	}
	num := func(n int) any {
		if s.cfg.StringNumbers {
			return strconv.Itoa(n)
		}
		return n
	}
	img := map[string]any{
		"id_encoded":          id,
		"filename":            name,
		"name":                strings.TrimSuffix(name, path.Ext(name)),
		"mime":                mime,
		"extension":           strings.TrimPrefix(path.Ext(name), "."),
		"width":               num(w2),
		"height":              num(h2),
		"size":                num(len(rec.Data)),
		"title":               title,
		"nsfw":                num(atoi(first(rec.Fields["nsfw"]))),
		"url":                 base + stored,
		"url_viewer":          base + "/image/" + strings.TrimSuffix(name, path.Ext(name)) + "." + id,
		"url_short":           base + "/image/" + id,
		"display_url":         base + stored,
		"thumb":               map[string]any{"url": base + strings.TrimSuffix(stored, path.Ext(stored)) + ".th" + path.Ext(stored)},
		"medium":              map[string]any{"url": nil},
		"expiration_date_gmt": expires,
		"delete_url":          s.http.URL + deleteLink,
		"is_approved":         num(1),
		"date_gmt":            time.Now().UTC().Format(time.DateTime),
	}
	if s.cfg.Moderated {
		img["is_approved"] = num(0)
		for _, k := range []string{"url", "display_url", "thumb", "medium"} {
			delete(img, k)
		}
	}
	if s.cfg.StringNumbers {
		delete(img, "delete_url")
	}
	answer := map[string]any{
		"status_code": num(200),
		"success":     map[string]any{"message": "file uploaded", "code": num(200)},
		"image":       img,
		"status_txt":  "OK",
	}
	switch {
	case after == nil:
		writeJSON(w, 200, answer)
	case after.kind == "link":
		img["url"], img["url_viewer"], img["display_url"] = after.link, after.link, after.link
		writeJSON(w, 200, answer)
	case after.kind == "cutoff":
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(2<<30))
		w.WriteHeader(200)
		w.Write([]byte(`{"status_code":200,"success":{"mess`))
		w.(http.Flusher).Flush()
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	}
}

var errTooBig = fmt.Errorf("request body too large")

func (s *Server) parseForm(r *http.Request, rec *Upload) error {
	rec.Key = r.Header.Get("X-API-Key")
	// Allow generous multipart overhead; a body over this is "too big".
	r.Body = http.MaxBytesReader(nil, r.Body, s.cfg.MaxSize*2+1<<20)
	defer func() {
		if rec.Key == "" {
			rec.Key = first(rec.Fields["key"])
		}
		if rec.Key == "" {
			rec.Key = r.URL.Query().Get("key")
		}
	}()
	mr, err := r.MultipartReader()
	if err != nil {
		if err := r.ParseForm(); err == nil {
			for k, v := range r.PostForm {
				rec.Fields[k] = v
			}
		}
		return nil
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return errTooBig
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return errTooBig
		}
		if part.FileName() != "" {
			if rec.FileField == "" || part.FormName() == "source" {
				rec.FileField, rec.FileName, rec.ContentType, rec.Data = part.FormName(), part.FileName(), part.Header.Get("Content-Type"), data
			}
			continue
		}
		rec.Fields[part.FormName()] = append(rec.Fields[part.FormName()], string(data))
	}
}

func (s *Server) fault(w http.ResponseWriter, r *http.Request, f Fault) {
	switch f.kind {
	case "hang":
		select {
		case <-r.Context().Done():
		case <-s.stop:
		}
	case "reset", "reset-early":
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("cxtest: cannot hijack")
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0)
			}
			conn.Close()
		}
	case "html":
		for k, v := range f.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.status)
		fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", f.msg, f.msg)
	case "api":
		writeJSON(w, f.status, errorBody(f.code, f.msg))
	case "raw":
		w.Header()["Content-Type"] = nil // no type unless the fault gives one
		for k, v := range f.header {
			w.Header()[k] = v
		}
		w.WriteHeader(f.status)
		io.WriteString(w, f.msg)
	}
}

func (s *Server) apiError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, 400, errorBody(code, msg))
}

func errorBody(code int, msg string) map[string]any {
	return map[string]any{"status_code": 400, "error": map[string]any{"message": msg, "code": code}, "status_txt": "Bad Request"}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

const idAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// encodeID makes short ids like Chevereto's ("ZfGd").
func encodeID(n int) string {
	n += 238327 // start at four characters
	var b []byte
	for n > 0 {
		b = append([]byte{idAlphabet[n%len(idAlphabet)]}, b...)
		n /= len(idAlphabet)
	}
	return string(b)
}

func storedName(name, mime string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		name = "image"
	}
	ext := map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/bmp": ".bmp",
		"image/webp": ".webp", "image/avif": ".avif", "video/mp4": ".mp4", "video/quicktime": ".mov", "video/webm": ".webm"}[mime]
	base := strings.TrimSuffix(name, path.Ext(name))
	return unsafeChars.ReplaceAllString(base, "-") + ext
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// dimensions reads width and height from the header of the formats the
// standard library knows, and BMP; 0×0 for the rest.
func dimensions(data []byte) (int, int) {
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		return cfg.Width, cfg.Height
	}
	if len(data) >= 26 && string(data[:2]) == "BM" {
		w := int32(binary.LittleEndian.Uint32(data[18:]))
		h := int32(binary.LittleEndian.Uint32(data[22:]))
		return int(abs(w)), int(abs(h))
	}
	return 0, 0
}

func abs(n int32) int32 {
	if n < 0 {
		return -n
	}
	return n
}

var isoRE = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

func isoSeconds(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	m := isoRE.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	units := []time.Duration{365 * 24 * time.Hour, 30 * 24 * time.Hour, 7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second}
	var d time.Duration
	for i, u := range units {
		d += time.Duration(atoi(m[i+1])) * u
	}
	return d, nil
}
