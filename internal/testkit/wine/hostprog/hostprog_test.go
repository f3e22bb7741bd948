package hostprog

import (
	"bytes"
	"net"
	"strings"
	"testing"
)

// The stand-in's arguments reach the program, Windows paths made this
// machine's; its standard input is the program's, and the program's
// output and exit code come back.
func TestRunThroughServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go Serve(ln, "sh", WinePath("/pfx"))
	var out, errs bytes.Buffer
	code, err := Run(ln.Addr().String(), []string{"-c", `echo "$1 $2"; tr a-z A-Z; echo oops >&2; exit 3`, "sh", `C:\users\me\a.mkv`, "NUL"},
		strings.NewReader("frames\n"), &out, &errs)
	if err != nil || code != 3 {
		t.Fatalf("code %d, %v", code, err)
	}
	if out.String() != "/pfx/drive_c/users/me/a.mkv /dev/null\nFRAMES\n" || errs.String() != "oops\n" {
		t.Errorf("out %q, err %q", out.String(), errs.String())
	}
	if got := WinePath("/pfx")(`Z:\tmp\x.mp4`); got != "/tmp/x.mp4" {
		t.Errorf("Z: %q", got)
	}
	if got := WinePath("/pfx")("scale=2:2"); got != "scale=2:2" {
		t.Errorf("not a path: %q", got)
	}
}
