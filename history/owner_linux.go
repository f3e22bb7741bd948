package history

import (
	"os"
	"strconv"
	"strings"
)

// identity is pid with the boot's id and the process's start time (in
// clock ticks since the boot); "" when no such process runs.
func identity(pid int) string {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The name (field 2) may hold spaces and parentheses: fields are
	// counted after its closing one.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 20 {
		return ""
	}
	boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strconv.Itoa(pid) + ":" + strings.TrimSpace(string(boot)) + ":" + fields[19] // starttime is field 22
}
