package portal

import (
	"context"
	"fmt"
	"image"
	"os"

	"github.com/godbus/dbus/v5"
)

const screenCastIf = "org.freedesktop.portal.ScreenCast"

// ScreenCast is a screen cast session of the ScreenCast portal: the
// PipeWire stream of one monitor, and the connection to PipeWire that
// reads it.
type ScreenCast struct {
	conn    *dbus.Conn
	session dbus.ObjectPath
	// Node is the stream's PipeWire node; Monitor its place and size in
	// the desktop's layout (logical pixels), when the portal says them
	// (the frames have the monitor's own pixels: more, where it is
	// scaled).
	Node    uint32
	Monitor image.Rectangle
	// Remote is the PipeWire connection the stream is read through
	// (pipewiresrc fd=…); the caller closes it.
	Remote *os.File
	// RestoreToken, when the portal gives one, starts the next session on
	// the same monitor without asking (persist_mode 2: until revoked).
	RestoreToken string
}

// StartScreenCast asks the portal for a monitor's stream, the pointer in
// its frames: restore (a token of an earlier session; "" for none) lets
// it skip its question where it keeps the answer. ErrUnavailable: no
// ScreenCast portal; ErrCancelled: the person said no.
func StartScreenCast(ctx context.Context, conn *dbus.Conn, restore string) (*ScreenCast, error) {
	res, err := Request(ctx, conn, screenCastIf, "CreateSession", func(token string) []any {
		return []any{map[string]dbus.Variant{
			"handle_token":         dbus.MakeVariant(token),
			"session_handle_token": dbus.MakeVariant(Token()),
		}}
	})
	if err != nil {
		return nil, err
	}
	handle, _ := res["session_handle"].Value().(string)
	if handle == "" {
		if p, ok := res["session_handle"].Value().(dbus.ObjectPath); ok {
			handle = string(p)
		}
	}
	if handle == "" {
		return nil, fmt.Errorf("%w: no session in the answer", ErrFailed)
	}
	s := &ScreenCast{conn: conn, session: dbus.ObjectPath(handle)}
	fail := func(err error) (*ScreenCast, error) {
		s.Close()
		return nil, err
	}
	// The pointer drawn in the frames where the portal can (2), else
	// whatever it does.
	cursor := uint32(2)
	if v, err := conn.Object(Name, Path).GetProperty(screenCastIf + ".AvailableCursorModes"); err == nil {
		if modes, ok := v.Value().(uint32); ok && modes&2 == 0 {
			cursor = 0
		}
	}
	if _, err := Request(ctx, conn, screenCastIf, "SelectSources", func(token string) []any {
		opts := map[string]dbus.Variant{
			"handle_token": dbus.MakeVariant(token),
			"types":        dbus.MakeVariant(uint32(1)), // a monitor
			"multiple":     dbus.MakeVariant(false),
			"persist_mode": dbus.MakeVariant(uint32(2)),
		}
		if cursor != 0 {
			opts["cursor_mode"] = dbus.MakeVariant(cursor)
		}
		if restore != "" {
			opts["restore_token"] = dbus.MakeVariant(restore)
		}
		return []any{s.session, opts}
	}); err != nil {
		return fail(err)
	}
	res, err = Request(ctx, conn, screenCastIf, "Start", func(token string) []any {
		return []any{s.session, "", map[string]dbus.Variant{"handle_token": dbus.MakeVariant(token)}}
	})
	if err != nil {
		return fail(err)
	}
	var streams []struct {
		Node  uint32
		Props map[string]dbus.Variant
	}
	if v, ok := res["streams"]; !ok || dbus.Store([]any{v.Value()}, &streams) != nil || len(streams) == 0 {
		return fail(fmt.Errorf("%w: no stream in the answer", ErrFailed))
	}
	s.Node = streams[0].Node
	pair := func(key string) (image.Point, bool) {
		var p struct{ X, Y int32 }
		v, ok := streams[0].Props[key]
		if !ok || dbus.Store([]any{v.Value()}, &p) != nil {
			return image.Point{}, false
		}
		return image.Pt(int(p.X), int(p.Y)), true
	}
	if size, ok := pair("size"); ok {
		at, _ := pair("position")
		s.Monitor = image.Rectangle{Min: at, Max: at.Add(size)}
	}
	s.RestoreToken, _ = res["restore_token"].Value().(string)
	var fd dbus.UnixFD
	if err := conn.Object(Name, Path).CallWithContext(ctx, screenCastIf+".OpenPipeWireRemote", 0, s.session, map[string]dbus.Variant{}).Store(&fd); err != nil {
		return fail(fmt.Errorf("%w: open the PipeWire remote: %v", ErrFailed, err))
	}
	s.Remote = os.NewFile(uintptr(fd), "pipewire-remote")
	return s, nil
}

// Close ends the session (the desktop stops its "screen is shared"
// indicator).
func (s *ScreenCast) Close() {
	if s.session != "" {
		s.conn.Object(Name, s.session).Call("org.freedesktop.portal.Session.Close", 0)
		s.session = ""
	}
}
