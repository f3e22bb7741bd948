// Package filetype says what a file's bytes are: Sniff names the formats
// image.cx accepts (AVIF, JPEG, PNG, BMP, GIF, WebP, MOV, MP4, WebM) by
// their first bytes, never by a file name, and Ext gives each its usual
// extension. Capturing, picking and uploading all ask it the same way.
package filetype

import (
	"bytes"
	"strings"
)

// Accepted are the MIME types Sniff names: what image.cx takes, for a
// file chooser's filter and a desktop entry's list.
var Accepted = []string{"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/avif",
	"video/mp4", "video/quicktime", "video/webm"}

// Ext is the usual file name extension for a MIME type that Sniff
// returns (".png", ".jpg", ".mov"); "" for "".
func Ext(mime string) string {
	switch mime {
	case "":
		return ""
	case "image/jpeg":
		return ".jpg"
	case "video/quicktime":
		return ".mov"
	case "image/x-bmp":
		return ".bmp"
	}
	return "." + mime[strings.IndexByte(mime, '/')+1:]
}

// Sniff names the format of data if image.cx accepts it (AVIF, JPEG, PNG,
// BMP, GIF, WebP, MOV, MP4, WebM) and returns "" otherwise. Like the
// server, it looks at the bytes, never at a file name.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif"
	case len(data) >= 26 && bytes.HasPrefix(data, []byte("BM")):
		return "image/bmp"
	case len(data) >= 12 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:12]) == "WEBP":
		return "image/webp"
	case bytes.HasPrefix(data, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		if bytes.Contains(data[:min(len(data), 64)], []byte("webm")) {
			return "video/webm"
		}
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return sniffISOBMFF(data)
	}
	return ""
}

// sniffISOBMFF reads the ftyp box: AVIF images, QuickTime and MP4 video.
func sniffISOBMFF(data []byte) string {
	size := int(data[0])<<24 | int(data[1])<<16 | int(data[2])<<8 | int(data[3])
	if size < 16 || size > len(data) {
		size = min(len(data), 64)
	}
	box := data[8:size]
	brands := map[string]bool{}
	for i := 0; i+4 <= len(box); i += 4 {
		if i == 4 { // minor version
			continue
		}
		brands[string(box[i:i+4])] = true
	}
	major := string(box[:4])
	switch {
	case brands["avif"] || brands["avis"]:
		return "image/avif"
	case major == "qt  ":
		return "video/quicktime"
	case major == "heic" || major == "heix" || major == "mif1" || major == "msf1" || major == "hevc":
		return "" // HEIC is not accepted
	}
	return "video/mp4"
}
