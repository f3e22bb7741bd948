package sessionbus

import (
	"errors"
	"net"
	"path/filepath"
	"testing"
)

func TestAddress(t *testing.T) {
	run := t.TempDir()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if _, err := Address(getenv); !errors.Is(err, ErrNone) {
		t.Errorf("nothing set: %v", err)
	}
	env["DBUS_SESSION_BUS_ADDRESS"] = "autolaunch:"
	env["XDG_RUNTIME_DIR"] = run
	if _, err := Address(getenv); !errors.Is(err, ErrNone) {
		t.Errorf("autolaunch, no runtime bus: %v", err)
	}
	ln, err := net.Listen("unix", filepath.Join(run, "bus"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if a, err := Address(getenv); err != nil || a != "unix:path="+filepath.Join(run, "bus") {
		t.Errorf("the runtime bus: %q %v", a, err)
	}
	env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/x/bus"
	if a, _ := Address(getenv); a != "unix:path=/x/bus" {
		t.Errorf("the variable: %q", a)
	}
}
