package sxcu

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/dlclark/regexp2/v2"

	"imagecx/i18n"
)

// A Template is one of an uploader's texts with dynamic parts: the
// current syntax ("{json:data.url}") or, in uploaders written before
// ShareX 13.7.1, the older one ("$json:data.url$"), both read into the
// same calls.
type Template struct {
	src   string
	nodes []node
	// names says ShareX's name codes (%y…) are filled into the text
	// (parameters, headers, arguments).
	names bool
}

// node is literal text, or a call of a function with its arguments
// (themselves templates).
type node struct {
	text string
	fn   string // "" for text
	args [][]node
	// regexRef is an old-syntax "$1$" or "$regex:1|2$": the RegexList
	// entry (1-based) and the group, "" for the whole match.
	regexRef int
	group    string
}

// String is the template as written.
func (t *Template) String() string {
	if t == nil {
		return ""
	}
	return t.src
}

// Empty says whether there is nothing to the template.
func (t *Template) Empty() bool { return t == nil || t.src == "" }

// SyntaxError is a template that cannot be read.
type SyntaxError struct {
	Src string
	At  int // byte offset
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%q, at character %d: %s", e.Src, e.At+1, e.Msg)
}

// parseTemplate reads src in the current syntax ({…}, \ escapes).
// ShareX stops at a stray "|" or "}" outside a call and drops the rest;
// here that is an error, so nothing is silently cut off.
func parseTemplate(src string) (*Template, error) {
	p := &tparser{src: src}
	nodes, err := p.seq(false)
	if err != nil {
		return nil, err
	}
	if p.i < len(src) {
		return nil, &SyntaxError{src, p.i, fmt.Sprintf("a %q outside {…} (write \\%s for the character itself)", src[p.i], string(src[p.i]))}
	}
	return &Template{src: src, nodes: nodes}, nil
}

type tparser struct {
	src   string
	i     int
	depth int // calls open around p.i
}

// MaxNesting is how deep calls may sit in one another's arguments
// ({base64:{json:…}} is 2): ShareX's uploaders need 3 at most, and each
// level can multiply what the one above it makes.
const MaxNesting = 8

// seq reads text and calls up to a "|" or "}" (or the end).
func (p *tparser) seq(inCall bool) ([]node, error) {
	var out []node
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, node{text: text.String()})
			text.Reset()
		}
	}
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch c {
		case '\\':
			if p.i+1 >= len(p.src) {
				return nil, &SyntaxError{p.src, p.i, "a \\ with nothing after it"}
			}
			if p.src[p.i+1] == '%' {
				text.WriteString(escapedPercent)
			} else {
				text.WriteByte(p.src[p.i+1])
			}
			p.i += 2
			continue
		case '{':
			flush()
			n, err := p.call()
			if err != nil {
				return nil, err
			}
			out = append(out, n)
			continue
		case '}', '|':
			flush()
			return out, nil
		}
		text.WriteByte(c)
		p.i++
	}
	flush()
	if inCall {
		return nil, &SyntaxError{p.src, len(p.src), "a { that is never closed with }"}
	}
	return out, nil
}

// call reads "{name}" or "{name:arg|arg…}"; p.i is at the "{".
func (p *tparser) call() (node, error) {
	start := p.i
	if p.depth >= MaxNesting {
		return node{}, &SyntaxError{p.src, start, fmt.Sprintf("calls nested more than %d deep", MaxNesting)}
	}
	p.depth++
	defer func() { p.depth-- }()
	p.i++
	var name strings.Builder
	for p.i < len(p.src) && p.src[p.i] != ':' && p.src[p.i] != '}' {
		if p.src[p.i] == '{' || p.src[p.i] == '|' || p.src[p.i] == '\\' {
			return node{}, &SyntaxError{p.src, p.i, fmt.Sprintf("%q in a function's name", p.src[p.i])}
		}
		name.WriteByte(p.src[p.i])
		p.i++
	}
	if p.i >= len(p.src) {
		return node{}, &SyntaxError{p.src, start, "a { that is never closed with }"}
	}
	n := node{fn: strings.ToLower(strings.TrimSpace(name.String()))}
	if n.fn == "" {
		return node{}, &SyntaxError{p.src, start, "{} names no function"}
	}
	if p.src[p.i] == ':' {
		for {
			p.i++ // past ":" or "|"
			arg, err := p.seq(true)
			if err != nil {
				return node{}, err
			}
			n.args = append(n.args, arg)
			if p.src[p.i] == '}' {
				break
			}
		}
	}
	p.i++ // past "}"
	return n, nil
}

// parseOldTemplate reads src in the syntax of uploaders before ShareX
// 13.7.1: "$name$" or "$name:arg|arg$" (arguments are plain text), "\"
// escapes, and "$1$" or "$1,2$" for a RegexList match.
func parseOldTemplate(src string) (*Template, error) {
	var nodes []node
	var text strings.Builder
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			i++
			if src[i] == '%' {
				text.WriteString(escapedPercent)
			} else {
				text.WriteByte(src[i])
			}
		case c == '$':
			end := strings.IndexByte(src[i+1:], '$')
			if end < 0 {
				return nil, &SyntaxError{src, i, "a $ that is never closed with another $"}
			}
			if text.Len() > 0 {
				nodes = append(nodes, node{text: text.String()})
				text.Reset()
			}
			inner := src[i+1 : i+1+end]
			n, err := oldCall(src, i, inner)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
			i += end + 1
		default:
			text.WriteByte(c)
		}
	}
	if text.Len() > 0 {
		nodes = append(nodes, node{text: text.String()})
	}
	return &Template{src: src, nodes: nodes}, nil
}

// oldCall is one "$…$" of the old syntax.
func oldCall(src string, at int, inner string) (node, error) {
	if inner == "" {
		return node{}, &SyntaxError{src, at, "$$ names nothing"}
	}
	// "$1$", "$1,2$", "$1|url$": the first RegexList entry's match.
	if inner[0] >= '0' && inner[0] <= '9' {
		return regexRef(src, at, inner)
	}
	name, arg, hasArg := strings.Cut(inner, ":")
	n := node{fn: strings.ToLower(name)}
	if n.fn == "regex" && hasArg {
		return regexRef(src, at, arg)
	}
	if hasArg {
		if n.fn == "random" || n.fn == "select" || n.fn == "prompt" {
			for a := range strings.SplitSeq(arg, "|") {
				n.args = append(n.args, []node{{text: a}})
			}
		} else {
			n.args = [][]node{{{text: arg}}}
		}
	}
	return n, nil
}

func regexRef(src string, at int, s string) (node, error) {
	digits := 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	idx, err := strconv.Atoi(s[:digits])
	if err != nil || idx < 1 {
		return node{}, &SyntaxError{src, at, fmt.Sprintf("%q names no RegexList entry (they count from 1)", s)}
	}
	n := node{fn: "regexlist", regexRef: idx}
	if rest := s[digits:]; rest != "" {
		if rest[0] != '|' && rest[0] != ',' || len(rest) == 1 {
			return node{}, &SyntaxError{src, at, fmt.Sprintf("%q: a RegexList entry is followed by | and a group", s)}
		}
		n.group = rest[1:]
	}
	return n, nil
}

// Side is where a template is used: in the request, or on its answer.
type Side int

// The sides.
const (
	RequestSide Side = iota
	ResponseSide
)

// functions are the functions a template may call, by side, with their
// least and most arguments (-1: any number).
var functions = map[string]struct {
	sides    []Side
	min, max int
	asks     bool // needs a person to answer
}{
	"input":       {[]Side{RequestSide}, 0, 0, false},
	"filename":    {[]Side{RequestSide, ResponseSide}, 0, 0, false},
	"random":      {[]Side{RequestSide, ResponseSide}, 2, -1, false},
	"base64":      {[]Side{RequestSide, ResponseSide}, 1, 1, false},
	"select":      {[]Side{RequestSide}, 2, -1, true},
	"prompt":      {[]Side{RequestSide}, 0, 2, true},
	"inputbox":    {[]Side{RequestSide}, 0, 2, true},
	"response":    {[]Side{ResponseSide}, 0, 0, false},
	"responseurl": {[]Side{ResponseSide}, 0, 0, false},
	"header":      {[]Side{ResponseSide}, 1, 1, false},
	"json":        {[]Side{ResponseSide}, 1, 2, false},
	"xml":         {[]Side{ResponseSide}, 1, 2, false},
	"regex":       {[]Side{ResponseSide}, 1, 3, false},
	"regexlist":   {[]Side{ResponseSide}, 0, 0, false},
}

// check says what in t cannot work where it is used: a function imagecx
// does not know or cannot call there, the wrong number of arguments, a
// path it cannot follow, a RegexList entry that is not there.
func (t *Template) check(field string, side Side, regexes int) error {
	if t == nil {
		return nil
	}
	var walk func(ns []node) error
	walk = func(ns []node) error {
		for _, n := range ns {
			if n.fn == "" {
				if t.names {
					if err := checkNames(n.text); err != nil {
						return i18n.Errorf("{{.field}}: {{.why}}", "field", field, "why", err)
					}
				}
				continue
			}
			f, ok := functions[n.fn]
			if !ok {
				if n.fn == "output" || n.fn == "outputbox" {
					return i18n.Errorf("{{.field}}: {{.function}} shows a window of ShareX's own, which imagecx does not have", "field", field, "function", "{"+n.fn+"}")
				}
				return i18n.Errorf("{{.field}}: {{.function}} is not a function imagecx knows (it knows {{.known}})", "field", field, "function", "{"+n.fn+"}", "known", knownFunctions())
			}
			if !sideOK(f.sides, side) {
				if side == ResponseSide {
					return i18n.Errorf("{{.field}}: {{.function}} cannot be used in what is read from the answer", "field", field, "function", "{"+n.fn+"}")
				}
				return i18n.Errorf("{{.field}}: {{.function}} cannot be used in the request", "field", field, "function", "{"+n.fn+"}")
			}
			if len(n.args) < f.min || (f.max >= 0 && len(n.args) > f.max) {
				return i18n.Errorf("{{.field}}: {{.function}} takes {{.takes}}, not {{.n}}", "field", field, "function", "{"+n.fn+"}", "takes", argCount(f.min, f.max), "n", len(n.args))
			}
			if n.fn == "regexlist" && n.regexRef > regexes {
				return i18n.Errorf("{{.field}}: ${{.n}}$ names RegexList entry {{.n}}, and the list has {{.count}}", "field", field, "n", n.regexRef, "count", regexes)
			}
			if (n.fn == "json" || n.fn == "xml" || n.fn == "regex") && constant(n.args[pathArg(n)]) {
				if err := checkPath(n.fn, plain(n.args[pathArg(n)])); err != nil {
					return i18n.Errorf("{{.field}}: {{.why}}", "field", field, "why", err)
				}
			}
			for _, a := range n.args {
				if err := walk(a); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(t.nodes)
}

// pathArg is the index of the argument of a json, xml or regex call that
// holds its path or pattern.
func pathArg(n node) int {
	switch {
	case n.fn == "regex" && len(n.args) == 3:
		return 1
	case n.fn == "regex":
		return 0
	case len(n.args) == 2:
		return 1
	}
	return 0
}

func checkPath(fn, path string) error {
	switch fn {
	case "json":
		_, err := parseJSONPath(path)
		return err
	case "xml":
		_, err := parseXPath(path)
		return err
	case "regex":
		_, err := compileRegex(path)
		return err
	}
	return nil
}

func sideOK(sides []Side, s Side) bool {
	for _, x := range sides {
		if x == s {
			return true
		}
	}
	return false
}

func argCount(lo, hi int) i18n.Text {
	switch {
	case hi < 0:
		return i18n.Say("{{.n}} or more arguments", "n", lo)
	case lo == hi && lo == 0:
		return i18n.Say("no arguments")
	case lo == hi && lo == 1:
		return i18n.Say("one argument")
	case lo == hi:
		return i18n.Say("{{.n}} arguments", "n", lo)
	}
	return i18n.Say("{{.n}} to {{.most}} arguments", "n", lo, "most", hi)
}

func knownFunctions() string {
	return "input, filename, random, base64, select, prompt, inputbox, response, responseurl, header, json, xml, regex"
}

// constant says whether an argument holds no call (its value is known
// before the upload).
func constant(ns []node) bool {
	for _, n := range ns {
		if n.fn != "" {
			return false
		}
	}
	return true
}

func plain(ns []node) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString(n.text)
	}
	return b.String()
}

// asks says whether t needs a person to answer a question.
func (t *Template) asks() bool {
	if t == nil {
		return false
	}
	var walk func(ns []node) bool
	walk = func(ns []node) bool {
		for _, n := range ns {
			if functions[n.fn].asks {
				return true
			}
			for _, a := range n.args {
				if walk(a) {
					return true
				}
			}
		}
		return false
	}
	return walk(t.nodes)
}

// Asker asks the person a question for {prompt} ({inputbox}) and
// {select}: options is nil for a prompt.
type Asker func(title string, options []string, def string) (string, error)

// env is what a template is evaluated with.
type env struct {
	fileName, input string
	urlEncode       bool // the file name and input are URL-encoded (in the request URL, and links)
	resp            *answer
	ask             Asker
	rand            *rand.Rand
	now             time.Time // for name codes
	budget          *budget
}

// The bounds of the work an uploader's templates may ask for, on each side
// of one upload (the request's fields together, the answer's together):
// ShareX's uploaders need a handful of calls and a few kB; a hostile one
// ({response} two thousand times over a 4 MB answer, {json:…} three
// thousand times) fails with a sentence instead of taking the memory or
// the time of the machine.
const (
	MaxCalls  = 256
	MaxOutput = 3 * MaxAnswer // bytes made, the calls' results and the text together
	MaxTime   = 10 * time.Second
)

// ErrBudget is an uploader whose templates ask for more than those bounds.
var ErrBudget error = i18n.Errorf("its templates ask for more work than imagecx does for one upload")

// budget is what is left of the bounds.
type budget struct {
	calls, out int
	deadline   time.Time
}

func newBudget(now time.Time) *budget {
	return &budget{calls: MaxCalls, out: MaxOutput, deadline: now.Add(MaxTime)}
}

// spend takes n bytes of output (and a call when call is set) from the
// budget, or says it is spent.
func (b *budget) spend(n int, call bool) error {
	if b == nil {
		return nil
	}
	if call {
		b.calls--
		if b.calls < 0 {
			return i18n.Errorf("{{.why}} (more than {{.n}} calls)", "why", ErrBudget, "n", MaxCalls)
		}
		if time.Now().After(b.deadline) {
			return i18n.Errorf("{{.why}} (more than {{.time}})", "why", ErrBudget, "time", MaxTime)
		}
	}
	b.out -= n
	if b.out < 0 {
		return i18n.Errorf("{{.why}} (more than {{.mb}} MB of text)", "why", ErrBudget, "mb", MaxOutput>>20)
	}
	return nil
}

// bound keeps a regular expression's match within the time left.
func (e *env) bound(re *regexp2.Regexp) {
	if e.budget != nil {
		re.MatchTimeout = max(min(re.MatchTimeout, time.Until(e.budget.deadline)), time.Millisecond)
	}
}

// newRand is a source for {random}.
func newRand() *rand.Rand { return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())) }

// ErrNobodyToAsk is a {prompt} or {select} where no one can answer.
var ErrNobodyToAsk error = i18n.Errorf("it asks a question ({prompt} or {select}), and nobody is there to answer it")

// eval is t's value.
func (t *Template) eval(e *env) (string, error) {
	if t == nil {
		return "", nil
	}
	return evalNodes(t.nodes, e, t.names)
}

func evalNodes(ns []node, e *env, names bool) (string, error) {
	var b strings.Builder
	for _, n := range ns {
		if n.fn == "" {
			text := n.text
			if names {
				text = expandNames(text, e.now, e.rand)
			}
			if err := e.budget.spend(len(text), false); err != nil {
				return "", err
			}
			b.WriteString(strings.ReplaceAll(text, escapedPercent, "%"))
			continue
		}
		if err := e.budget.spend(0, true); err != nil {
			return "", err
		}
		var args []string
		for _, a := range n.args {
			v, err := evalNodes(a, e, names)
			if err != nil {
				return "", err
			}
			args = append(args, v)
		}
		v, err := call(n, args, e)
		if err != nil {
			return "", err
		}
		if err := e.budget.spend(len(v), false); err != nil {
			return "", err
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

func (e *env) encode(s string) string {
	if e.urlEncode {
		return escapeData(s)
	}
	return s
}

// escapeData percent-encodes every byte but the unreserved ones (as
// .NET's Uri.EscapeDataString, which ShareX uses): right in a path and
// in a query alike.
func escapeData(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// call runs one function.
func call(n node, args []string, e *env) (string, error) {
	switch n.fn {
	case "input":
		return e.encode(e.input), nil
	case "filename":
		return e.encode(e.fileName), nil
	case "random":
		return args[e.rand.IntN(len(args))], nil
	case "base64":
		return base64.StdEncoding.EncodeToString([]byte(args[0])), nil
	case "select", "prompt", "inputbox":
		if e.ask == nil {
			return "", i18n.Errorf("{{.function}}: {{.why}}", "function", "{"+n.fn+"}", "why", ErrNobodyToAsk)
		}
		if n.fn == "select" {
			return e.ask("Choose", args, "")
		}
		title, def := "imagecx", ""
		if len(args) > 0 && args[0] != "" {
			title = args[0]
		}
		if len(args) > 1 {
			def = args[1]
		}
		return e.ask(title, nil, def)
	}
	if e.resp == nil {
		return "", i18n.Errorf("{{.function}} reads the answer, and there is none yet", "function", "{"+n.fn+"}")
	}
	r := e.resp
	switch n.fn {
	case "response":
		return r.text, nil
	case "responseurl":
		return r.url, nil
	case "header":
		return r.header.Get(args[0]), nil
	case "json":
		if len(args) == 2 {
			return jsonValue(args[0], args[1])
		}
		doc, err := r.json()
		if err != nil {
			return "", err
		}
		return jsonPick(doc, args[0])
	case "xml":
		if len(args) == 2 {
			return xmlValue(args[0], args[1])
		}
		doc, err := r.xml()
		if err != nil {
			return "", err
		}
		return xmlPick(doc, args[0])
	case "regex":
		input, pattern, group := r.text, args[0], ""
		switch len(args) {
		case 2:
			group = args[1]
		case 3:
			input, pattern, group = args[0], args[1], args[2]
		}
		re, err := compileRegex(pattern)
		if err != nil {
			return "", err
		}
		e.bound(re)
		return regexValue(re, input, group)
	case "regexlist":
		if n.regexRef > len(r.regexes) {
			return "", i18n.Errorf("${{.n}}$: the RegexList has {{.count}} entries", "n", n.regexRef, "count", len(r.regexes))
		}
		re := r.regexes[n.regexRef-1]
		e.bound(re)
		return regexValue(re, r.text, n.group)
	}
	return "", i18n.Errorf("{{.function}} is not a function imagecx knows", "function", "{"+n.fn+"}")
}
