//go:build linux

package xconn

import (
	"errors"
	"strings"
	"testing"
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
