//go:build !linux && !darwin && !freebsd && !windows

package instance

import "net"

// samePeer trusts the socket's private folder where the system has no
// peer credentials Go can read.
func samePeer(net.Conn) bool { return true }
