//go:build !linux

package hugemem

func advise([]byte) {}

// Populate does nothing here: the pages fault in as they are written.
func Populate([]byte) {}
