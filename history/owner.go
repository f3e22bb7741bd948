package history

import (
	"os"
	"strconv"
	"strings"
	"sync"
)

// An owner is a process as it is now: its id with something that changes
// when the id is used again (its start, and on Linux the boot), so that a
// tray app started after a reboot with the same process id as the one
// before it does not take that one's uploads for its own.

var self = sync.OnceValue(func() string { return identity(os.Getpid()) })

// Self is this process as an owner.
func Self() string { return self() }

// Running reports whether the process owner names still runs.
func Running(owner string) bool {
	pid, err := strconv.Atoi(strings.SplitN(owner, ":", 2)[0])
	if err != nil || pid <= 0 {
		return false
	}
	id := identity(pid)
	return id != "" && id == owner
}
