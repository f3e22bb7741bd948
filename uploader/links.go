package uploader

import (
	"fmt"
	"html"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// LinkFormat is what gets copied after an upload.
type LinkFormat string

const (
	LinkURL      LinkFormat = "url"      // direct link to the image
	LinkViewer   LinkFormat = "viewer"   // the image's page on the site
	LinkMarkdown LinkFormat = "markdown" // ![title](direct)
	LinkHTML     LinkFormat = "html"     // <a href="viewer"><img src="direct" alt="title"></a>
	LinkBBCode   LinkFormat = "bbcode"   // [url=viewer][img]direct[/img][/url]
)

// LinkFormats lists the formats in the order menus show them.
var LinkFormats = []LinkFormat{LinkURL, LinkViewer, LinkMarkdown, LinkHTML, LinkBBCode}

// Label is how menus name the format.
func (f LinkFormat) Label() string {
	switch f {
	case LinkViewer:
		return "Viewer page"
	case LinkMarkdown:
		return "Markdown"
	case LinkHTML:
		return "HTML"
	case LinkBBCode:
		return "BBCode"
	}
	return "Direct link"
}

// ParseLinkFormat checks a format name; "" means LinkURL.
func ParseLinkFormat(s string) (LinkFormat, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "url", "direct":
		return LinkURL, nil
	case "md":
		return LinkMarkdown, nil
	}
	for _, f := range LinkFormats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown link format %q: use url, viewer, markdown, html or bbcode", s)
}

// FormatLink renders r as f. When moderation withholds the direct link the
// viewer page stands in for it.
func FormatLink(r Result, f LinkFormat) string {
	direct, viewer := r.Link(), r.ViewerURL
	alt := altText(r)
	switch f {
	case LinkViewer:
		if viewer != "" {
			return viewer
		}
		return direct
	case LinkMarkdown:
		if r.URL == "" {
			return "[" + mdEscape(alt) + "](" + mdURL(viewer) + ")"
		}
		return "![" + mdEscape(alt) + "](" + mdURL(direct) + ")"
	case LinkHTML:
		if r.URL == "" {
			return `<a href="` + html.EscapeString(viewer) + `">` + html.EscapeString(alt) + `</a>`
		}
		img := `<img src="` + html.EscapeString(direct) + `" alt="` + html.EscapeString(alt) + `"`
		if r.Width > 0 && r.Height > 0 {
			img += ` width="` + strconv.Itoa(r.Width) + `" height="` + strconv.Itoa(r.Height) + `"`
		}
		img += `>`
		if viewer == "" {
			return img
		}
		return `<a href="` + html.EscapeString(viewer) + `">` + img + `</a>`
	case LinkBBCode:
		if r.URL == "" {
			return "[url]" + viewer + "[/url]"
		}
		img := "[img]" + direct + "[/img]"
		if viewer == "" {
			return img
		}
		return "[url=" + viewer + "]" + img + "[/url]"
	}
	return direct
}

func altText(r Result) string {
	if t := strings.TrimSpace(r.Title); t != "" {
		return t
	}
	name := strings.TrimSuffix(r.Filename, path.Ext(r.Filename))
	if name == "" {
		return "image"
	}
	return name
}

var mdSpecial = regexp.MustCompile(`([\\\[\]])`)

func mdEscape(s string) string { return mdSpecial.ReplaceAllString(s, `\$1`) }

// mdURL keeps a URL from ending the Markdown link early.
func mdURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(u)
}
