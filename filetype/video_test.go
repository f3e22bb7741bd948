package filetype

import (
	"encoding/binary"
	"testing"
)

func box(typ string, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

func TestPlayable(t *testing.T) {
	ftyp := box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41"))
	moov, mdat := box("moov", make([]byte, 40)), box("mdat", make([]byte, 100))
	join := func(parts ...[]byte) (out []byte) {
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	large := join(ftyp, moov, []byte{0, 0, 0, 1}, []byte("mdat"), binary.BigEndian.AppendUint64(nil, 16+4), []byte("data"))
	ebml := []byte{0x1A, 0x45, 0xDF, 0xA3, 0x88, 'w', 'e', 'b', 'm', 0, 0, 0, 0}
	webm := join(ebml, []byte{0x18, 0x53, 0x80, 0x67, 0x81, 0})
	for name, c := range map[string]struct {
		data []byte
		ok   bool
	}{
		"mp4":                           {join(ftyp, moov, mdat), true},
		"mdat before moov":              {join(ftyp, mdat, moov), true},
		"64-bit mdat":                   {large, true},
		"mdat to the end (size 0)":      {join(ftyp, moov, []byte{0, 0, 0, 0}, []byte("mdat"), make([]byte, 30)), true},
		"webm":                          {webm, true},
		"not a video":                   {[]byte("\x89PNG\r\n\x1a\n...."), true},
		"an ftyp box alone":             {ftyp, false},
		"ftyp then noise":               {join(ftyp, []byte("this is not a movie at all, only text")), false},
		"no media":                      {join(ftyp, moov), false},
		"cut short":                     {join(ftyp, moov, mdat)[:len(ftyp)+len(moov)+50], false},
		"a box smaller than its header": {join(ftyp, []byte{0, 0, 0, 4}, []byte("moov")), false},
		"webm header alone":             {ebml, false},
		"webm, no segment":              {join(ebml, []byte{0x1F, 0x43, 0xB6, 0x75, 0x80}), false},
	} {
		if err := Playable(c.data); (err == nil) != c.ok {
			t.Errorf("%s: %v", name, err)
		}
	}
}
