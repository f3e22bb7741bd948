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

// secretName says whether a header, parameter or argument holds a
// secret, by its name.
func secretName(name string) bool {
	n := strings.ToLower(name)
	if n == "authorization" || n == "cookie" {
		return true
	}
	for _, w := range []string{"key", "token", "secret", "password", "passwd"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// Add imports an .sxcu file: it is checked (sxcu.Parse), its secrets go
// to the keyring, and the rest to the uploaders folder.
func (s Store) Add(ctx context.Context, data []byte, o sxcu.Options) (Added, error) {
	u, err := sxcu.Parse(data, o)
	if err != nil {
		return Added{}, err
	}
	stored, secrets, err := split(data)
	if err != nil {
		return Added{}, err
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
// (secrets replaced by the placeholder) and the secrets by field.
func split(data []byte) ([]byte, [][2]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, nil, err
	}
	var secrets [][2]string
	err := eachPair(top, func(field string, p *[2]string) error {
		if secretName(p[0]) && p[1] != "" {
			secrets = append(secrets, [2]string{field + "." + p[0], p[1]})
			p[1] = placeholder
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	out, err := json.MarshalIndent(top, "", "  ")
	return append(out, '\n'), secrets, err
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
var ErrUnknown = errors.New("no custom uploader has that name")

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
	err = eachPair(top, func(field string, p *[2]string) error {
		if p[1] != placeholder {
			return nil
		}
		v, err := s.Secrets.Get(ctx, secretID(name, field+"."+p[0]))
		if errors.Is(err, settings.ErrNotFound) {
			return fmt.Errorf("the keyring no longer holds %s's %s.%s: import its .sxcu file again", name, field, p[0])
		}
		if err != nil {
			return fmt.Errorf("%s's %s.%s: %w", name, field, p[0], err)
		}
		p[1] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	full, _ := json.Marshal(top)
	u, err := sxcu.Parse(full, sxcu.Options{AllowHTTP: true})
	if err != nil {
		return nil, fmt.Errorf("the stored uploader %s: %w", name, err)
	}
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
}
