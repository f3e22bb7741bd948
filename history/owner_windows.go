package history

import (
	"strconv"

	"golang.org/x/sys/windows"
)

// identity is pid with the process's creation time; "" when no such
// process runs.
func identity(pid int) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	var code uint32
	if windows.GetExitCodeProcess(h, &code) != nil || code != 259 { // STILL_ACTIVE
		return ""
	}
	var created, exited, kernel, user windows.Filetime
	if windows.GetProcessTimes(h, &created, &exited, &kernel, &user) != nil {
		return ""
	}
	return strconv.Itoa(pid) + ":" + strconv.FormatInt(created.Nanoseconds(), 10)
}
