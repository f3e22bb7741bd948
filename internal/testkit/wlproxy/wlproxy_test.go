//go:build linux

package wlproxy

import (
	"encoding/binary"
	"slices"
	"testing"
)

// message is a Wayland message: object, opcode, 32-bit words.
func message(obj, op uint32, words ...uint32) []byte {
	b := binary.LittleEndian.AppendUint32(nil, obj)
	b = binary.LittleEndian.AppendUint32(b, uint32(header+4*len(words))<<16|op)
	for _, w := range words {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	return b
}

// A frame of a version 3 manager gets a linux_dmabuf event after its
// buffer event, in the format's DRM code; a version 1 frame (grim), a
// destroyed frame and other events pass unchanged.
func TestFramesAnnounceDMABUF(t *testing.T) {
	c := &conn{registries: map[uint32]bool{}, managers: map[uint32]uint32{}, frames: map[uint32]uint32{}}
	c.request(message(1, displayGetRegistry, 2))
	iface := []byte("zwlr_screencopy_manager_v1\x00\x00") // 27 bytes and the NUL, padded to 28
	words := []uint32{7, 27}
	for i := 0; i < len(iface); i += 4 {
		words = append(words, binary.LittleEndian.Uint32(iface[i:]))
	}
	c.request(message(2, registryBind, append(slices.Clone(words), 3, 10)...)) // manager 10, version 3
	c.request(message(2, registryBind, append(slices.Clone(words), 1, 11)...)) // manager 11, version 1
	c.request(message(10, managerCapture, 20, 1, 5))
	c.request(message(11, managerCapture, 21, 1, 5))

	buffer := message(20, frameBuffer, 1, 1280, 720, 5120)
	want := append(slices.Clone(buffer), message(20, frameLinuxDMABUF, 0x34325258, 1280, 720)...)
	if got := c.event(buffer); !slices.Equal(got, want) {
		t.Errorf("a version 3 frame's buffer event:\n%x\nwant\n%x", got, want)
	}
	for _, m := range [][]byte{message(21, frameBuffer, 1, 1280, 720, 5120), message(20, 2, 0, 0, 0)} {
		if got := c.event(m); !slices.Equal(got, m) {
			t.Errorf("%x became %x", m, got)
		}
	}
	c.request(message(20, frameDestroy))
	if got := c.event(buffer); !slices.Equal(got, buffer) {
		t.Errorf("a destroyed frame's id: %x became %x", buffer, got)
	}
}
