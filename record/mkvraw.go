package record

import (
	"encoding/binary"
	"io"
	"time"
)

// rawMatroska writes frames of RGBA pixels into a Matroska stream, each
// with its own time: how StartFed tells ffmpeg when each frame was read
// (a raw stream has no times; ffmpeg's clock would time them by when a
// slow pipe delivered them).
type rawMatroska struct {
	w io.Writer
}

// EBML element IDs (Matroska's specification).
const (
	idEBML            = 0x1A45DFA3
	idEBMLVersion     = 0x4286
	idEBMLReadVersion = 0x42F7
	idEBMLMaxIDLength = 0x42F2
	idEBMLMaxSizeLen  = 0x42F3
	idDocType         = 0x4282
	idDocTypeVersion  = 0x4287
	idDocTypeReadVer  = 0x4285
	idSegment         = 0x18538067
	idInfo            = 0x1549A966
	idTimestampScale  = 0x2AD7B1
	idMuxingApp       = 0x4D80
	idWritingApp      = 0x5741
	idTracks          = 0x1654AE6B
	idTrackEntry      = 0xAE
	idTrackNumber     = 0xD7
	idTrackUID        = 0x73C5
	idTrackType       = 0x83
	idCodecID         = 0x86
	idVideo           = 0xE0
	idPixelWidth      = 0xB0
	idPixelHeight     = 0xBA
	idColourSpace     = 0x2EB524
	idCluster         = 0x1F43B675
	idTimestamp       = 0xE7
	idSimpleBlock     = 0xA3
)

// element is an EBML element: its ID, its size, its data.
func element(id uint32, data ...[]byte) []byte {
	n := 0
	for _, d := range data {
		n += len(d)
	}
	b := appendID(nil, id)
	b = appendSize(b, uint64(n))
	for _, d := range data {
		b = append(b, d...)
	}
	return b
}

func appendID(b []byte, id uint32) []byte {
	switch {
	case id > 0xFFFFFF:
		return append(b, byte(id>>24), byte(id>>16), byte(id>>8), byte(id))
	case id > 0xFFFF:
		return append(b, byte(id>>16), byte(id>>8), byte(id))
	case id > 0xFF:
		return append(b, byte(id>>8), byte(id))
	}
	return append(b, byte(id))
}

// appendSize writes n in eight bytes (EBML's longest size: any frame
// fits).
func appendSize(b []byte, n uint64) []byte {
	return binary.BigEndian.AppendUint64(b, n|1<<56)
}

func uintElement(id uint32, v uint64) []byte {
	return element(id, binary.BigEndian.AppendUint64(nil, v))
}

// newRawMatroska writes the stream's header: one video track of
// width×height RGBA frames, times in milliseconds.
func newRawMatroska(w io.Writer, width, height int) (*rawMatroska, error) {
	head := element(idEBML,
		uintElement(idEBMLVersion, 1), uintElement(idEBMLReadVersion, 1),
		uintElement(idEBMLMaxIDLength, 4), uintElement(idEBMLMaxSizeLen, 8),
		element(idDocType, []byte("matroska")), uintElement(idDocTypeVersion, 4), uintElement(idDocTypeReadVer, 2))
	// The segment's size is not known: it lasts until the stream ends.
	head = append(appendID(head, idSegment), 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
	head = append(head, element(idInfo,
		uintElement(idTimestampScale, uint64(time.Millisecond)),
		element(idMuxingApp, []byte("imagecx")), element(idWritingApp, []byte("imagecx")))...)
	head = append(head, element(idTracks, element(idTrackEntry,
		uintElement(idTrackNumber, 1), uintElement(idTrackUID, 1), uintElement(idTrackType, 1),
		element(idCodecID, []byte("V_UNCOMPRESSED")),
		element(idVideo, uintElement(idPixelWidth, uint64(width)), uintElement(idPixelHeight, uint64(height)),
			element(idColourSpace, []byte("RGBA")))))...)
	if _, err := w.Write(head); err != nil {
		return nil, err
	}
	return &rawMatroska{w: w}, nil
}

// frame writes pix (width×height RGBA, row after row) shown from at.
func (m *rawMatroska) frame(at time.Duration, pix []byte) error {
	// SimpleBlock: track 1, no time of its own in the cluster, a key
	// frame.
	block := []byte{0x81, 0, 0, 0x80}
	ts := uintElement(idTimestamp, uint64(at/time.Millisecond))
	blockHead := appendSize(appendID(nil, idSimpleBlock), uint64(len(block)+len(pix)))
	head := appendSize(appendID(nil, idCluster), uint64(len(ts)+len(blockHead)+len(block)+len(pix)))
	head = append(append(append(head, ts...), blockHead...), block...)
	if _, err := m.w.Write(head); err != nil {
		return err
	}
	_, err := m.w.Write(pix)
	return err
}
