//go:build linux

package xconn

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"testing"

	"imagecx/explain"

	"github.com/jezek/xgb"
)

var errMine = errors.New("not supported here")

func TestNoDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	_, err := Dial("", errMine)
	if !errors.Is(err, errMine) || !errors.Is(err, ErrNoDisplay) || !strings.Contains(err.Error(), "DISPLAY is not set") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Dial(":9999", errMine); err == nil || errors.Is(err, errMine) || !strings.Contains(err.Error(), "connect to the X display") {
		t.Fatalf("a named display that is not there: %v", err)
	}
}

func TestLocal(t *testing.T) {
	for display, want := range map[string]bool{
		":0":                          true,
		":1.0":                        true,
		"unix:0":                      true,
		"/tmp/launch-x/org.xquartz:0": true,
		"localhost:10.0":              false,
		"example.org:0":               false,
		"[::1]:0":                     false,
		"tcp/example.org:0":           false,
		"nonsense":                    false,
	} {
		if got := Local(display); got != want {
			t.Errorf("Local(%q) = %v, want %v", display, got, want)
		}
	}
	t.Setenv("DISPLAY", ":5")
	if !Local("") {
		t.Error(`Local("") with DISPLAY=:5 = false`)
	}
}

// The tray app routes xgb's messages to its log; a Dial must not undo that
// (the first Dial once reset them to io.Discard).
func TestDialKeepsTheChosenLogger(t *testing.T) {
	var buf bytes.Buffer
	SetLogger(log.New(&buf, "", 0))
	t.Cleanup(func() { logMu.Lock(); logSet = false; logMu.Unlock() })
	t.Setenv("DISPLAY", "")
	Dial("", errMine)
	Dial(":9999", errMine)
	xgb.Logger.Print("still here")
	if !strings.Contains(buf.String(), "still here") {
		t.Fatal("Dial replaced the chosen logger")
	}
	// Without a chosen logger, xgb's chatter is dropped.
	logMu.Lock()
	logSet = false
	logMu.Unlock()
	Dial(":9999", errMine)
	buf.Reset()
	xgb.Logger.Print("dropped")
	if buf.Len() != 0 {
		t.Fatal("with no logger chosen, xgb still writes to the old one")
	}
}

func TestGone(t *testing.T) {
	for _, err := range []error{io.EOF, fmt.Errorf("read: %w", io.ErrUnexpectedEOF), errors.New("write unix @->/tmp/.X11-unix/X0: use of closed network connection")} {
		g := Gone(err)
		if !errors.Is(g, ErrGone) || explain.Error(fmt.Errorf("capture the screen: read rows 0–136: %w", g)) != "The X display went away (the session ended, or the X server stopped)." {
			t.Errorf("%v: %v", err, g)
		}
	}
	if other := errors.New("BadMatch"); Gone(other) != other {
		t.Error("another error was taken for the display going away")
	}
}
