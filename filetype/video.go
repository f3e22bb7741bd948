package filetype

import (
	"encoding/binary"

	"imagecx/i18n"
)

// Playable reports why data, sniffed as a video, is not one a player
// could play: an MP4 or MOV whose boxes do not add up to the file or hold
// no movie (moov) or no media (mdat, or fragments), a WebM with no
// Segment after its header. nil for a whole video, and for what is not a
// video at all.
func Playable(data []byte) error {
	switch Sniff(data) {
	case "video/mp4", "video/quicktime":
		return playableISOBMFF(data)
	case "video/webm":
		return playableWebM(data)
	}
	return nil
}

// playableISOBMFF walks the top-level boxes.
func playableISOBMFF(data []byte) error {
	var movie, media bool
	for off := 0; off < len(data); {
		rest := data[off:]
		if len(rest) < 8 {
			return i18n.Errorf("the video is cut short")
		}
		size, head := uint64(binary.BigEndian.Uint32(rest)), uint64(8)
		switch size {
		case 0: // to the end of the file
			size = uint64(len(rest))
		case 1: // a 64-bit size follows the type
			if len(rest) < 16 {
				return i18n.Errorf("the video is cut short")
			}
			size, head = binary.BigEndian.Uint64(rest[8:]), 16
		}
		if size < head || size > uint64(len(rest)) {
			return i18n.Errorf("the video is cut short")
		}
		switch string(rest[4:8]) {
		case "moov":
			movie = true
		case "mdat", "moof":
			media = true
		}
		off += int(size)
	}
	if !movie || !media {
		return i18n.Errorf("the file has a video's header but no movie in it")
	}
	return nil
}

// playableWebM reads the EBML header's size and expects the Segment
// (where a WebM's tracks and frames are) right after it.
func playableWebM(data []byte) error {
	n, width := vint(data[4:])
	if width == 0 || uint64(len(data)) < 4+uint64(width)+n+4 {
		return i18n.Errorf("the video is cut short")
	}
	seg := data[4+uint64(width)+n:]
	if binary.BigEndian.Uint32(seg) != 0x18538067 {
		return i18n.Errorf("the file has a video's header but no movie in it")
	}
	return nil
}

// vint decodes an EBML variable-size integer: its value and its width in
// bytes (0 when it is not one).
func vint(b []byte) (uint64, int) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0
	}
	width := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		width++
	}
	if len(b) < width {
		return 0, 0
	}
	v := uint64(b[0] & (0xFF >> width))
	for _, c := range b[1:width] {
		v = v<<8 | uint64(c)
	}
	return v, width
}
