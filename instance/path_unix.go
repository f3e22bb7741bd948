//go:build !windows

package instance

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
)

// Path is the socket: $XDG_RUNTIME_DIR/imagecx.sock, or a name with the
// user's id in the temporary folder where there is no runtime dir.
func Path(getenv func(string) string) string {
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "imagecx.sock")
	}
	return filepath.Join(os.TempDir(), "imagecx-"+strconv.Itoa(os.Getuid())+".sock")
}

// listen makes the socket, private to the user, in place of one left by
// an instance that died.
func listen(path string) (net.Listener, error) {
	os.Remove(path) // stale: nobody answered
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	os.Chmod(path, 0o600)
	return ln, nil
}

func dial(ctx context.Context, path string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", path)
}

func unlink(path string) { os.Remove(path) }
