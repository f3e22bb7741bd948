package instance

import (
	"context"
	"net"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// Path is a named pipe whose name holds the user's SID: named pipes are
// one namespace for the whole machine, and Windows has no user ids
// (os.Getuid is -1). XDG_RUNTIME_DIR, which Wine passes through, is not
// looked at.
func Path(func(string) string) string {
	return `\\.\pipe\imagecx-` + userSID()
}

func userSID() string {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "user"
	}
	return u.User.Sid.String()
}

// listen makes the pipe, open to this user only.
func listen(path string) (net.Listener, error) {
	return winio.ListenPipe(path, &winio.PipeConfig{SecurityDescriptor: "D:P(A;;GA;;;" + userSID() + ")"})
}

func dial(ctx context.Context, path string) (net.Conn, error) {
	return winio.DialPipeContext(ctx, path)
}

func unlink(string) {} // a pipe goes with its last handle

// samePeer is true: the pipe's security descriptor lets only this user
// connect.
func samePeer(net.Conn) bool { return true }
