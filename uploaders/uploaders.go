// Package uploaders keeps the custom uploaders a person imported (ShareX
// .sxcu files, read by uploader/sxcu): each in the config folder's
// uploaders/NAME.sxcu, without its secrets (header, parameter and argument
// values that look like tokens), which go to the keyring as the image.cx
// key does.
package uploaders

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"

	"imagecx/i18n"
	"imagecx/settings"
	"imagecx/uploader/sxcu"
)

// Default is the destination that is not a custom uploader.
const Default = "image.cx"

// placeholder stands in the stored file for a value kept in the keyring
// (plain text in either syntax).
const placeholder = "imagecx-keeps-this-in-the-keyring"

// Store is the imported uploaders.
type Store struct {
	Dir     string // the config folder
	Secrets settings.Secrets
}

// New is the store in the config folder dir, its secrets in the system
// keyring.
func New(dir string) Store { return Store{Dir: dir, Secrets: settings.NewSecrets(dir)} }

func (s Store) folder() string { return filepath.Join(s.Dir, "uploaders") }

func (s Store) path(name string) string { return filepath.Join(s.folder(), name+".sxcu") }

// Added is what an import did.
type Added struct {
	U        *sxcu.Uploader
	Secrets  []string // the fields kept in the keyring: "Headers.Authorization"
	Where    settings.Location
	Replaced bool // an uploader of that name was there and is replaced
}

// secretWords are parts of names that say the value is a secret, found
// anywhere in the name ("X-Api-Key", "access_token", "clientSecret",
// "Authentication", "X-Auth", "PHPSESSID"); secretTokens are names, or
// words of names, too short to be looked for inside other words ("pass",
// "sig": not in "passage" or "design").
var (
	secretWords  = []string{"key", "token", "secret", "passw", "passwd", "auth", "cookie", "session", "sess", "credential", "signature", "bearer", "hmac"}
	secretTokens = []string{"pass", "pwd", "pw", "sig", "sid", "otp", "pin", "jwt"}
	// plainWords are names that hold no secret whatever their value.
	plainWords = []string{"author", "type", "format", "name", "title", "album", "folder", "expire", "expiration", "expires", "accept", "user-agent", "content-type", "visibility", "private", "public", "lang", "language", "mode", "output", "action", "description", "tags", "category", "nsfw", "size", "width", "height", "quality", "filename", "file", "host", "version", "referer", "origin"}
)

// Secret says from a field's name whether its value is a secret: yes,
// no, or that only the person can say (sure is false).
func Secret(name, value string) (secret, sure bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" || strings.TrimSpace(value) == "" {
		return false, true
	}
	if slices.Contains(plainWords, n) {
		return false, true
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true, true
		}
	}
	for _, w := range words(name) {
		if slices.Contains(secretTokens, w) {
			return true, true
		}
	}
	// Not named as one: a value that looks random (a token under a name
	// of the host's own) cannot be told from a plain one.
	return false, !randomLooking(value)
}

// words splits a name at punctuation and at camelCase: "X-Api_sig",
// "apiSig" → x, api, sig.
func words(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(rs[i-1]):
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// randomLooking says whether a value looks like a generated credential:
// long, with no spaces, letters and digits mixed, and not a word, a date
// or an address.
func randomLooking(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) < 16 || strings.ContainsAny(v, " {}$%") || strings.Contains(v, "://") {
		return false
	}
	var letters, digits, other int
	for _, r := range v {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		case strings.ContainsRune("-_.=+/:", r):
			other++
		default:
			return false
		}
	}
	return letters > 0 && digits > 0 && other*4 < len(v)
}

// UndecidedError is an import that needs the person to say whether some
// fields hold secrets (Add's answers).
type UndecidedError struct {
	Fields []string // "Headers.X-Custom"
}

func (e *UndecidedError) Error() string {
	return fmt.Sprintf("imagecx cannot tell whether %s holds a secret (a value that looks like a token, under a name that does not say)", strings.Join(e.Fields, " and "))
}

// Undecided are the fields of an .sxcu file whose value may or may not
// be a secret, for a window or a terminal to ask about before Add.
func Undecided(data []byte) ([]string, error) {
	_, _, undecided, err := split(data, nil)
	return undecided, err
}

// Add imports an .sxcu file: it is checked (sxcu.Parse), its secrets go
// to the keyring, and the rest to the uploaders folder. answers says for
// the fields Undecided lists whether each is a secret (true) or not; a
// field without an answer makes it an *UndecidedError.
func (s Store) Add(ctx context.Context, data []byte, o sxcu.Options, answers map[string]bool) (Added, error) {
	u, err := sxcu.Parse(data, o)
	if err != nil {
		return Added{}, err
	}
	stored, secrets, undecided, err := split(data, answers)
	if err != nil {
		return Added{}, err
	}
	if len(undecided) > 0 {
		return Added{}, &UndecidedError{Fields: undecided}
	}
	a := Added{U: u}
	if _, err := os.Stat(s.path(u.Name)); err == nil {
		a.Replaced = true
		s.forgetSecrets(ctx, u.Name)
	}
	for _, sec := range secrets {
		loc, err := s.Secrets.Set(ctx, secretID(u.Name, sec[0]), sec[1])
		if err != nil {
			return Added{}, fmt.Errorf("%s: %w", sec[0], err)
		}
		a.Secrets = append(a.Secrets, sec[0])
		a.Where = loc
	}
	if err := settings.WriteFile(s.path(u.Name), stored); err != nil {
		return Added{}, err
	}
	return a, nil
}

// secretID is the keyring's name for an uploader's secret.
func secretID(name, field string) string { return "uploader/" + name + "/" + field }

// split takes the secrets out of an .sxcu file: the file as stored
// (secrets replaced by the placeholder), the secrets by field, and the
// fields neither the names nor answers decide.
func split(data []byte, answers map[string]bool) ([]byte, [][2]string, []string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, nil, nil, err
	}
	var secrets [][2]string
	var undecided []string
	decide := func(field, name, value string) bool {
		secret, sure := Secret(name, value)
		if a, ok := answers[field]; ok {
			return a
		}
		if !sure {
			undecided = append(undecided, field)
		}
		return secret
	}
	err := eachPair(top, func(field string, p *[2]string) error {
		if decide(field+"."+p[0], p[0], p[1]) {
			secrets = append(secrets, [2]string{field + "." + p[0], p[1]})
			p[1] = placeholder
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	err = eachQueryValue(top, func(name string, value *string) {
		if decide("RequestURL."+name, name, *value) {
			secrets = append(secrets, [2]string{"RequestURL." + name, *value})
			*value = placeholder
		}
	})
	if err != nil {
		return nil, nil, nil, err
	}
	splitData(top, func(field, name, value string) bool {
		if decide(field, name, value) {
			secrets = append(secrets, [2]string{field, value})
			return true
		}
		return false
	})
	out, err := json.MarshalIndent(top, "", "  ")
	return append(out, '\n'), secrets, undecided, err
}

// splitData takes the secrets out of a JSON body (Data: {"token": "…"}):
// each written-out text whose field keep says is a secret is replaced by
// a marker that names the field ("Data.auth.token"), for joinData to put
// it back. A body that is not a JSON object is left as it is.
func splitData(top map[string]json.RawMessage, keep func(field, name, value string) bool) {
	for k, raw := range top {
		if !strings.EqualFold(k, "Data") {
			continue
		}
		var text string
		if json.Unmarshal(raw, &text) != nil {
			return
		}
		var doc map[string]any
		if json.Unmarshal([]byte(text), &doc) != nil {
			return
		}
		var walk func(path string, v any)
		walk = func(path string, v any) {
			obj, ok := v.(map[string]any)
			if !ok {
				return
			}
			for name, x := range obj {
				field := path + "." + name
				value, isText := x.(string)
				if !isText {
					walk(field, x)
					continue
				}
				written, _ := json.Marshal(value)
				if strings.ContainsAny(value, "{}$") || !strings.Contains(text, string(written)) || !keep(field, name, value) {
					continue
				}
				marker, _ := json.Marshal(placeholder + "#" + field)
				text = strings.ReplaceAll(text, string(written), string(marker))
			}
		}
		walk("Data", doc)
		top[k], _ = json.Marshal(text)
	}
}

// joinData puts back the secrets splitData took out of a JSON body; get
// gives a field's secret.
func joinData(top map[string]json.RawMessage, get func(field string) (string, error)) error {
	for k, raw := range top {
		if !strings.EqualFold(k, "Data") {
			continue
		}
		var text string
		if json.Unmarshal(raw, &text) != nil {
			return nil
		}
		for {
			i := strings.Index(text, placeholder+"#")
			if i < 0 {
				break
			}
			end := strings.IndexByte(text[i:], '"')
			if end < 0 {
				return i18n.Errorf("the stored uploader's Data is damaged")
			}
			field := text[i+len(placeholder)+1 : i+end]
			v, err := get(field)
			if err != nil {
				return err
			}
			enc, _ := json.Marshal(v)
			text = text[:i-1] + string(enc) + text[i+end+1:]
		}
		top[k], _ = json.Marshal(text)
	}
	return nil
}

// eachQueryValue calls fn on each name and written-out value of
// RequestURL's query string ("?api_key=…"; a value with a template in it
// is made at upload, not stored) and writes back what fn changed.
func eachQueryValue(top map[string]json.RawMessage, fn func(name string, value *string)) error {
	for k, raw := range top {
		if !strings.EqualFold(k, "RequestURL") {
			continue
		}
		var u string
		if err := json.Unmarshal(raw, &u); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		base, query, ok := strings.Cut(u, "?")
		if !ok {
			return nil
		}
		query, frag, hasFrag := strings.Cut(query, "#")
		parts := strings.Split(query, "&")
		for i, part := range parts {
			name, value, ok := strings.Cut(part, "=")
			if !ok || strings.ContainsAny(value, "{}$\\") || strings.ContainsAny(name, "{}$\\") {
				continue
			}
			before := value
			fn(name, &value)
			if value != before {
				parts[i] = name + "=" + value
			}
		}
		u = base + "?" + strings.Join(parts, "&")
		if hasFrag {
			u += "#" + frag
		}
		top[k], _ = json.Marshal(u)
	}
	return nil
}

// canonical is the field's name as ShareX writes it when it holds names
// and texts; "" for other fields.
func canonical(k string) string {
	switch strings.ToLower(k) {
	case "headers":
		return "Headers"
	case "parameters":
		return "Parameters"
	case "arguments":
		return "Arguments"
	}
	return ""
}

// eachPair calls fn on each name and text of the fields that hold them
// (Headers, Parameters, Arguments) and writes back what fn changed.
func eachPair(top map[string]json.RawMessage, fn func(field string, p *[2]string) error) error {
	for k, raw := range top {
		field := canonical(k)
		if field == "" {
			continue
		}
		pairs, err := sxcu.Pairs(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		for i := range pairs {
			if err := fn(field, &pairs[i]); err != nil {
				return err
			}
		}
		top[k] = encodeOrdered(pairs)
	}
	return nil
}

func encodeOrdered(pairs [][2]string) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p[0])
		v, _ := json.Marshal(p[1])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// Names are the imported uploaders' names, sorted.
func (s Store) Names() ([]string, error) {
	entries, err := os.ReadDir(s.folder())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".sxcu"); ok && e.Type().IsRegular() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// ErrUnknown is a name that no imported uploader has.
var ErrUnknown error = i18n.Errorf("no custom uploader has that name")

// NotFoundError names the uploader that is not there, and those that are.
type NotFoundError struct {
	Name  string
	Names []string
}

func (e *NotFoundError) Error() string {
	if len(e.Names) == 0 {
		return fmt.Sprintf("no custom uploader is called %q (none is imported: `imagecx uploader add FILE.sxcu`)", e.Name)
	}
	return fmt.Sprintf("no custom uploader is called %q (there are: %s)", e.Name, strings.Join(e.Names, ", "))
}

func (e *NotFoundError) Is(target error) bool { return target == ErrUnknown }

// read is the stored file of the uploader called name.
func (s Store) read(name string) ([]byte, error) {
	names, _ := s.Names()
	if !slices.Contains(names, name) {
		return nil, &NotFoundError{Name: name, Names: names}
	}
	return os.ReadFile(s.path(name))
}

// Info is the uploader called name without its secrets (to list it).
func (s Store) Info(name string) (*sxcu.Uploader, error) {
	data, err := s.read(name)
	if err != nil {
		return nil, err
	}
	u, err := sxcu.Parse(data, sxcu.Options{AllowHTTP: true})
	if err != nil {
		return nil, fmt.Errorf("the stored uploader %s: %w", name, err)
	}
	return u, nil
}

// Load is the uploader called name with its secrets, ready to upload.
// (Plain http was allowed when it was imported, or it would not be here.)
func (s Store) Load(ctx context.Context, name string) (*sxcu.Uploader, error) {
	data, err := s.read(name)
	if err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("the stored uploader %s: %w", name, err)
	}
	var secrets []string
	get := func(field string) (string, error) {
		v, err := s.Secrets.Get(ctx, secretID(name, field))
		if errors.Is(err, settings.ErrNotFound) {
			return "", i18n.Errorf("the keyring no longer holds {{.name}}'s {{.field}}: import its .sxcu file again", "name", name, "field", field)
		}
		if err != nil {
			return "", fmt.Errorf("%s's %s: %w", name, field, err)
		}
		secrets = append(secrets, v)
		return v, nil
	}
	err = eachPair(top, func(field string, p *[2]string) error {
		if p[1] != placeholder {
			return nil
		}
		v, err := get(field + "." + p[0])
		p[1] = v
		return err
	})
	if err != nil {
		return nil, err
	}
	var qerr error
	err = eachQueryValue(top, func(q string, value *string) {
		if *value == placeholder && qerr == nil {
			*value, qerr = get("RequestURL." + q)
		}
	})
	if err = errors.Join(err, qerr); err != nil {
		return nil, err
	}
	if err := joinData(top, get); err != nil {
		return nil, err
	}
	full, _ := json.Marshal(top)
	u, err := sxcu.Parse(full, sxcu.Options{AllowHTTP: true})
	if err != nil {
		return nil, fmt.Errorf("the stored uploader %s: %w", name, err)
	}
	u.Secrets = secrets
	return u, nil
}

// Remove deletes the uploader called name and its secrets.
func (s Store) Remove(ctx context.Context, name string) error {
	if _, err := s.read(name); err != nil {
		return err
	}
	s.forgetSecrets(ctx, name)
	return os.Remove(s.path(name))
}

// forgetSecrets removes the secrets the stored uploader called name
// keeps in the keyring.
func (s Store) forgetSecrets(ctx context.Context, name string) {
	data, err := os.ReadFile(s.path(name))
	if err != nil {
		return
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return
	}
	eachPair(top, func(field string, p *[2]string) error {
		if p[1] == placeholder {
			s.Secrets.Delete(ctx, secretID(name, field+"."+p[0]))
		}
		return nil
	})
	eachQueryValue(top, func(q string, value *string) {
		if *value == placeholder {
			s.Secrets.Delete(ctx, secretID(name, "RequestURL."+q))
		}
	})
	joinData(top, func(field string) (string, error) {
		s.Secrets.Delete(ctx, secretID(name, field))
		return "", nil
	})
}
