package xvfb

import (
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// ClipboardManager is a clipboard manager as desktops run one (freedesktop's
// ClipboardManager spec): it owns CLIPBOARD_MANAGER, and when a program
// that is about to quit asks it to save the clipboard (SAVE_TARGETS), it
// copies the text and PNG the program offers, takes the clipboard and
// serves them from then on. Text and images up to the core request size
// only (no INCR): a link, a small image.
func ClipboardManager(t testing.TB, display string) {
	t.Helper()
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	scr := xproto.Setup(conn).DefaultScreen(conn)
	win, _ := xproto.NewWindowId(conn)
	xproto.CreateWindow(conn, scr.RootDepth, win, scr.Root, -10, -10, 1, 1, 0, xproto.WindowClassInputOutput, scr.RootVisual, 0, nil)
	atom := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(conn, false, uint16(len(name)), name).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return r.Atom
	}
	m := &clipManager{conn: conn, win: win, saved: map[xproto.Atom][]byte{},
		clipboard: atom("CLIPBOARD"), manager: atom("CLIPBOARD_MANAGER"), save: atom("SAVE_TARGETS"), targets: atom("TARGETS"),
		atomType: atom("ATOM"), prop: atom("MANAGER_DATA"), keep: []xproto.Atom{atom("UTF8_STRING"), atom("image/png")}}
	xproto.SetSelectionOwner(conn, win, m.manager, xproto.TimeCurrentTime)
	if r, err := xproto.GetSelectionOwner(conn, m.manager).Reply(); err != nil || r.Owner != win {
		t.Fatalf("own CLIPBOARD_MANAGER: %v", err)
	}
	go m.loop()
}

type clipManager struct {
	conn                                              *xgb.Conn
	win                                               xproto.Window
	clipboard, manager, save, targets, atomType, prop xproto.Atom
	keep                                              []xproto.Atom
	saved                                             map[xproto.Atom][]byte
}

func (m *clipManager) loop() {
	for {
		ev, err := m.conn.WaitForEvent()
		if ev == nil && err == nil {
			return
		}
		req, ok := ev.(xproto.SelectionRequestEvent)
		if !ok {
			continue
		}
		reply := xproto.SelectionNotifyEvent{Time: req.Time, Requestor: req.Requestor, Selection: req.Selection, Target: req.Target, Property: req.Property}
		switch {
		case req.Selection == m.manager && req.Target == m.save:
			m.copyClipboard()
			xproto.SetSelectionOwner(m.conn, m.win, m.clipboard, xproto.TimeCurrentTime)
		case req.Selection == m.clipboard && req.Target == m.targets:
			list := m.atoms()
			xproto.ChangeProperty(m.conn, xproto.PropModeReplace, req.Requestor, req.Property, m.atomType, 32, uint32(len(list)/4), list)
		case req.Selection == m.clipboard && m.saved[req.Target] != nil:
			data := m.saved[req.Target]
			xproto.ChangeProperty(m.conn, xproto.PropModeReplace, req.Requestor, req.Property, req.Target, 8, uint32(len(data)), data)
		default:
			reply.Property = xproto.AtomNone
		}
		xproto.SendEvent(m.conn, false, req.Requestor, xproto.EventMaskNoEvent, string(reply.Bytes()))
	}
}

// atoms is TARGETS's answer for what was saved.
func (m *clipManager) atoms() []byte {
	out := make([]byte, 4*(len(m.saved)+1))
	xgb.Put32(out, uint32(m.targets))
	i := 4
	for a := range m.saved {
		xgb.Put32(out[i:], uint32(a))
		i += 4
	}
	return out
}

// copyClipboard reads what the clipboard's owner offers of m.keep.
func (m *clipManager) copyClipboard() {
	m.saved = map[xproto.Atom][]byte{}
	for _, target := range m.keep {
		xproto.DeleteProperty(m.conn, m.win, m.prop)
		xproto.ConvertSelection(m.conn, m.win, m.clipboard, target, m.prop, xproto.TimeCurrentTime)
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			ev, err := m.conn.PollForEvent()
			if ev == nil && err == nil {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			n, ok := ev.(xproto.SelectionNotifyEvent)
			if !ok || n.Target != target {
				continue
			}
			if n.Property != xproto.AtomNone {
				if r, err := xproto.GetProperty(m.conn, true, m.win, m.prop, xproto.GetPropertyTypeAny, 0, 1<<20).Reply(); err == nil && len(r.Value) > 0 {
					m.saved[target] = append([]byte(nil), r.Value...)
				}
			}
			break
		}
	}
}
