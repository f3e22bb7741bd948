//go:build linux

package xdnd

import (
	"errors"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// Target is a window that takes drops as an application's does: it says
// XdndAware (version 5), accepts text/uri-list anywhere, reads what is
// dropped and says it has finished.
type Target struct {
	Win  xproto.Window
	conn *xgb.Conn
	got  chan []string
}

// NewTarget maps a drop target over r of the screen; it goes when the
// test ends.
func NewTarget(t testing.TB, display string, r image.Rectangle) *Target {
	t.Helper()
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	scr := xproto.Setup(conn).DefaultScreen(conn)
	atom := func(n string) xproto.Atom {
		a, _ := xproto.InternAtom(conn, false, uint16(len(n)), n).Reply()
		return a.Atom
	}
	win, _ := xproto.NewWindowId(conn)
	xproto.CreateWindow(conn, scr.RootDepth, win, scr.Root, int16(r.Min.X), int16(r.Min.Y), uint16(r.Dx()), uint16(r.Dy()), 0,
		xproto.WindowClassInputOutput, scr.RootVisual, xproto.CwBackPixel|xproto.CwEventMask, []uint32{0x206040, xproto.EventMaskPropertyChange})
	name := "drop target"
	xproto.ChangeProperty(conn, xproto.PropModeReplace, win, xproto.AtomWmName, xproto.AtomString, 8, uint32(len(name)), []byte(name))
	xproto.ChangeProperty(conn, xproto.PropModeReplace, win, atom("XdndAware"), xproto.AtomAtom, 32, 1, []byte{5, 0, 0, 0})
	xproto.MapWindow(conn, win)
	if _, err := xproto.GetInputFocus(conn).Reply(); err != nil {
		t.Fatal(err)
	}
	tg := &Target{Win: win, conn: conn, got: make(chan []string, 4)}
	names := map[string]xproto.Atom{}
	for _, n := range []string{"XdndPosition", "XdndStatus", "XdndDrop", "XdndFinished", "XdndSelection", "XdndActionCopy", "text/uri-list", "IMAGECX_DROP"} {
		names[n] = atom(n)
	}
	go func() { // ends when the connection closes at the test's end
		var source xproto.Window
		send := func(to xproto.Window, typ string, l ...uint32) {
			data := make([]uint32, 5)
			data[0] = uint32(win)
			copy(data[1:], l)
			ev := xproto.ClientMessageEvent{Format: 32, Window: to, Type: names[typ], Data: xproto.ClientMessageDataUnionData32New(data)}
			xproto.SendEvent(conn, false, to, 0, string(ev.Bytes()))
		}
		for {
			ev, err := conn.WaitForEvent()
			if ev == nil && err == nil {
				return
			}
			switch e := ev.(type) {
			case xproto.ClientMessageEvent:
				source = xproto.Window(e.Data.Data32[0])
				switch e.Type {
				case names["XdndPosition"]:
					send(source, "XdndStatus", 1, 0, 0, uint32(names["XdndActionCopy"]))
				case names["XdndDrop"]:
					xproto.ConvertSelection(conn, win, names["XdndSelection"], names["text/uri-list"], names["IMAGECX_DROP"], xproto.Timestamp(e.Data.Data32[2]))
				}
			case xproto.SelectionNotifyEvent:
				var uris []string
				if e.Property != 0 {
					if p, err := xproto.GetProperty(conn, true, win, e.Property, xproto.GetPropertyTypeAny, 0, 1<<20).Reply(); err == nil {
						for _, l := range strings.Split(string(p.Value), "\n") {
							if l = strings.TrimSpace(l); l != "" {
								uris = append(uris, l)
							}
						}
					}
				}
				send(source, "XdndFinished", 1, uint32(names["XdndActionCopy"]))
				tg.got <- uris
			}
		}
	}()
	return tg
}

// Wait is what was dropped next, as URIs.
func (tg *Target) Wait(within time.Duration) ([]string, error) {
	select {
	case uris := <-tg.got:
		return uris, nil
	case <-time.After(within):
		return nil, errors.New("nothing was dropped")
	}
}
