package uploader

import (
	"encoding/json"
	"testing"
)

func TestFormatLink(t *testing.T) {
	full := Result{Filename: "shot.png", URL: "https://i.cx/images/shot.png", ViewerURL: "https://i.cx/image/shot.Ab", Width: 10, Height: 20}
	titled := full
	titled.Title = `a [b] "c" <d>`
	moderated := Result{Filename: "shot.png", ViewerURL: "https://i.cx/image/shot.Ab"}
	parens := Result{Filename: "x.png", URL: "https://i.cx/a (1).png"}
	// A video's display_url is a JPEG frame; its link is the video.
	video := Result{Filename: "clip.mp4", MIME: "video/mp4", URL: "https://i.cx/images/clip.mp4", ViewerURL: "https://i.cx/image/clip.Cd", Width: 640, Height: 360}
	untyped := Result{Filename: "clip.webm", URL: "https://i.cx/images/clip.webm?x=1"}
	cases := []struct {
		r    Result
		f    LinkFormat
		want string
	}{
		{full, LinkURL, "https://i.cx/images/shot.png"},
		{full, LinkViewer, "https://i.cx/image/shot.Ab"},
		{full, LinkMarkdown, "![shot](https://i.cx/images/shot.png)"},
		{full, LinkHTML, `<a href="https://i.cx/image/shot.Ab"><img src="https://i.cx/images/shot.png" alt="shot" width="10" height="20"></a>`},
		{full, LinkBBCode, "[url=https://i.cx/image/shot.Ab][img]https://i.cx/images/shot.png[/img][/url]"},
		{titled, LinkMarkdown, `![a \[b\] "c" <d>](https://i.cx/images/shot.png)`},
		{titled, LinkHTML, `<a href="https://i.cx/image/shot.Ab"><img src="https://i.cx/images/shot.png" alt="a [b] &#34;c&#34; &lt;d&gt;" width="10" height="20"></a>`},
		{moderated, LinkURL, "https://i.cx/image/shot.Ab"},
		{moderated, LinkViewer, "https://i.cx/image/shot.Ab"},
		{moderated, LinkMarkdown, "[shot](https://i.cx/image/shot.Ab)"},
		{moderated, LinkHTML, `<a href="https://i.cx/image/shot.Ab">shot</a>`},
		{moderated, LinkBBCode, "[url]https://i.cx/image/shot.Ab[/url]"},
		{parens, LinkMarkdown, "![x](https://i.cx/a%20%281%29.png)"},
		{parens, LinkHTML, `<img src="https://i.cx/a (1).png" alt="x">`},
		{parens, LinkBBCode, "[img]https://i.cx/a (1).png[/img]"},
		{video, LinkURL, "https://i.cx/images/clip.mp4"},
		{video, LinkViewer, "https://i.cx/image/clip.Cd"},
		{video, LinkMarkdown, "[clip](https://i.cx/images/clip.mp4)"},
		{video, LinkHTML, `<video src="https://i.cx/images/clip.mp4" controls width="640" height="360">clip</video>`},
		{video, LinkBBCode, "[url]https://i.cx/images/clip.mp4[/url]"},
		{untyped, LinkMarkdown, "[clip](https://i.cx/images/clip.webm?x=1)"},
		{untyped, LinkBBCode, "[url]https://i.cx/images/clip.webm?x=1[/url]"},
	}
	for _, tc := range cases {
		if got := FormatLink(tc.r, tc.f); got != tc.want {
			t.Errorf("FormatLink(%s, %s)\n got %s\nwant %s", tc.r.Filename, tc.f, got, tc.want)
		}
	}
}

func TestParseLinkFormat(t *testing.T) {
	for in, want := range map[string]LinkFormat{"": LinkURL, "URL": LinkURL, "direct": LinkURL, "viewer": LinkViewer, "md": LinkMarkdown, "markdown": LinkMarkdown, " html ": LinkHTML, "bbcode": LinkBBCode} {
		if got, err := ParseLinkFormat(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseLinkFormat("rtf"); err == nil {
		t.Error("rtf accepted")
	}
}

func TestParseExpiration(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "never": "", "5m": "PT5M", "5 min": "PT5M", "1h": "PT1H", "1d": "P1D", "1w": "P1W", "1mo": "P1M", "2 months": "P2M",
		"1y": "P1Y", "300": "PT300S", "PT5M": "PT5M", "p1d": "P1D", "P1Y2M": "P1Y2M", "PT1H30M": "PT1H30M",
	} {
		if got, err := ParseExpiration(in); err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"soon", "P", "PT", "5x", "-5m", "0m", "P1H"} {
		if got, err := ParseExpiration(bad); err == nil {
			t.Errorf("%q accepted as %q", bad, got)
		}
	}
}

func TestDecodeToleratesDrift(t *testing.T) {
	raw := `{"status_code":"200","image":{"id_encoded":"Ab","width":"1280","height":720.0,"size":"2549674","url":"u","url_viewer":"v","thumb":{"url":"t"},"expiration_date_gmt":"2026-11-28 20:28:00","nsfw":"0"}}`
	var a apiResponse
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		t.Fatal(err)
	}
	r := a.result()
	if r.Width != 1280 || r.Height != 720 || r.Size != 2549674 || r.ThumbURL != "t" || r.Expires.Format("15:04") != "20:28" || a.StatusCode != 200 {
		t.Errorf("%+v", r)
	}
}

func TestSanitize(t *testing.T) {
	key := "chv_secret_key"
	if got := sanitize("bad\nkey chv_secret_key\x00!", key); got != "bad key [redacted] !" {
		t.Errorf("got %q", got)
	}
	long := sanitize(string(make([]rune, 500)), "")
	if len([]rune(long)) > 201 {
		t.Errorf("not bounded: %d runes", len([]rune(long)))
	}
}
