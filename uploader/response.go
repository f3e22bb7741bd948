package uploader

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Result is what image.cx says about an uploaded file.
type Result struct {
	ID        string `json:"id"`
	Filename  string `json:"filename"`
	MIME      string `json:"mime"`
	Title     string `json:"title,omitempty"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	Size      int64  `json:"size"`
	URL       string `json:"url,omitempty"`        // direct link to the image
	ViewerURL string `json:"url_viewer,omitempty"` // the viewer page
	ShortURL  string `json:"url_short,omitempty"`
	ThumbURL  string `json:"thumb_url,omitempty"`
	// DeleteURL deletes the image on a plain GET: show it, store it, never
	// fetch it unless the user asks to delete.
	DeleteURL string    `json:"delete_url,omitempty"`
	Expires   time.Time `json:"expires,omitzero"`
	// AwaitingApproval is set when the site moderates uploads: the direct
	// link is withheld and the viewer page answers 403 until approved.
	AwaitingApproval bool `json:"awaiting_approval,omitempty"`
}

// Link is the best link to hand out: the direct link, or the viewer page
// when moderation withholds it.
func (r Result) Link() string {
	if r.URL != "" {
		return r.URL
	}
	return r.ViewerURL
}

// Video reports whether the upload is a video (MP4, MOV, WebM): by the
// type the host gave, else by its link's or its file's extension.
func (r Result) Video() bool {
	if r.MIME != "" {
		return strings.HasPrefix(r.MIME, "video/")
	}
	for _, name := range []string{r.URL, r.Filename} {
		if u, err := url.Parse(name); err == nil {
			name = u.Path
		}
		switch strings.ToLower(path.Ext(name)) {
		case ".mp4", ".mov", ".webm", ".m4v":
			return true
		}
	}
	return false
}

// flexInt accepts 12, "12", 12.0, "", null and true/false: Chevereto 3 and
// patched hosts send numbers as strings.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s := strings.Trim(string(b), `"`)
	switch s {
	case "", "null", "false":
		*n = 0
		return nil
	case "true":
		*n = 1
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = flexInt(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return err
	}
	*n = flexInt(f)
	return nil
}

// flexString accepts a string, a number or null.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
		return nil
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	*s = flexString(b)
	return nil
}

type urlObj struct {
	URL flexString `json:"url"`
}

// apiResponse decodes only the fields the client reads.
type apiResponse struct {
	StatusCode flexInt `json:"status_code"`
	Success    *struct {
		Message flexString `json:"message"`
	} `json:"success"`
	Error *struct {
		Message flexString `json:"message"`
		Code    flexInt    `json:"code"`
	} `json:"error"`
	Image *struct {
		IDEncoded  flexString `json:"id_encoded"`
		Filename   flexString `json:"filename"`
		Mime       flexString `json:"mime"`
		Title      flexString `json:"title"`
		Width      flexInt    `json:"width"`
		Height     flexInt    `json:"height"`
		Size       flexInt    `json:"size"`
		URL        flexString `json:"url"`
		URLViewer  flexString `json:"url_viewer"`
		URLShort   flexString `json:"url_short"`
		DisplayURL flexString `json:"display_url"`
		Thumb      *urlObj    `json:"thumb"`
		Expiration flexString `json:"expiration_date_gmt"`
		DeleteURL  flexString `json:"delete_url"`
	} `json:"image"`
}

func (a *apiResponse) result() Result {
	im := a.Image
	r := Result{
		ID:        string(im.IDEncoded),
		Filename:  string(im.Filename),
		MIME:      string(im.Mime),
		Title:     string(im.Title),
		Width:     int(im.Width),
		Height:    int(im.Height),
		Size:      int64(im.Size),
		URL:       string(im.URL),
		ViewerURL: string(im.URLViewer),
		ShortURL:  string(im.URLShort),
		DeleteURL: string(im.DeleteURL),
	}
	if im.Thumb != nil {
		r.ThumbURL = string(im.Thumb.URL)
	}
	if t, err := time.Parse(time.DateTime, string(im.Expiration)); err == nil {
		r.Expires = t.UTC()
	}
	// Moderation removes the direct link; the viewer page is what is left.
	r.AwaitingApproval = r.URL == ""
	return r
}
