// Package sxcu reads ShareX custom uploaders (.sxcu files, ShareX 12 to
// today's format, with both syntaxes of their dynamic parts) and uploads
// with them: the request they describe, and the links read from the
// answer. Whatever imagecx cannot do as the file says (a function it does
// not know, a question with no one to answer, a path it cannot follow) is
// an error that names it, at import or at upload, never a request that
// differs in silence.
package sxcu

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"imagecx/egress"
	"imagecx/explain"
	"imagecx/i18n"
)

// Kind is what an uploader uploads (ShareX's DestinationType).
type Kind uint8

// The kinds.
const (
	Image Kind = 1 << iota
	Text
	File
	URLShortener
	URLSharing
)

var kindNames = []struct {
	k    Kind
	name string
}{{Image, "ImageUploader"}, {Text, "TextUploader"}, {File, "FileUploader"}, {URLShortener, "URLShortener"}, {URLSharing, "URLSharingService"}}

// String lists the kinds as ShareX names them.
func (k Kind) String() string {
	var out []string
	for _, n := range kindNames {
		if k&n.k != 0 {
			out = append(out, n.name)
		}
	}
	if len(out) == 0 {
		return "None"
	}
	return strings.Join(out, ", ")
}

// Describe says in words what the uploader takes (in the language of
// the message it is put in).
func (k Kind) Describe() i18n.Text {
	var out []i18n.Text
	for _, n := range []struct {
		k Kind
		s string
	}{{Image, i18n.Mark("images")}, {File, i18n.Mark("files")}, {Text, i18n.Mark("text")}, {URLShortener, i18n.Mark("links to shorten")}, {URLSharing, i18n.Mark("links to share")}} {
		if k&n.k != 0 {
			out = append(out, i18n.Say(n.s))
		}
	}
	if len(out) == 0 {
		return i18n.Say("nothing it says")
	}
	return i18n.Join(out...)
}

// Body is how the request carries what is uploaded.
type Body string

// The bodies.
const (
	None           Body = "None"
	Multipart      Body = "MultipartFormData"
	FormURLEncoded Body = "FormURLEncoded"
	JSON           Body = "JSON"
	XML            Body = "XML"
	Binary         Body = "Binary"
)

// Pair is a name and its template, in the order the file gives them.
type Pair struct {
	Name  string
	Value *Template
}

// Uploader is an imported custom uploader.
type Uploader struct {
	Name    string
	Version string // as the file says; "" before ShareX 13
	Kinds   Kind
	Method  string // GET, POST, PUT, PATCH, DELETE
	URL     *Template
	Params  []Pair // the query string
	Headers []Pair
	Body    Body
	Args    []Pair // form fields (multipart, URL-encoded)
	// FileFormName is the multipart field that carries the file.
	FileFormName string
	// Data is the JSON or XML body, where only {input} and {filename} are
	// replaced (as ShareX does), encoded for the body's type.
	Data                                   string
	ResultURL, ThumbURL, DeleteURL, ErrMsg *Template
	// regexes are the old RegexList, matched against the answer.
	regexes []string
	// responseType is the old ResponseType: "Text", "RedirectionURL" or
	// "LocationHeader".
	responseType string
	// origin is the scheme, host and port every request goes to, written
	// out in RequestURL (no template in them), fixed at import and
	// checked again at every request.
	origin *url.URL
	// Secrets are the values that must never be shown (the store puts
	// back the ones it kept in the keyring): every error the uploader
	// returns is cleaned of them.
	Secrets []string
}

// Host is the host the uploader sends to ("example.com").
func (u *Uploader) Host() string {
	if u.origin == nil {
		return ""
	}
	return u.origin.Hostname()
}

// Origin is where the uploader sends: "https://example.com", with the port
// when it is not the scheme's own.
func (u *Uploader) Origin() string {
	if u.origin == nil {
		return ""
	}
	return egress.Origin(u.origin)
}

// TakesImages says whether the uploader can upload a capture.
func (u *Uploader) TakesImages() bool { return u.Kinds&(Image|File) != 0 }

// ImportError says what is wrong with a custom uploader's file.
type ImportError struct {
	Field string // "" for the file as a whole
	Err   error  // what is wrong with it
}

func (e *ImportError) Error() string {
	if e.Field == "" {
		return e.Err.Error()
	}
	return e.Field + ": " + e.Err.Error()
}

// Explain says it in the person's language (the field keeps its name:
// it is what the file says).
func (e *ImportError) Explain() string {
	if e.Field == "" {
		return explain.Error(e.Err)
	}
	return e.Field + ": " + explain.Inner(e.Err)
}

func (e *ImportError) Unwrap() error { return e.Err }

// bad is an ImportError of field: key (a catalog key) filled with args
// (name, value pairs).
func bad(field, key string, args ...any) error {
	return &ImportError{Field: field, Err: i18n.Errorf(key, args...)}
}

// file is the JSON of an .sxcu file, every version's fields.
type file struct {
	Version         string
	Name            string
	DestinationType json.RawMessage
	RequestMethod   string
	RequestType     string // before ShareX 13
	RequestURL      string
	Parameters      json.RawMessage
	Headers         json.RawMessage
	Body            string
	RequestFormat   string // before ShareX 13
	Arguments       json.RawMessage
	FileFormName    string
	Data            string
	URL             string
	ThumbnailURL    string
	DeletionURL     string
	ErrorMessage    string
	ResponseType    string // before ShareX 13
	RegexList       []string
}

// knownFields are the fields a file may have (any case).
var knownFields = []string{"version", "name", "destinationtype", "requestmethod", "requesttype", "requesturl", "parameters",
	"headers", "body", "requestformat", "arguments", "fileformname", "data", "url", "thumbnailurl", "deletionurl",
	"errormessage", "responsetype", "regexlist"}

// MaxFileSize bounds an .sxcu file.
const MaxFileSize = 1 << 20

// Options are the import's choices.
type Options struct {
	// AllowHTTP accepts an uploader that sends to plain http:// on a host
	// other than this machine (the person said so).
	AllowHTTP bool
}

// Parse reads an .sxcu file (a UTF-8 byte-order mark first is allowed).
func Parse(data []byte, o Options) (*Uploader, error) {
	if len(data) > MaxFileSize {
		return nil, bad("", "the file is {{.size}} bytes; a custom uploader is at most {{.max}}", "size", len(data), "max", MaxFileSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, bad("", "not JSON: {{.why}} (at byte {{.offset}})", "why", err, "offset", syn.Offset)
		}
		return nil, bad("", "not a custom uploader: {{.why}} (it must be one JSON object)", "why", err)
	}
	for k := range fields {
		if !slices.Contains(knownFields, strings.ToLower(k)) {
			return nil, bad(k, "not a field of a ShareX custom uploader (a newer version's? imagecx reads those of ShareX 12 to 17)")
		}
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return nil, bad(ute.Field, "is {{.value}}; it must be {{.want}}", "value", ute.Value, "want", kindOfGo(ute.Type.String()))
		}
		return nil, &ImportError{Err: err}
	}
	u := &Uploader{Name: strings.TrimSpace(f.Name), Version: f.Version, FileFormName: f.FileFormName, Data: f.Data,
		regexes: f.RegexList, responseType: f.ResponseType}
	old := oldSyntax(f.Version)
	tmpl := func(field, s string, side Side) (*Template, error) {
		if s == "" {
			return nil, nil
		}
		var t *Template
		var err error
		if old {
			t, err = parseOldTemplate(s)
		} else {
			t, err = parseTemplate(s)
		}
		if err != nil {
			return nil, &ImportError{Field: field, Err: err}
		}
		if err := t.check(field, side, len(f.RegexList)); err != nil {
			return nil, &ImportError{Err: err}
		}
		return t, nil
	}
	pairs := func(field string, raw json.RawMessage) ([]Pair, error) {
		kv, err := Pairs(raw)
		if err != nil {
			return nil, &ImportError{Field: field, Err: err}
		}
		var out []Pair
		for _, p := range kv {
			t, err := tmpl(field+"."+p[0], p[1], RequestSide)
			if err != nil {
				return nil, err
			}
			if t == nil {
				t = &Template{}
			}
			t.names = true
			if err := t.check(field+"."+p[0], RequestSide, len(f.RegexList)); err != nil {
				return nil, &ImportError{Err: err}
			}
			out = append(out, Pair{Name: p[0], Value: t})
		}
		return out, nil
	}
	var err error

	// The method.
	method := f.RequestMethod
	if method == "" {
		method = f.RequestType
	}
	if method == "" {
		method = "POST"
	}
	u.Method = strings.ToUpper(method)
	if !slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE"}, u.Method) {
		return nil, bad("RequestMethod", "{{.method}} is not GET, POST, PUT, PATCH or DELETE", "method", strconv.Quote(method))
	}

	// The kinds.
	if u.Kinds, err = parseKinds(f.DestinationType); err != nil {
		return nil, err
	}

	// Where it sends, and whether that is safe.
	if strings.TrimSpace(f.RequestURL) == "" {
		return nil, bad("RequestURL", "is missing: there is nowhere to send the upload")
	}
	if u.URL, err = tmpl("RequestURL", strings.TrimSpace(f.RequestURL), RequestSide); err != nil {
		return nil, err
	}
	if u.origin, err = origin(u.URL, o); err != nil {
		return nil, err
	}
	if u.Params, err = pairs("Parameters", f.Parameters); err != nil {
		return nil, err
	}
	if u.Headers, err = pairs("Headers", f.Headers); err != nil {
		return nil, err
	}
	if u.Args, err = pairs("Arguments", f.Arguments); err != nil {
		return nil, err
	}

	// The body.
	if u.Body, err = body(f, u); err != nil {
		return nil, err
	}
	if u.Body == None && f.Body == "" && len(u.Args) > 0 {
		// Before ShareX 13 the arguments of a request without a body
		// (URLQueryString, a GET) were its query string.
		u.Params, u.Args = append(u.Params, u.Args...), nil
	}
	if u.Kinds == 0 {
		// Files from before DestinationType: an uploader that sends a
		// file takes images and files.
		if (u.Body == Multipart && u.FileFormName != "") || u.Body == Binary {
			u.Kinds = Image | File
		}
	}
	if u.TakesImages() {
		switch {
		case u.Body == Multipart && strings.TrimSpace(u.FileFormName) == "":
			return nil, bad("FileFormName", "is missing: a multipart upload needs the name of the field that carries the file")
		case u.Body != Multipart && u.Body != Binary:
			return nil, bad("Body", "is {{.body}}, which cannot carry a file: an image or file uploader sends MultipartFormData or Binary", "body", u.Body)
		}
	}
	if err := checkNames(u.Data); err != nil {
		return nil, &ImportError{Field: "Data", Err: err}
	}
	if (u.Body == JSON || u.Body == XML) && strings.TrimSpace(u.Data) == "" {
		return nil, bad("Data", "is missing: a {{.body}} body needs its text", "body", u.Body)
	}
	if len(u.Args) > 0 && u.Body != Multipart && u.Body != FormURLEncoded {
		return nil, bad("Arguments", "are form fields, and the body is {{.body}}, which has none", "body", u.Body)
	}

	// What is read from the answer.
	switch strings.ToLower(f.ResponseType) {
	case "", "text", "redirectionurl", "locationheader":
	default:
		return nil, bad("ResponseType", "{{.type}} is not Text, RedirectionURL or LocationHeader", "type", strconv.Quote(f.ResponseType))
	}
	for i, r := range f.RegexList {
		if _, err := compileRegex(r); err != nil {
			return nil, &ImportError{Field: fmt.Sprintf("RegexList[%d]", i), Err: err}
		}
	}
	if u.ResultURL, err = tmpl("URL", f.URL, ResponseSide); err != nil {
		return nil, err
	}
	if u.ThumbURL, err = tmpl("ThumbnailURL", f.ThumbnailURL, ResponseSide); err != nil {
		return nil, err
	}
	if u.DeleteURL, err = tmpl("DeletionURL", f.DeletionURL, ResponseSide); err != nil {
		return nil, err
	}
	if u.ErrMsg, err = tmpl("ErrorMessage", f.ErrorMessage, ResponseSide); err != nil {
		return nil, err
	}
	if u.Name == "" {
		u.Name = u.Host() // as ShareX names an unnamed uploader
	}
	if err := checkName(u.Name); err != nil {
		return nil, err
	}
	return u, nil
}

// kindOfGo names a Go type for a person.
func kindOfGo(t string) i18n.Text {
	switch {
	case strings.HasPrefix(t, "map"), strings.HasPrefix(t, "json.Raw"):
		return i18n.Say("an object")
	case strings.HasPrefix(t, "[]"):
		return i18n.Say("a list of texts")
	}
	return i18n.Say("a text")
}

// oldSyntax says whether a file of this version writes "$…$": ShareX
// moved to "{…}" after 13.7.1.
func oldSyntax(version string) bool {
	if version == "" {
		return true
	}
	return compareVersions(version, "13.7.1") <= 0
}

// compareVersions compares dotted versions numerically.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// parseKinds reads DestinationType: "ImageUploader, FileUploader", or
// ShareX's number for those flags.
func parseKinds(raw json.RawMessage) (Kind, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		if n < 0 || n > 31 {
			return 0, bad("DestinationType", "{{.n}} is not a set of ShareX's destination types", "n", n)
		}
		return Kind(n), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, bad("DestinationType", "must be a text such as \"ImageUploader, FileUploader\"")
	}
	var k Kind
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" || strings.EqualFold(part, "None") {
			continue
		}
		found := false
		for _, n := range kindNames {
			if strings.EqualFold(part, n.name) {
				k |= n.k
				found = true
			}
		}
		if !found {
			return 0, bad("DestinationType", "{{.part}} is not ImageUploader, TextUploader, FileUploader, URLShortener or URLSharingService", "part", strconv.Quote(part))
		}
	}
	return k, nil
}

// body is the file's body type: Body (ShareX 13 on), else the older
// RequestFormat, else what ShareX chose for it.
func body(f file, u *Uploader) (Body, error) {
	if f.Body != "" {
		for _, b := range []Body{None, Multipart, FormURLEncoded, JSON, XML, Binary} {
			if strings.EqualFold(f.Body, string(b)) {
				return b, nil
			}
		}
		return "", bad("Body", "{{.body}} is not None, MultipartFormData, FormURLEncoded, JSON, XML or Binary", "body", strconv.Quote(f.Body))
	}
	switch strings.ToLower(f.RequestFormat) {
	case "multipartformdata":
		return Multipart, nil
	case "formurlencoded":
		return FormURLEncoded, nil
	case "json":
		return JSON, nil
	case "urlquerystring":
		return None, nil
	case "", "automatic":
	default:
		return "", bad("RequestFormat", "{{.format}} is not Automatic, MultipartFormData, FormURLEncoded, JSON or URLQueryString", "format", strconv.Quote(f.RequestFormat))
	}
	if f.Version != "" && !oldSyntax(f.Version) && f.RequestFormat == "" {
		return None, nil // ShareX 13 on writes Body unless it is None
	}
	if u.Method == "GET" {
		return None, nil
	}
	return Multipart, nil
}

// Pairs reads a JSON object of names and texts (Headers, Parameters,
// Arguments), keeping its order.
func Pairs(raw json.RawMessage) ([][2]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, errors.New("must be an object of names and texts")
	}
	var out [][2]string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		var s string
		switch x := v.(type) {
		case nil:
			// ShareX sends a null as an empty text (Discord's uploaders
			// write "content": null).
		case string:
			s = x
		case float64, bool:
			s = fmt.Sprint(x) // ShareX's files hold texts; a number is taken as written
		default:
			return nil, fmt.Errorf("%q must be a text", k)
		}
		out = append(out, [2]string{k.(string), s})
	}
	return out, nil
}

// origin is the scheme, host and port RequestURL sends to. They must be
// written out, up to the "/" (or "?") after them, with no template in
// them: the host shown at import is the host used, whatever a template
// gives. An address with a user name or password is refused (the secret
// would sit in the plain file), plain http to another machine too unless
// the person allowed it.
func origin(t *Template, o Options) (*url.URL, error) {
	if t == nil || len(t.nodes) == 0 || t.nodes[0].fn != "" {
		return nil, bad("RequestURL", "{{.url}} does not start with http:// or https:// and the host", "url", strconv.Quote(t.String()))
	}
	text := t.nodes[0].text
	scheme, rest, ok := strings.Cut(text, "://")
	if !ok || (strings.ToLower(scheme) != "https" && strings.ToLower(scheme) != "http") {
		return nil, bad("RequestURL", "{{.url}} is not an http:// or https:// address", "url", strconv.Quote(t.src))
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		if len(t.nodes) > 1 {
			return nil, bad("RequestURL", "{{.url}}: the host must be written out in full, up to the / after it, with no {…} in it (the host shown is the host used)", "url", strconv.Quote(t.src))
		}
		end = len(rest)
	}
	authority := rest[:end]
	if strings.Contains(authority, "@") {
		return nil, bad("RequestURL", "{{.url}} holds a user name or password; a custom uploader sends those in its Headers (Authorization), which imagecx keeps in the keyring", "url", strconv.Quote(t.src))
	}
	u, err := url.Parse(strings.ToLower(scheme) + "://" + authority)
	if err != nil || u.Hostname() == "" || u.User != nil || strings.ContainsAny(authority, "\\%{}$ ") {
		return nil, bad("RequestURL", "{{.url}} does not name a host imagecx can use", "url", strconv.Quote(t.src))
	}
	if u.Scheme == "http" && !egress.Loopback(u.Hostname()) && !o.AllowHTTP {
		return nil, bad("RequestURL", "sends to {{.host}} over plain http://, where anyone on the way can read the upload and its key; say --allow-http to import it all the same", "host", u.Host)
	}
	return u, nil
}

// checkName refuses names that cannot be a file's, or that would read as
// something else where they are shown: line breaks and other control
// characters, characters that turn the text around (U+202E) or hide
// (zero-width), a leading "-" (an option on a command line), spaces at
// either end.
func checkName(name string) error {
	switch {
	case name == "":
		return bad("Name", "is empty, and the request URL names no host")
	case len(name) > 100:
		return bad("Name", "is longer than 100 characters")
	case strings.ContainsAny(name, "/\\\x00") || name == "." || name == ".." || strings.EqualFold(name, "image.cx"):
		return bad("Name", "{{.name}} cannot name an uploader here", "name", strconv.Quote(name))
	case strings.HasPrefix(name, "-"):
		return bad("Name", "{{.name}} starts with -, which a command line would take for an option", "name", strconv.Quote(name))
	case strings.TrimSpace(name) != name:
		return bad("Name", "{{.name}} starts or ends with a space", "name", strconv.Quote(name))
	}
	for _, r := range name {
		if !unicode.IsPrint(r) && r != ' ' || unicode.Is(unicode.Cf, r) {
			return bad("Name", "{{.name}} holds a control or invisible character ({{.char}})", "name", strconv.QuoteToASCII(name), "char", fmt.Sprintf("%U", r))
		}
	}
	return nil
}
