package wlglobals

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"path/filepath"
	"reflect"
	"testing"
)

// event is a Wayland event on object obj.
func event(obj, opcode uint32, body []byte) []byte {
	b := make([]byte, 8, 8+len(body))
	binary.LittleEndian.PutUint32(b, obj)
	binary.LittleEndian.PutUint32(b[4:], uint32(8+len(body))<<16|opcode)
	return append(b, body...)
}

func global(name uint32, iface string, version uint32) []byte {
	s := append([]byte(iface), 0)
	for len(s)%4 != 0 {
		s = append(s, 0)
	}
	b := binary.LittleEndian.AppendUint32(nil, name)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(iface)+1))
	b = append(b, s...)
	return binary.LittleEndian.AppendUint32(b, version)
}

// A compositor on a socket that answers as KWin does: the globals, then
// the sync's done.
func TestList(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "wayland-9")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		req := make([]byte, 24)
		if _, err := io.ReadFull(c, req); err != nil {
			return
		}
		var out []byte
		out = append(out, event(2, 0, global(1, "wl_compositor", 5))...)
		out = append(out, event(2, 0, global(7, "zwlr_data_control_manager_v1", 2))...)
		out = append(out, event(1, 1, binary.LittleEndian.AppendUint32(nil, 3))...) // delete_id
		out = append(out, event(3, 0, binary.LittleEndian.AppendUint32(nil, 42))...)
		c.Write(out)
	}()
	getenv := func(k string) string {
		return map[string]string{"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": filepath.Dir(sock)}[k]
	}
	names, err := List(context.Background(), Socket(getenv))
	if err != nil || !reflect.DeepEqual(names, []string{"wl_compositor", "zwlr_data_control_manager_v1"}) {
		t.Fatalf("%q %v", names, err)
	}
	if Offers(context.Background(), filepath.Join(t.TempDir(), "none"), "wl_compositor") {
		t.Error("a missing compositor offers something")
	}
}
