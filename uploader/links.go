package uploader

import (
	"html"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"imagecx/i18n"
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
		return i18n.T("Viewer page")
	case LinkMarkdown:
		return "Markdown"
	case LinkHTML:
		return "HTML"
	case LinkBBCode:
		return "BBCode"
	}
	return i18n.T("Direct link")
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
	return "", i18n.Errorf("unknown link format {{.format}}: use url, viewer, markdown, html or bbcode", "format", strconv.Quote(s))
}

// FormatLink renders r as f. When moderation withholds the direct link the
// viewer page stands in for it.
func FormatLink(r Result, f LinkFormat) string {
	direct, viewer := r.Link(), r.ViewerURL
	alt := altText(r)
	if r.URL != "" && r.Video() {
		// An image's markup shows no video: a link, or a player.
		switch f {
		case LinkMarkdown:
			return "[" + mdEscape(alt) + "](" + mdURL(direct) + ")"
		case LinkHTML:
			v := `<video src="` + html.EscapeString(direct) + `" controls`
			if r.Width > 0 && r.Height > 0 {
				v += ` width="` + strconv.Itoa(r.Width) + `" height="` + strconv.Itoa(r.Height) + `"`
			}
			return v + `>` + html.EscapeString(alt) + `</video>`
		case LinkBBCode:
			return "[url]" + direct + "[/url]"
		}
	}
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

// maxLink is the longest link accepted from the server.
const maxLink = 2048

// checkLink says why s is not a link to hand out: only one https address
// (plain http on this machine) of sane length, with no spaces or control
// characters, is. A hostile or broken server could otherwise put a second
// line (a shell command), a javascript: address or a megabyte on the
// clipboard and in a notification.
func checkLink(s string) error {
	if len(s) > maxLink {
		return i18n.Errorf("it is {{.n}} characters long", "n", len(s))
	}
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsGraphic(r) {
			return i18n.Errorf("it holds spaces, line breaks or control characters")
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return i18n.Errorf("it is not a web address")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return i18n.Errorf("it is not an https address")
	}
	if u.User != nil {
		return i18n.Errorf("it carries a user name")
	}
	return nil
}

// checkLinks refuses an answer whose link cannot be handed out, and drops
// the other addresses (short link, thumbnail, delete link) that could not
// be.
func checkLinks(r *Result) error {
	for _, l := range []*string{&r.URL, &r.ViewerURL} {
		if *l == "" {
			continue
		}
		if err := checkLink(*l); err != nil {
			return &Error{Kind: ErrBadResponse, Status: 200, Said: i18n.Say("the link in the answer is unusable: {{.why}}", "why", err.Error())}
		}
	}
	for _, l := range []*string{&r.ShortURL, &r.ThumbURL, &r.DeleteURL} {
		if checkLink(*l) != nil {
			*l = ""
		}
	}
	return nil
}
