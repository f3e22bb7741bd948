package history

import (
	"os"
	"os/exec"
	"testing"
)

// A process is known by its id and creation time: a finished one is not
// running, this one is.
func TestOwnersOnWindows(t *testing.T) {
	if !Running(Self()) {
		t.Fatalf("this process (%s) is not running", Self())
	}
	// Under Wine a process now and then fails to start at all
	// ("Internal error" from CreateProcess, seen once in CI): that is
	// tried again, a process that started and failed is not.
	var cmd *exec.Cmd
	var err error
	for range 3 {
		cmd = exec.Command(os.Args[0], "-test.run=^$")
		if err = cmd.Run(); err == nil || cmd.Process != nil {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if id := identity(cmd.Process.Pid); id != "" && Running(id) {
		t.Errorf("a finished process (%s) is running", id)
	}
	if Running("12345:0") {
		t.Error("a made-up owner is running")
	}
}
