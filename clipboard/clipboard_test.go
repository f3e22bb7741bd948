package clipboard

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestReadBest(t *testing.T) {
	owner := map[string]string{
		"image/png":     "PNG",
		"image/x-bmp":   "BMP",
		"image/gif":     "", // offered, but empty
		"text/uri-list": "file:///a.png\r\nfile:///b%20c.jpg\n",
		"UTF8_STRING":   "words",
	}
	for _, c := range []struct {
		types []string
		want  Content
		asked []string
	}{
		{[]string{"TARGETS", "UTF8_STRING", "image/png", "text/uri-list"}, Content{Kind: Image, Image: []byte("PNG"), MIME: "image/png"}, []string{"image/png"}},
		{[]string{"image/gif", "image/x-bmp"}, Content{Kind: Image, Image: []byte("BMP"), MIME: "image/bmp"}, []string{"image/x-bmp"}},
		{[]string{"image/gif", "UTF8_STRING"}, Content{Kind: Text, Text: "words"}, []string{"image/gif", "UTF8_STRING"}},
		{[]string{"UTF8_STRING", "text/uri-list"}, Content{Kind: Files, Files: []string{"/a.png", "/b c.jpg"}}, []string{"text/uri-list"}},
		{nil, Content{Kind: Text, Text: "words"}, []string{"UTF8_STRING"}},
		{[]string{"application/x-other"}, Content{Kind: Empty}, nil},
	} {
		var asked []string
		got, err := readBest(context.Background(), c.types, func(_ context.Context, t string) ([]byte, error) {
			asked = append(asked, t)
			return []byte(owner[t]), nil
		})
		if err != nil || !reflect.DeepEqual(got, c.want) || !reflect.DeepEqual(asked, c.asked) {
			t.Errorf("types %v: got %+v %v, asked %v; want %+v, asked %v", c.types, got, err, asked, c.want, c.asked)
		}
	}
	_, err := readBest(context.Background(), []string{"image/png"}, func(context.Context, string) ([]byte, error) {
		return nil, errors.New("owner died")
	})
	if err == nil {
		t.Error("a failed fetch was not reported")
	}
}
