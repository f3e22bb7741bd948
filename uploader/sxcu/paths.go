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

	"imagecx/i18n"
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
		return nil, i18n.Errorf("the JSON path {{.path}} searches at every depth (..), which imagecx does not follow", "path", strconv.Quote(path))
	}
	p := strings.TrimPrefix(strings.TrimPrefix(path, "$"), ".")
	if p == "" {
		return nil, i18n.Errorf("the JSON path {{.path}} names nothing", "path", strconv.Quote(path))
	}
	var steps []jsonStep
	for i := 0; i < len(p); {
		switch {
		case p[i] == '.':
			i++
		case p[i] == '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, i18n.Errorf("the JSON path {{.path}} has a [ without ]", "path", strconv.Quote(path))
			}
			inner := p[i+1 : i+end]
			switch {
			case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
				steps = append(steps, jsonStep{name: inner[1 : len(inner)-1]})
			default:
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 {
					return nil, i18n.Errorf("the JSON path {{.path}} has [{{.inner}}]: imagecx follows indexes ([0]) and quoted names (['key']), not wildcards or filters", "path", strconv.Quote(path), "inner", inner)
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
				return nil, i18n.Errorf("the JSON path {{.path}} has a wildcard (*), which imagecx does not follow", "path", strconv.Quote(path))
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
	v, err := decodeJSON(doc)
	if err != nil {
		return "", err
	}
	return jsonPick(v, path)
}

// decodeJSON reads a JSON document (numbers as written).
func decodeJSON(doc string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &ResponseError{Want: "JSON", Err: err}
	}
	return v, nil
}

// jsonPick follows path in a decoded document.
func jsonPick(v any, path string) (string, error) {
	steps, err := parseJSONPath(path)
	if err != nil {
		return "", err
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
		return nil, i18n.Errorf("the XPath {{.path}} names nothing", "path", strconv.Quote(path))
	}
	p = strings.TrimPrefix(p, "//")
	p = strings.TrimPrefix(p, "/")
	var steps []xStep
	for part := range strings.SplitSeq(p, "/") {
		s := xStep{}
		switch {
		case part == "":
			return nil, i18n.Errorf("the XPath {{.path}} searches at every depth (//) inside the path, which imagecx does not follow", "path", strconv.Quote(path))
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
					return nil, i18n.Errorf("the XPath {{.path}} has [{{.pred}}: imagecx follows positions ([1]) only", "path", strconv.Quote(path), "pred", pred)
				}
				s.index = n
			}
			if strings.ContainsAny(name, ":()=") {
				return nil, i18n.Errorf("the XPath {{.path}} has {{.part}}, which imagecx does not follow (element names, [n], @attribute and text() only)", "path", strconv.Quote(path), "part", strconv.Quote(part))
			}
		}
		steps = append(steps, s)
	}
	for i, s := range steps {
		if (s.attr || s.text) && i != len(steps)-1 {
			if s.attr {
				return nil, i18n.Errorf("the XPath {{.path}} goes on after an attribute", "path", strconv.Quote(path))
			}
			return nil, i18n.Errorf("the XPath {{.path}} goes on after text()", "path", strconv.Quote(path))
		}
	}
	return steps, nil
}

// xElem is an element of a parsed XML answer.
type xElem struct {
	name  string
	attrs map[string]string
	kids  []*xElem
	// from and to are where the element's text (its own and its
	// descendants', in order) is in the document's text: one copy of the
	// text, however deep the nesting.
	from, to int
	doc      *xDoc
}

// text is the element's text with its descendants'.
func (e *xElem) text() string { return e.doc.text.String()[e.from:e.to] }

// xDoc is a parsed XML document.
type xDoc struct {
	root *xElem
	text strings.Builder // every element's character data, in order
}

// xmlValue follows path in the XML document doc: the text of the element
// it leads to (with its descendants'), or the attribute's value.
func xmlValue(doc, path string) (string, error) {
	d, err := decodeXML(doc)
	if err != nil {
		return "", err
	}
	return xmlPick(d, path)
}

// decodeXML reads an XML document, leniently (as .NET does).
func decodeXML(doc string) (*xDoc, error) {
	d := &xDoc{}
	d.root = &xElem{doc: d}
	stack := []*xElem{d.root}
	dec := xml.NewDecoder(strings.NewReader(doc))
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &ResponseError{Want: "XML", Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &xElem{name: t.Name.Local, attrs: map[string]string{}, doc: d, from: d.text.Len()}
			for _, a := range t.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, e)
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) > 1 {
				stack[len(stack)-1].to = d.text.Len()
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 1 {
				d.text.Write(t)
			}
		}
	}
	for _, e := range stack[1:] { // not closed: their text runs to the end
		e.to = d.text.Len()
	}
	return d, nil
}

// xmlPick follows path in a parsed document: the text of the element it
// leads to (with its descendants'), or the attribute's value.
func xmlPick(d *xDoc, path string) (string, error) {
	steps, err := parseXPath(path)
	if err != nil {
		return "", err
	}
	root := d.root
	cur := []*xElem{root}
	deep := strings.HasPrefix(strings.TrimSpace(path), "//")
	for i, s := range steps {
		switch {
		case s.text:
			if len(cur) == 0 || cur[0] == root {
				return "", nil
			}
			return cur[0].text(), nil
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
	return strings.TrimSpace(cur[0].text()), nil
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
		return nil, i18n.Errorf("the regular expression {{.pattern}}: {{.why}}", "pattern", strconv.Quote(pattern), "why", err)
	}
	re.MatchTimeout = 2 * time.Second
	return re, nil
}

// regexValue is the first match of re in input, or its group (a number
// or a name); "" when nothing matches.
func regexValue(re *regexp2.Regexp, input, group string) (string, error) {
	m, err := re.FindStringMatch(input)
	if err != nil {
		// regexp2's error quotes the whole input (the answer, megabytes):
		// only the pattern is said.
		return "", i18n.Errorf("the regular expression {{.pattern}} took longer than {{.time}} on the answer", "pattern", strconv.Quote(clip(re.String(), 100)), "time", re.MatchTimeout.Round(time.Millisecond))
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
