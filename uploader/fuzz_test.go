package uploader

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// The parts of the client that read what a server or a file hands over,
// fuzzed: `make test` runs each for a few seconds (scripts/fuzz.sh).

// FuzzResponse: any answer decodes without a panic, and a link that
// survives is one that may be handed out.
func FuzzResponse(f *testing.F) {
	f.Add([]byte(`{"status_code":200,"image":{"id_encoded":"Ab","url":"https://i.cx/a.png","url_viewer":"https://i.cx/image/a.Ab","thumb":{"url":"https://i.cx/a.th.png"},"delete_url":"https://i.cx/image/Ab/delete/00"}}`))
	f.Add([]byte(`{"status_code":"200","image":{"width":"12","height":1.5e3,"size":true,"url":"javascript:x","expiration_date_gmt":"2026-11-28 20:28:00"}}`))
	f.Add([]byte(`{"status_code":400,"error":{"message":"Invalid API key.","code":"100"}}`))
	f.Add([]byte(`{"image":{"url":"https://i.cx/a\npng","url_short":"http://evil.example/"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a apiResponse
		if json.Unmarshal(data, &a) != nil || a.Image == nil {
			return
		}
		r := a.result()
		if checkLinks(&r) != nil {
			return
		}
		for _, l := range []string{r.URL, r.ViewerURL, r.ShortURL, r.ThumbURL, r.DeleteURL} {
			if l != "" && checkLink(l) != nil {
				t.Fatalf("link %q kept", l)
			}
		}
		for _, f := range LinkFormats {
			if strings.ContainsAny(FormatLink(r, f), "\r\n\x00") {
				t.Fatalf("%s link spans lines: %q", f, FormatLink(r, f))
			}
		}
	})
}

// FuzzSanitize: a server's message never shows the key, in any form the
// cleaning turns it into, and comes out as one bounded line.
func FuzzSanitize(f *testing.F) {
	f.Add("Invalid API key chv_abc_123", "chv_abc_123")
	f.Add("0\x0001", "0 01")
	f.Add("ted]ted]abcabc", "ted]abc")
	f.Add("[redacted]", "dact")
	f.Fuzz(func(t *testing.T, msg, key string) {
		got := sanitize(msg, key)
		if len(key) >= 4 && (strings.Contains(got, key) || strings.Contains(got, oneLine(key))) {
			t.Fatalf("sanitize(%q, %q) = %q shows the key", msg, key, got)
		}
		if strings.ContainsFunc(got, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Fatalf("control characters in %q", got)
		}
		if n := utf8.RuneCountInString(got); n > 201 {
			t.Fatalf("%d characters", n)
		}
	})
}
