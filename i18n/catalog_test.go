package i18n

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sourceKeys are the catalog keys the module's code uses: the literal
// keys of i18n.T, N (its plural, other form), Mark, Errorf and In, with
// where each is used.
func sourceKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "i18n" {
					name = fn.Sel.Name
				}
			case *ast.Ident:
				// A package's own ways of saying a message.
				for _, h := range helpers {
					if strings.Contains(filepath.ToSlash(path), h.dir) && fn.Name == h.name {
						name = h.dir + fn.Name
					}
				}
			}
			arg := -1
			for _, h := range helpers {
				if name == h.dir+h.name {
					arg = h.arg
				}
			}
			switch name {
			case "T", "Mark", "Errorf", "Say":
				arg = 0
			case "In":
				arg = 1
			case "N":
				arg = 2
			}
			if arg < 0 || len(call.Args) <= arg {
				return true
			}
			key, ok := stringConst(call.Args[arg])
			if !ok {
				return true // a key from a variable: marked where it was written
			}
			keys[key] = fset.Position(call.Args[arg].Pos()).String()
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// stringConst is the text of a string literal, or of literals joined
// with + (a long key written over several lines).
func stringConst(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return stringConst(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok := stringConst(e.X)
		b, ok2 := stringConst(e.Y)
		return a + b, ok && ok2
	}
	return "", false
}

// helpers are functions of one package whose argument arg is a
// catalog key.
var helpers = []struct {
	dir, name string
	arg       int
}{
	{"/cli/", "errorf", 1},        // errorf(env, key, …)
	{"/cli/", "say", 1},           // say(w, key, …)
	{"/cli/", "newFlags", 2},      // newFlags(env, name, usage)
	{"/uploader/sxcu/", "bad", 1}, // bad(field, key, …)
}

var placeholder = regexp.MustCompile(`\{\{\.[A-Za-z0-9_]+\}\}`)

func placeholders(s string) []string {
	p := placeholder.FindAllString(s, -1)
	slices.Sort(p)
	return slices.Compact(p)
}

// Every catalog has exactly the keys the code uses, each translated, with
// the same placeholders, and no key twice.
func TestCatalogs(t *testing.T) {
	keys := sourceKeys(t)
	if len(keys) == 0 {
		t.Fatal("no key found in the code")
	}
	for _, l := range Langs[1:] {
		data, err := files.ReadFile("catalog/" + string(l) + ".json")
		if err != nil {
			t.Errorf("no catalog for %s: %v", l, err)
			continue
		}
		seen := map[string]bool{}
		dec := json.NewDecoder(bytes.NewReader(data))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			t.Fatalf("%s: not a JSON object", l)
		}
		for dec.More() {
			tok, _ := dec.Token()
			key := tok.(string)
			var e entry
			if err := dec.Decode(&e); err != nil {
				t.Fatalf("%s: %q: %v", l, key, err)
			}
			if seen[key] {
				t.Errorf("%s: %q is there twice", l, key)
			}
			seen[key] = true
			where, used := keys[key]
			switch {
			case !used:
				t.Errorf("%s: %q is not used by the code", l, key)
			case strings.TrimSpace(e.Other) == "":
				t.Errorf("%s: %q has no translation (%s)", l, key, where)
			case !slices.Equal(placeholders(key), placeholders(e.Other)):
				t.Errorf("%s: %q has placeholders %v, the translation %q has %v (%s)", l, key, placeholders(key), e.Other, placeholders(e.Other), where)
			}
		}
		for key, where := range keys {
			if !seen[key] {
				t.Errorf("%s lacks %q (%s)", l, key, where)
			}
		}
	}
}

func TestParseAndFromEnv(t *testing.T) {
	for in, want := range map[string]Lang{"zh_TW.UTF-8": Traditional, "zh_HK": Traditional, "zh_MO.utf8": Traditional, "zh-Hant": Traditional,
		"zh_Hant_TW": Traditional, "zh_CN.UTF-8": Simplified, "zh_SG": Simplified, "zh-Hans": Simplified, "zh": Simplified,
		"ja_JP.UTF-8": Japanese, "ja": Japanese, "en_GB.UTF-8": English, "en": English} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"C", "POSIX", "C.UTF-8", "de_DE.UTF-8", ""} {
		if got, ok := Parse(in); ok {
			t.Errorf("Parse(%q) = %q", in, got)
		}
	}
	for _, c := range []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{"LANG": "zh_TW.UTF-8"}, Traditional},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}, Japanese},
		{map[string]string{"LANG": "ja_JP.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, Simplified},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "de:zh_TW:en"}, Traditional},
		{map[string]string{"LANG": "C", "LANGUAGE": "ja"}, English}, // LANGUAGE is ignored in the C locale
		{map[string]string{"LANG": "de_DE.UTF-8"}, English},
		{map[string]string{}, English},
	} {
		if got := FromEnv(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("FromEnv(%v) = %s, want %s", c.env, got, c.want)
		}
	}
	env := map[string]string{"LANG": "zh_TW.UTF-8"}
	if got := Choose("ja", func(k string) string { return env[k] }); got != Japanese {
		t.Errorf("the setting does not win over LANG: %s", got)
	}
	env[EnvLanguage] = "zh-Hans"
	if got := Choose("ja", func(k string) string { return env[k] }); got != Simplified {
		t.Errorf("IMAGECX_LANGUAGE does not win: %s", got)
	}
}

func TestTranslate(t *testing.T) {
	defer Use(Current())
	Use(English)
	if got := N(1, "{{.n}} capture was", "{{.n}} captures were"); got != "1 capture was" {
		t.Errorf("N one: %q", got)
	}
	if got := N(3, "{{.n}} capture was", "{{.n}} captures were"); got != "3 captures were" {
		t.Errorf("N other: %q", got)
	}
	Use(Pseudo)
	if got := T("Upload {{.file}} now", "file", "a.png"); got != "⟦Úplóáđ a.png ñöw⟧" && !strings.HasPrefix(got, "⟦") {
		t.Errorf("pseudo: %q", got)
	}
	if got := T("Upload {{.file}}", "file", "a.png"); !strings.Contains(got, "a.png") || !strings.HasPrefix(got, "⟦") {
		t.Errorf("pseudo keeps the values: %q", got)
	}
	e := Errorf("Could not read {{.file}}", "file", "x")
	if e.Error() != "Could not read x" {
		t.Errorf("an error's log text is English: %q", e.Error())
	}
	outer := Errorf("Not saved: {{.why}}", "why", e)
	if got := outer.Explain(); strings.Count(got, "⟦") != 2 || !strings.Contains(got, "Çöûld ñöt") {
		t.Errorf("a wrapped error of this package is said in the language too: %q", got)
	}
	if got := outer.Error(); got != "Not saved: Could not read x" {
		t.Errorf("the log text stays English through the wrap: %q", got)
	}
	if !errors.Is(outer, e) {
		t.Error("the outer error wraps the inner one")
	}
	list := Join(Say("images"), Say("files"))
	if got := list.String(); got != "images, files" {
		t.Errorf("an English list: %q", got)
	}
	if got := list.In(Traditional); got != In(Traditional, "images")+"、"+In(Traditional, "files") || got == "images、files" {
		t.Errorf("a Chinese list: %q", got)
	}
	Use(Japanese)
	if got := T("{{.name}} uploads {{.what}}, not images", "name", "x", "what", list); !strings.Contains(got, In(Japanese, "files")) {
		t.Errorf("a Text among the values is said in the message's language: %q", got)
	}
}
