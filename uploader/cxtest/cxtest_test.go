package cxtest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"
)

// post sends a raw multipart request the way other Chevereto clients do.
func post(t *testing.T, url string, header map[string]string, fields map[string]string, fileField string, data []byte) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if fileField != "" {
		p, _ := w.CreateFormFile(fileField, "x.png")
		p.Write(data)
	}
	w.Close()
	req, _ := http.NewRequest("POST", url, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func errCode(out map[string]any) float64 {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(float64)
	return c
}

func TestProtocolRules(t *testing.T) {
	s := NewServer(Config{Keys: []string{"K"}, Prefix: "/p"})
	defer s.Close()
	api := s.URL + "/api/1/upload/"

	// The legacy "key" field still works (Chevereto 3 clients, ShareX).
	if code, out := post(t, api, nil, map[string]string{"key": "K", "format": "json"}, "source", tinyPNG); code != 200 || out["image"] == nil {
		t.Fatalf("key field: %d %v", code, out)
	}
	// The key is checked before the source.
	if code, out := post(t, api, nil, map[string]string{"format": "json"}, "", nil); code != 400 || errCode(out) != 100 {
		t.Fatalf("no key: %d %v", code, out)
	}
	if code, out := post(t, api, map[string]string{"X-API-Key": "K"}, nil, "", nil); code != 400 || errCode(out) != 130 {
		t.Fatalf("no source: %d %v", code, out)
	}
	// Only "source" is read as the file.
	if code, out := post(t, api, map[string]string{"X-API-Key": "K"}, nil, "file", tinyPNG); code != 400 || errCode(out) != 130 {
		t.Fatalf("wrong field: %d %v", code, out)
	}
	// A field named image switches to the ImgBB shape.
	if _, out := post(t, api, map[string]string{"X-API-Key": "K"}, map[string]string{"image": "x"}, "source", tinyPNG); out["image"] != nil {
		t.Fatalf("image field: %v", out)
	}
	if code, out := post(t, api, map[string]string{"X-API-Key": "K"}, nil, "source", []byte("GIF? no")); code != 400 || errCode(out) != 400 {
		t.Fatalf("not an image: %d %v", code, out)
	}
	// Outside the prefix there is nothing.
	resp, _ := http.Post(s.URL[:len(s.URL)-2]+"/api/1/upload", "text/plain", nil)
	if resp.StatusCode != 404 {
		t.Fatalf("unprefixed: %d", resp.StatusCode)
	}
	if got := len(s.Stored()); got != 1 {
		t.Fatalf("stored %d", got)
	}
}
