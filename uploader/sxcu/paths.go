package sxcu

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dlclark/regexp2/v2"
)

// jsonStep is one step of a JSON path: a member's name or an index.
type jsonStep struct {
	name  string
	index int // when name is ""
}

// parseJSONPath reads the JSON paths uploaders use (as Newtonsoft's
// SelectToken takes them): "data.url", "$.files[0].url", "['odd key']".
// Wildcards, recursion and filters are refused by name.
func parseJSONPath(path string) ([]jsonStep, error) {
	if strings.Contains(path, "..") {
		return nil, fmt.Errorf("the JSON path %q searches at every depth (..), which imagecx does not follow", path)
	}
	p := strings.TrimPrefix(strings.TrimPrefix(path, "$"), ".")
	if p == "" {
		return nil, fmt.Errorf("the JSON path %q names nothing", path)
	}
	var steps []jsonStep
	for i := 0; i < len(p); {
		switch {
		case p[i] == '.':
			i++
		case p[i] == '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("the JSON path %q has a [ without ]", path)
			}
			inner := p[i+1 : i+end]
			switch {
			case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
				steps = append(steps, jsonStep{name: inner[1 : len(inner)-1]})
			default:
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 {
					return nil, fmt.Errorf("the JSON path %q has [%s]: imagecx follows indexes ([0]) and quoted names (['key']), not wildcards or filters", path, inner)
				}
				steps = append(steps, jsonStep{index: n})
			}
			i += end + 1
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			name := p[i:j]
			if name == "*" {
				return nil, fmt.Errorf("the JSON path %q has a wildcard (*), which imagecx does not follow", path)
			}
			steps = append(steps, jsonStep{name: name})
			i = j
		}
	}
	return steps, nil
}

// jsonValue follows path in the JSON document doc: a string as it is,
// a number or boolean as JSON writes it, nothing for null or a path that
// leads nowhere (as ShareX does).
func jsonValue(doc, path string) (string, error) {
	steps, err := parseJSONPath(path)
	if err != nil {
		return "", err
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", &ResponseError{Want: "JSON", Err: err}
	}
	for _, s := range steps {
		switch x := v.(type) {
		case map[string]any:
			if s.name == "" {
				return "", nil
			}
			v = x[s.name]
		case []any:
			if s.name != "" || s.index >= len(x) {
				return "", nil
			}
			v = x[s.index]
		default:
			return "", nil
		}
	}
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	b, _ := json.Marshal(v)
	return string(b), nil
}

// ResponseError is an answer that is not what the uploader reads it as.
type ResponseError struct {
	Want string // JSON, XML
	Err  error
}

func (e *ResponseError) Error() string {
	return fmt.Sprintf("the answer is not %s (%v)", e.Want, e.Err)
}

func (e *ResponseError) Unwrap() error { return e.Err }

// xStep is one step of an XPath: an element's name (or *) and an index
// from 1 (0: the first), or an attribute, or text().
type xStep struct {
	name  string
	index int
	attr  bool
	text  bool
}

// parseXPath reads the XPaths uploaders use: "/files/file[1]/url",
// "//url", "/upload/@link", ".../text()". Anything more (axes,
// predicates other than a position) is refused by name.
func parseXPath(path string) ([]xStep, error) {
	p := strings.TrimSpace(path)
	if p == "" {
		return nil, fmt.Errorf("the XPath %q names nothing", path)
	}
	p = strings.TrimPrefix(p, "//")
	p = strings.TrimPrefix(p, "/")
	var steps []xStep
	for part := range strings.SplitSeq(p, "/") {
		s := xStep{}
		switch {
		case part == "":
			return nil, fmt.Errorf("the XPath %q searches at every depth (//) inside the path, which imagecx does not follow", path)
		case part == "text()":
			s.text = true
		case strings.HasPrefix(part, "@"):
			s.attr, s.name = true, part[1:]
		default:
			name, pred, hasPred := strings.Cut(part, "[")
			s.name = name
			if hasPred {
				n, err := strconv.Atoi(strings.TrimSuffix(pred, "]"))
				if err != nil || !strings.HasSuffix(pred, "]") || n < 1 {
					return nil, fmt.Errorf("the XPath %q has [%s: imagecx follows positions ([1]) only", path, pred)
				}
				s.index = n
			}
			if strings.ContainsAny(name, ":()=") {
				return nil, fmt.Errorf("the XPath %q has %q, which imagecx does not follow (element names, [n], @attribute and text() only)", path, part)
			}
		}
		steps = append(steps, s)
	}
	for i, s := range steps {
		if (s.attr || s.text) && i != len(steps)-1 {
			return nil, fmt.Errorf("the XPath %q goes on after %s", path, map[bool]string{true: "an attribute", false: "text()"}[s.attr])
		}
	}
	return steps, nil
}

// xElem is an element of a parsed XML answer.
type xElem struct {
	name  string
	attrs map[string]string
	text  strings.Builder
	kids  []*xElem
}

// xmlValue follows path in the XML document doc: the text of the element
// it leads to (with its descendants'), or the attribute's value.
func xmlValue(doc, path string) (string, error) {
	steps, err := parseXPath(path)
	if err != nil {
		return "", err
	}
	root := &xElem{}
	stack := []*xElem{root}
	dec := xml.NewDecoder(strings.NewReader(doc))
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", &ResponseError{Want: "XML", Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &xElem{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, e)
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			for _, e := range stack[1:] {
				e.text.Write(t)
			}
		}
	}
	cur := []*xElem{root}
	deep := strings.HasPrefix(strings.TrimSpace(path), "//")
	for i, s := range steps {
		switch {
		case s.text:
			if len(cur) == 0 || cur[0] == root {
				return "", nil
			}
			return cur[0].text.String(), nil
		case s.attr:
			if len(cur) == 0 || cur[0] == root {
				return "", nil
			}
			return cur[0].attrs[s.name], nil
		}
		var next []*xElem
		for _, c := range cur {
			if i == 0 && deep {
				next = append(next, descendants(c, s.name)...)
				continue
			}
			for _, k := range c.kids {
				if s.name == "*" || k.name == s.name {
					next = append(next, k)
				}
			}
		}
		if s.index > 0 {
			if s.index > len(next) {
				return "", nil
			}
			next = next[s.index-1 : s.index]
		}
		cur = next
	}
	if len(cur) == 0 {
		return "", nil
	}
	return strings.TrimSpace(cur[0].text.String()), nil
}

func descendants(e *xElem, name string) []*xElem {
	var out []*xElem
	for _, k := range e.kids {
		if name == "*" || k.name == name {
			out = append(out, k)
		}
		out = append(out, descendants(k, name)...)
	}
	return out
}

// compileRegex compiles a pattern as .NET does (ShareX's regexes use
// look-behind and named groups that Go's regexp lacks), bounded in time.
func compileRegex(pattern string) (*regexp2.Regexp, error) {
	re, err := regexp2.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("the regular expression %q: %v", pattern, err)
	}
	re.MatchTimeout = 2 * time.Second
	return re, nil
}

// regexValue is the first match of re in input, or its group (a number
// or a name); "" when nothing matches.
func regexValue(re *regexp2.Regexp, input, group string) (string, error) {
	m, err := re.FindStringMatch(input)
	if err != nil {
		return "", fmt.Errorf("the regular expression %q: %v", re.String(), err)
	}
	if m == nil {
		return "", nil
	}
	if group == "" {
		return m.String(), nil
	}
	var g *regexp2.Group
	if n, err := strconv.Atoi(group); err == nil {
		g = m.GroupByNumber(n)
	} else {
		g = m.GroupByName(group)
	}
	if g == nil {
		return "", nil
	}
	return g.String(), nil
}
